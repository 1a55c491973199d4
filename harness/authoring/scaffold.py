"""`kata new`: a complete kata folder to fill in. `kata validate` calls it incomplete
until every TODO is gone."""

from __future__ import annotations

import re
from pathlib import Path

SLUG = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")
TODO = "TODO"

_TOML = '''slug = "{slug}"
title = "TODO: the title, as a list shows it"
level = "mid"                     # junior | mid | senior
minutes = 20                      # the interview time box; the stages' minutes add up to it
topics = ["TODO-topic"]
file = "{module}.py"              # the attempt file; the suite imports its stem
interface = ["solve"]             # names the attempt must define
summary = "TODO: one or two sentences for lists and interview sheets."
mistakes = ["TODO: a common mistake, as an interviewer would note it"]

[[questions]]
ask = "TODO: a clarifying question a strong candidate asks"
answer = "TODO: the answer the interviewer gives"

# One note per correct solution, shown by `kata solutions` after a pass: the reference,
# and each file of known_good/ (name = its stem). growth: what bench.py measures.
[[solutions]]
name = "reference"
title = "TODO: the approach, in a few words"
approach = "TODO: how it works, in two to four sentences"
tradeoffs = "TODO: what it is good and bad at"
growth = "O(n)"
{stages}'''

_STAGE = '''
[[stages]]
title = "TODO: stage {n}"
minutes = 5
prompt = """TODO: what the interviewer says aloud for stage {n}."""
hints = ["TODO: a nudge", "TODO: a more precise pointer", "TODO: the key idea"]
strong = ["TODO: a strong signal"]
weak = ["TODO: a weak signal"]
'''

_STUB = '''"""TODO: the task, in a sentence. `kata prompt {slug}` shows the prompt again."""


def solve(*args):
    """TODO: what to implement, with an example."""
    raise NotImplementedError
'''

_SOLUTION = '''"""The reference solution of {slug}. TODO: write it."""


def solve(*args):
    raise NotImplementedError  # TODO
'''

_TEST = '''"""Stage {n}: every test has the stage marker; compare strictly (`is`, `type() is`)."""

import pytest

from {module} import solve  # noqa: F401 - the attempt, loaded by the grader

pytestmark = pytest.mark.stage({n})


def test_stage_{n}():
    """TODO: one rule of stage {n}, tested."""
    pytest.fail("TODO: write the tests of stage {n}")
'''

_BAD = '''"""TODO: known-bad attempts go here, one realistic mistake per file. Each names
the stage whose tests must catch it on a line of its own: "Caught by: stage N".
"""
'''


def scaffold(slug: str, parent: Path) -> Path:
    """Write the folder `parent/slug`; never over an existing one."""
    if not SLUG.match(slug):
        raise ValueError(f"{slug!r} is not a slug: lower-case words joined by '-'")
    folder = parent / slug
    if folder.exists():
        raise FileExistsError(f"{folder} already exists")
    module = slug.replace("-", "_")
    files = {
        "kata.toml": _TOML.format(slug=slug, module=module,
                                  stages="".join(_STAGE.format(n=n) for n in range(1, 5))),
        "stub.py": _STUB.format(slug=slug),
        "CONTRACT.md": (f"# The contract of {slug}\n\nTODO: the interface, the four stages "
                        "and every behaviour the suite grades; what this file does not say "
                        "is not graded.\n"),
        "solution.py": _SOLUTION.format(slug=slug),
        "known_bad/README.txt": _BAD,
        "known_good/README.txt": "TODO: correct attempts in other styles go here.\n",
        **{f"suite/test_stage{n}.py": _TEST.format(n=n, module=module) for n in range(1, 5)},
    }
    for name, text in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return folder


def todo_files(folder: Path) -> list[str]:
    """The files of a kata folder that still hold a TODO placeholder."""
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*")
                  if p.is_file() and p.suffix in (".py", ".toml", ".txt", ".md")
                  and TODO in p.read_text(encoding="utf-8", errors="replace"))
