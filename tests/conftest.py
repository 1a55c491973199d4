"""Fixtures for kata's own tests: an isolated KATA_HOME and the real command line."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


@dataclass
class Run:
    code: int
    stdout: str
    stderr: str

    def json(self):
        return json.loads(self.stdout)


@pytest.fixture(scope="session", autouse=True)
def _no_state_outside_the_tests(tmp_path_factory):
    """Every test keeps kata's state and caches in a temporary KATA_HOME, unless it
    sets its own: nothing is written to the user's real directories."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("KATA_HOME", str(tmp_path_factory.mktemp("kata-home")))
        yield


@pytest.fixture
def kata_home(tmp_path, monkeypatch):
    home = tmp_path / "home"
    monkeypatch.setenv("KATA_HOME", str(home))
    monkeypatch.delenv("KATA_PATH", raising=False)
    return home


@pytest.fixture
def workspace(tmp_path):
    ws = tmp_path / "ws"
    ws.mkdir()
    return ws


def _cli(kata_home: Path, workspace: Path):
    def run(*args: str, cwd: Path | None = None, input: str | None = None,
            timeout: float = 120) -> Run:
        proc = subprocess.run(
            [sys.executable, "-m", "harness", *args], cwd=cwd or workspace,
            capture_output=True, text=True, input=input, timeout=timeout,
            env={**os.environ, "KATA_HOME": str(kata_home), "NO_COLOR": "1"},
        )
        return Run(proc.returncode, proc.stdout, proc.stderr)

    return run


@pytest.fixture
def kata(kata_home, workspace):
    """Run the real `kata` command (python -m harness) in the workspace."""
    return _cli(kata_home, workspace)


@pytest.fixture(scope="session")
def kata_cli():
    """`kata_cli(home, workspace)`: the real `kata` command with a KATA_HOME and a
    workspace of the caller's, for fixtures that outlive one test."""
    return _cli


# The longest tests (a minute or more each: every shipped attempt of a kata, graded twice)
# go first, so that with `pytest -n auto` the short ones fill in around them instead of
# leaving one worker to finish them alone at the end.
_LONGEST_FIRST = ("tests/authoring/test_katas.py::test_kata_validates",
                  "tests/grading/test_sandbox.py::test_grade_keeps_every_candidate_apart",
                  "tests/interview/test_grade.py::test_grade_matches_kata_check_for_every_file")


def pytest_collection_modifyitems(items):
    def rank(item) -> int:
        for position, prefix in enumerate(_LONGEST_FIRST):
            if item.nodeid.startswith(prefix):
                return position
        return len(_LONGEST_FIRST)

    items.sort(key=rank)  # stable: the rest keep their order


def _default_signals() -> None:
    """Between fork and exec: SIGINT, SIGHUP and SIGTERM as a terminal's shell leaves
    them. Whatever started the tests (nohup, a background job) may have set them to be
    ignored, and an ignored signal is inherited."""
    for sig in (signal.SIGINT, signal.SIGHUP, signal.SIGTERM):
        signal.signal(sig, signal.SIG_DFL)


def _process_alive(pid: int) -> bool:
    """Whether a process runs (a zombie is dead for our purposes)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(") ", 1)[1][0] != "Z"
    except (OSError, IndexError):
        return True


@pytest.fixture
def alive():
    """`alive(pid)`: whether that process still runs, for tests of what a check leaves."""
    return _process_alive


@pytest.fixture
def from_a_terminal():
    """`preexec_fn` for a `kata` process that a test sends signals to, as a user would."""
    return _default_signals


def _screenshot(page: Path, shot: Path, size: str = "1200,1600") -> subprocess.CompletedProcess:
    """A headless Chromium screenshot of a local page, with a throwaway profile and no
    network of its own."""
    return subprocess.run(
        ["chromium", "--headless", "--no-sandbox", "--disable-gpu",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--no-first-run", f"--user-data-dir={shot.parent / 'chromium-profile'}",
         f"--screenshot={shot}", f"--window-size={size}", page.as_uri()],
        capture_output=True, text=True, timeout=90)


@pytest.fixture
def chromium_screenshot():
    """`chromium_screenshot(page, shot, size)`: render a page as a person would see it."""
    return _screenshot
