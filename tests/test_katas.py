"""Every kata folder: sound metadata, and the right verdict for every shipped attempt.

The reference, the stub, every known-bad and every known-good attempt are
graded by the real engine (a pytest child per attempt); the reference also
through the `kata check` command line.
"""

from __future__ import annotations

import re

import pytest

from harness import catalog
from harness.grading.runner import Limits, check_attempt

KATAS = catalog.all_katas()
LIMITS = Limits(test_timeout_s=10, wall_timeout_s=120, benchmark=False)


def _attempts(folder: str):
    return [pytest.param(k, p, id=f"{k.slug}/{p.stem}")
            for k in KATAS for p in k.attempts_in(folder)]


def _caught_by(path) -> int:
    match = re.search(r"^Caught by: stage (\d+)\s*$", path.read_text(), re.MULTILINE)
    assert match, f"{path.name} must name the stage that catches it ('Caught by: stage N')"
    return int(match.group(1))


def _describe(report) -> str:
    lines = [f"error: {report.error}"] if report.error else []
    for stage in report.stages:
        for test in stage.tests:
            if test.outcome != "passed":
                lines.append(f"stage {stage.number} {test.name}: {test.outcome}: {test.message}")
    return "\n".join(lines[:15])


def test_there_are_katas():
    assert {k.slug for k in KATAS} >= {"flatten"}


@pytest.mark.parametrize("kata", KATAS, ids=lambda k: k.slug)
def test_metadata_is_complete(kata):
    assert kata.problems == (), "\n".join(kata.problems)
    assert len(kata.stages) == 4
    assert kata.stub_path.is_file() and kata.reference_path.is_file()
    assert len(kata.attempts_in("known_bad")) >= 10
    assert len(kata.attempts_in("known_good")) >= 3
    for stage in kata.stages:
        assert len(stage.hints) >= 2, f"stage {stage.number} needs progressive hints"


@pytest.mark.parametrize("kata", KATAS, ids=lambda k: k.slug)
def test_reference_passes_through_the_command_line(kata, tmp_path, monkeypatch):
    monkeypatch.setenv("KATA_HOME", str(tmp_path))
    import json
    import subprocess
    import sys

    proc = subprocess.run(
        [sys.executable, "-m", "harness", "check", kata.slug, "--file",
         str(kata.reference_path), "--json"], capture_output=True, text=True, timeout=180)
    report = json.loads(proc.stdout)
    assert proc.returncode == 0, proc.stdout[-3000:]
    assert report["passed"] is True and report["error"] is None
    assert [s["passed"] for s in report["stages"]] == [True] * 4
    assert report["summary"]["failed"] == 0 and report["summary"]["total"] > 0


@pytest.mark.parametrize("kata", KATAS, ids=lambda k: k.slug)
def test_stub_fails(kata, tmp_path):
    stub = tmp_path / kata.file
    stub.write_text(kata.stub_path.read_text())
    report = check_attempt(kata, stub, LIMITS)
    assert report.error is None, report.error  # the stub imports and defines the interface
    assert not report.passed
    assert not any(s.passed for s in report.stages), "the stub must pass no stage"


@pytest.mark.parametrize(("kata", "path"), _attempts("known_bad"))
def test_known_bad_attempt_is_rejected(kata, path):
    stage = _caught_by(path)
    report = check_attempt(kata, path, LIMITS)
    assert not report.passed, f"{path.name} passed, but it is wrong: {path.read_text()[:300]}"
    assert not report.stages[stage - 1].passed, (
        f"{path.name} must be caught by stage {stage}, which it passed;\n{_describe(report)}")


@pytest.mark.parametrize(("kata", "path"), _attempts("known_good"))
def test_known_good_attempt_passes(kata, path):
    report = check_attempt(kata, path, LIMITS)
    assert report.passed, f"{path.name} is correct but was rejected:\n{_describe(report)}"
