"""The CLI's output, pinned: every command below prints what it printed when the golden
files in golden/ were recorded, once timings, durations and folders are normalised.

A refactoring must leave these files unchanged. A deliberate change of output records
them again: `KATA_RECORD_GOLDEN=1 pytest tests/cli/test_golden.py`, then read the diff.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from harness import paths

pytestmark = pytest.mark.slow

GOLDEN = Path(__file__).parent / "golden"
RECORD = os.environ.get("KATA_RECORD_GOLDEN") == "1"
KATAS = paths.builtin_katas_dir()
FLATTEN_BAD = KATAS / "flatten" / "known_bad"

# (name, arguments); each runs in one shared KATA_HOME and workspace, in this order, so
# the practice commands see the history the earlier ones wrote.
COMMANDS: list[tuple[str, list[str]]] = [
    ("list", ["list"]),
    ("list.json", ["list", "--json"]),
    ("start", ["start", "flatten"]),
    ("check-stub", ["check", "--no-bench"]),
    ("check-stub.json", ["check", "--no-bench", "--json"]),
    ("check-known-bad", ["check", "flatten", "--no-bench", "--file", "bad.py"]),
    ("check-known-bad.json", ["check", "flatten", "--no-bench", "--json", "--file", "bad.py"]),
    ("check-blind.json", ["check", "flatten", "--no-bench", "--json", "--blind",
                          "--file", "bad.py"]),
    ("check-blind", ["check", "flatten", "--no-bench", "--blind", "--file", "bad.py"]),
    ("prompt", ["prompt"]),
    ("hint", ["hint"]),
    ("stats.json", ["stats", "--json"]),
    ("plan", ["plan"]),
    ("interview-list", ["interview", "list"]),
    ("interview-plan.json", ["interview", "plan", "--minutes", "45", "--level", "mid",
                             "--json"]),
    ("interview-sheet", ["interview", "sheet", "retry"]),
    ("grade.json", ["grade", "candidates", "--kata", "flatten", "--no-bench", "--json",
                    "--jobs", "1"]),
    ("grade.csv", ["grade", "candidates", "--kata", "flatten", "--no-bench", "--csv",
                   "--jobs", "1"]),
]

_SECONDS_KEY = re.compile(r'("[a-z_]*(?:_s|_ms|duration_s)": )-?[0-9.e+-]+')
_DURATION = re.compile(r"\b\d+(?:\.\d+)?\s?(?:ms|s|min|h)\b|\b\d+:\d\d(?::\d\d)?\b")


def normalise(text: str, workspace: Path) -> str:
    text = text.replace(str(workspace.resolve()), "<workspace>")
    text = text.replace(str(workspace), "<workspace>")
    text = _SECONDS_KEY.sub(r"\g<1>0", text)  # JSON stays valid
    return _DURATION.sub("<duration>", text)


@pytest.fixture(scope="module")
def outputs(tmp_path_factory) -> dict[str, str]:
    workspace = tmp_path_factory.mktemp("workspace")
    home = tmp_path_factory.mktemp("home")
    shutil.copy(FLATTEN_BAD / "mutates_input.py", workspace / "bad.py")
    (workspace / "candidates").mkdir()
    for name in ("mutates_input.py", "lists_not_flattened.py"):
        shutil.copy(FLATTEN_BAD / name, workspace / "candidates" / name)
    env = {**os.environ, "KATA_HOME": str(home), "NO_COLOR": "1", "COLUMNS": "100"}
    env.pop("KATA_PATH", None)
    results = {}
    for name, args in COMMANDS:
        run = subprocess.run([sys.executable, "-m", "harness", *args], cwd=workspace, env=env,
                             capture_output=True, text=True, timeout=300)
        results[name] = f"exit {run.returncode}\n{normalise(run.stdout, workspace)}"
    return results


@pytest.mark.parametrize("name", [name for name, _ in COMMANDS])
def test_output_is_unchanged(outputs, name):
    path = GOLDEN / f"{name}.txt"
    if RECORD:
        path.write_text(outputs[name])
    assert path.exists(), f"no golden output for {name}: record it (see the module docstring)"
    if name.endswith(".json"):
        json.loads(outputs[name].split("\n", 1)[1])  # still one JSON document
    assert outputs[name] == path.read_text()
