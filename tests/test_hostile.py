"""A corpus of broken and hostile attempts (tests/hostile/), graded through `kata check --json`.

Each file's docstring gives the verdict it must get and a piece of the reason. Whatever
the attempt does, the check must end with one valid JSON document, an exit status that
agrees with `passed`, within the wall-clock limit plus a few seconds, leaving no process.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import time
from pathlib import Path

import pytest

from harness import catalog

HOSTILE = Path(__file__).parent / "hostile"
CASES = sorted(p for p in HOSTILE.glob("*.py") if not p.name.startswith("_"))
WALL = 8


def _expectations(path: Path) -> tuple[bool, str]:
    text = path.read_text()
    verdict = re.search(r"^Verdict: (passed|not passed)$", text, re.MULTILINE)
    reason = re.search(r"^Reason: (.+)$", text, re.MULTILINE)
    assert verdict and reason, f"{path.name} needs Verdict: and Reason: lines"
    return verdict.group(1) == "passed", reason.group(1).strip()


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie is dead for our purposes.
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(") ")[1][0] != "Z"
    except (OSError, IndexError):
        return True


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.stem)
def test_hostile_attempt_gets_a_clear_verdict(case, kata, workspace, monkeypatch):
    should_pass, reason = _expectations(case)
    attempt = workspace / "flatten.py"
    shutil.copy(case, attempt)
    shutil.copy(catalog.find_kata("flatten").reference_path, workspace / "_reference.py")
    pid_file = workspace / "child.pid"
    monkeypatch.setenv("HOSTILE_PID_FILE", str(pid_file))

    started = time.monotonic()
    run = kata("check", "flatten", "--json", "--timeout", "2", "--wall-timeout", str(WALL))
    elapsed = time.monotonic() - started

    report = json.loads(run.stdout)  # one valid document, nothing else on stdout
    assert report["passed"] is should_pass, (report["error"], run.stdout[-1500:])
    assert run.code == (0 if should_pass else 1), run.stderr[-1500:]
    assert elapsed < WALL + 6, f"took {elapsed:.1f} s"
    if not should_pass:
        texts = [report["error"] or ""] + [
            f"{t['outcome']} {t['message']}" for s in report["stages"] for t in s["tests"]]
        assert any(reason in text for text in texts), (reason, texts[:5])
    if pid_file.exists():
        pid = int(pid_file.read_text())
        deadline = time.monotonic() + 2
        while _alive(pid) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not _alive(pid), "a process the attempt started outlived the check"
    leftovers = {p.name for p in workspace.iterdir()} - {"flatten.py", "_reference.py",
                                                         "child.pid"}
    assert not leftovers, f"the check wrote into the workspace: {leftovers}"


def test_every_case_is_collected():
    assert len(CASES) >= 15
