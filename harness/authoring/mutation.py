"""Mutation testing of a kata's suite: how many small bugs planted in the reference
does the hidden suite catch?

Mutants come from Cosmic Ray's operators (a well-kept mutation-testing
library): each mutant is the reference with one operator applied at one place.
They are graded by kata's own engine rather than Cosmic Ray's runner, which
edits the module in place and runs a shell command per mutant: here every
mutant is its own file, graded in parallel by warm graders with the same
isolation and time limits as any attempt. A mutant is killed when the suite
does not pass it.

Mutants that change only a type annotation are not counted. Some other
mutants cannot be told apart from the reference by any test (say, `<`
turned into `<=` where equality never happens). A kata lists them, with the
reason, in `equivalent_mutants.toml`; they are left out of the kill rate:

    [[equivalent]]
    line = "if attempt < attempts:"        # the line as in the reference
    mutant = "if attempt <= attempts:"     # the same line in the mutant
    why = "attempt never equals attempts here"
"""

from __future__ import annotations

import ast
import difflib
import tempfile
import tomllib
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from harness.catalog import Kata
from harness.grading.runner import Limits

REQUIRED_KILL_RATE = 0.95
# A mutant is killed when it does not pass: grading stops at the first stage it fails.
MUTANT_LIMITS = Limits(test_timeout_s=3, wall_timeout_s=60, benchmark=False, all_stages=False)


@dataclass(frozen=True)
class Mutant:
    operator: str
    occurrence: int
    code: str
    line: int  # 1-based line of the change in the reference
    original: str  # that line, stripped
    mutated: str  # the same line in the mutant, stripped

    def to_dict(self) -> dict:
        return {"operator": self.operator, "line": self.line, "original": self.original,
                "mutant": self.mutated}


def mutants_of(source: str) -> list[Mutant]:
    """Every distinct single-change mutant of `source` that Cosmic Ray's operators make."""
    from cosmic_ray import plugins
    from cosmic_ray.mutating import mutate_code

    seen = {source}
    behaviour = _without_annotations(source)
    found = []
    for name in sorted(plugins.operator_names()):
        operator_class = plugins.get_operator(name)
        if operator_class.arguments():
            continue  # operators that need configuring (variable inserters) are left out
        operator = operator_class()
        occurrence = 0
        while (code := mutate_code(source, operator, occurrence)) is not None:
            if code not in seen and _compiles(code) and _without_annotations(code) != behaviour:
                seen.add(code)
                found.append(_describe(name, occurrence, source, code))
            occurrence += 1
    return found


def _without_annotations(code: str) -> str:
    """The code's AST with type annotations dropped: a mutant that differs only in an
    annotation changes no behaviour (and is not counted)."""
    tree = ast.parse(code)
    for node in ast.walk(tree):
        if isinstance(node, ast.arg):
            node.annotation = None
        elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            node.returns = None
        elif isinstance(node, ast.AnnAssign):
            node.annotation = ast.Constant(None)
    return ast.dump(tree)


def _compiles(code: str) -> bool:
    try:
        compile(code, "<mutant>", "exec")
    except (SyntaxError, ValueError):
        return False
    return True


def _describe(operator: str, occurrence: int, source: str, code: str) -> Mutant:
    before, after = source.splitlines(), code.splitlines()
    matcher = difflib.SequenceMatcher(a=before, b=after, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag != "equal":
            original = " ".join(line.strip() for line in before[i1:i2])
            mutated = " ".join(line.strip() for line in after[j1:j2])
            return Mutant(operator, occurrence, code, i1 + 1, original, mutated)
    return Mutant(operator, occurrence, code, 0, "", "")


def equivalents(kata: Kata) -> set[tuple[str, str]]:
    path = kata.dir / "equivalent_mutants.toml"
    if not path.is_file():
        return set()
    entries = tomllib.loads(path.read_text(encoding="utf-8")).get("equivalent", [])
    return {(e["line"].strip(), e["mutant"].strip()) for e in entries if e.get("why")}


def run(kata: Kata, jobs: int = 2) -> dict:
    """Grade every mutant of the reference; the kill rate leaves listed equivalents out."""
    from harness.grading.warm import WarmGraderPool

    known_equivalent = equivalents(kata)
    candidates = mutants_of(kata.reference_path.read_text(encoding="utf-8"))
    mutants = [m for m in candidates if (m.original, m.mutated) not in known_equivalent]
    silent: dict[str, str] = {}  # a test that failed a mutant without saying input and got

    with WarmGraderPool(kata, jobs) as graders:
        def survives(mutant: Mutant) -> bool:
            from harness.authoring.validate import unhelpful_failures

            with tempfile.TemporaryDirectory(prefix="kata-mutant-") as tmp:
                path = Path(tmp) / kata.file
                path.write_text(mutant.code, encoding="utf-8")
                report = graders.check(kata, path, MUTANT_LIMITS)
            for name in unhelpful_failures(report):
                silent.setdefault(name, f"line {mutant.line}: {mutant.mutated.strip()}")
            return report.passed

        with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
            survived = list(pool.map(survives, mutants))
    survivors = [m.to_dict() for m, alive in zip(mutants, survived, strict=True) if alive]
    return {"total": len(mutants), "killed": len(mutants) - len(survivors),
            "equivalent": len(candidates) - len(mutants), "survivors": survivors,
            "silent_failures": dict(sorted(silent.items()))}
