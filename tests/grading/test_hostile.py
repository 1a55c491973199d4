"""A corpus of broken and hostile attempts (tests/grading/hostile/), graded through
`kata check --json`.

Each file's docstring gives the verdict it must get (passed, not passed, tampering) and a
piece of the reason. A file marked `kata-test: prepend the reference` gets the reference
solution put in front of it, so that it would pass if its attack were not noticed.
Whatever the attempt does, the check must end with one valid JSON document, an exit
status that agrees with `passed`, leave nothing in the workspace, and never pass falsely.
"""

from __future__ import annotations

import json
import re
import time
from pathlib import Path

import pytest

from harness import catalog

# Grades real attempts through child processes (pytest -m 'not slow' leaves it out).
pytestmark = pytest.mark.slow

HOSTILE = Path(__file__).parent / "hostile"
CASES = sorted(p for p in HOSTILE.glob("*.py") if not p.name.startswith("_"))
# Generous: the wall clock only guards against a check that never ends, and a loaded
# machine must not turn a correct verdict into a timeout.
WALL = 30
PREPEND = "kata-test: prepend the reference"


def _expectations(path: Path) -> tuple[str, str]:
    text = path.read_text()
    verdict = re.search(r"^Verdict: (passed|not passed|tampering)$", text, re.MULTILINE)
    reason = re.search(r"^Reason: (.+)$", text, re.MULTILINE)
    assert verdict and reason, f"{path.name} needs Verdict: and Reason: lines"
    return verdict.group(1), reason.group(1).strip()


def attempt_text(case: Path) -> str:
    text = case.read_text()
    if PREPEND in text:
        text = catalog.find_kata("flatten").reference_path.read_text() + "\n\n" + text
    return text


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.stem)
def test_hostile_attempt_gets_a_clear_verdict(case, kata, workspace, monkeypatch, alive):
    verdict, reason = _expectations(case)
    should_pass = verdict == "passed"
    attempt = workspace / "flatten.py"
    attempt.write_text(attempt_text(case))
    pid_file = workspace / "child.pid"
    monkeypatch.setenv("HOSTILE_PID_FILE", str(pid_file))

    started = time.monotonic()
    # Two seconds a test keeps the looping cases short; a case whose verdict must come
    # from another limit first (the file-size limit) says how long it may take.
    timeout = re.search(r"^Timeout: (\d+)$", case.read_text(), re.MULTILINE)
    run = kata("check", "flatten", "--json", "--timeout", timeout.group(1) if timeout else "2",
               "--wall-timeout", str(WALL))
    elapsed = time.monotonic() - started

    report = json.loads(run.stdout)  # one valid document, nothing else on stdout
    assert report["passed"] is should_pass, (report["error"], run.stdout[-1500:])
    assert report["verdict"] == verdict or (verdict == "not passed"
                                            and report["verdict"] == "not graded"), report
    assert run.code == (0 if should_pass else 1), run.stderr[-1500:]
    assert elapsed < WALL + 30, f"took {elapsed:.1f} s"
    if not should_pass:
        texts = [report["error"] or "", *report["tampering"]] + [
            f"{t['outcome']} {t['message']}" for s in report["stages"] for t in s["tests"]]
        # A case may name several reasons ("a | b"): any of them is a clear verdict.
        assert any(one in text for one in reason.split(" | ") for text in texts), (
            reason, texts[:5])
    if pid_file.exists():
        pid = int(pid_file.read_text())
        deadline = time.monotonic() + 2
        while alive(pid) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not alive(pid), "a process the attempt started outlived the check"
    leftovers = {p.name for p in workspace.iterdir()} - {"flatten.py", "child.pid"}
    assert not leftovers, f"the check wrote into the workspace: {leftovers}"


def test_every_case_is_collected():
    assert len(CASES) >= 15
