"""Every kata folder: sound metadata, and the right verdict for every shipped attempt.

`kata validate` grades the reference, the stub, every known-bad and every
known-good attempt with the real engine (a pytest child per attempt); the
reference is also graded through `kata check`.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from harness import catalog

# Grades real attempts through child processes (pytest -m 'not slow' leaves it out).
pytestmark = pytest.mark.slow

KATAS = catalog.all_katas()


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
    proc = subprocess.run(
        [sys.executable, "-m", "harness", "check", kata.slug, "--file",
         str(kata.reference_path), "--json"], capture_output=True, text=True, timeout=180)
    report = json.loads(proc.stdout)
    assert proc.returncode == 0, proc.stdout[-3000:]
    assert report["passed"] is True and report["error"] is None
    assert [s["passed"] for s in report["stages"]] == [True] * 4
    assert report["summary"]["failed"] == 0 and report["summary"]["total"] > 0


@pytest.mark.parametrize("kata", KATAS, ids=lambda k: k.slug)
def test_kata_validates(kata, tmp_path):
    """`kata validate`: the stub fails, the reference passes every stage in about a second,
    every known-bad attempt is rejected by the stage it names, every known-good one passes,
    and a second run gives the same verdicts."""
    proc = subprocess.run(
        [sys.executable, "-m", "harness", "validate", kata.slug, "--json", "--jobs", "2"],
        capture_output=True, text=True, timeout=1200,
        env={**os.environ, "KATA_HOME": str(tmp_path)})
    result = json.loads(proc.stdout)["katas"][0]
    assert result["problems"] == [] and result["valid"] is True, "\n".join(result["problems"])
    assert proc.returncode == 0
    # Every failure a known-bad attempt provokes says the input and what the attempt did.
    assert result["silent_failures"] == [], "\n".join(result["silent_failures"])
    minimum = 10 if kata.slug == "flatten" else 12
    assert result["known_bad"]["total"] >= minimum
    assert result["known_bad"]["rejected"] == result["known_bad"]["total"]
    assert result["known_good"]["total"] >= 3
    assert result["known_good"]["passed"] == result["known_good"]["total"]
