"""Practice checks grade stage by stage: the stages run in order and the check stops after
the first that fails; interviewers' grading runs them all. Both must agree on everything
a practice check shows."""

from __future__ import annotations

import re

import pytest

from harness import catalog
from harness.grading.runner import Limits, check_attempt
from harness.grading.warm import WarmGrader

pytestmark = pytest.mark.slow

FLATTEN = catalog.find_kata("flatten")
ALL = Limits(test_timeout_s=5, wall_timeout_s=120, benchmark=False)
STAGED = Limits(test_timeout_s=5, wall_timeout_s=120, benchmark=False, all_stages=False)


def _shown(stage) -> list[tuple]:
    """Each test's verdict. (Messages may differ between two runs: a race reports how many
    calls it caught, an object its address.)"""
    return sorted((t.name, t.outcome) for t in stage.tests)


def _caught_by(path) -> int:
    return int(re.search(r"^Caught by: stage (\d)", path.read_text(), re.M).group(1))


def _caught_in_the_middle(kata):
    """A known-bad attempt caught by stage 2, and one caught by stage 3."""
    chosen = {}
    for path in kata.attempts_in("known_bad"):
        chosen.setdefault(_caught_by(path), path)
    return [chosen[2], chosen[3]]


@pytest.mark.parametrize("kata", catalog.all_katas(), ids=lambda k: k.slug)
def test_a_staged_check_shows_what_the_full_one_shows_up_to_the_failing_stage(kata):
    """A full cold check against a staged warm one (as `kata watch` grades)."""
    with WarmGrader(kata) as grader:
        checks = [(path, check_attempt(kata, path, ALL), grader.check(kata, path, STAGED))
                  for path in [*_caught_in_the_middle(kata), kata.reference_path,
                               kata.stub_path]]
    for path, full, staged in checks:
        assert staged.passed is full.passed and staged.error == full.error, path.name
        reached = full.stages_passed_in_order
        assert staged.stages_passed_in_order == reached, path.name
        shown = min(reached + 1, len(kata.stages))
        for one, other in zip(full.stages[:shown], staged.stages[:shown], strict=True):
            assert _shown(other) == _shown(one), path.name
            assert not other.locked
        for stage in staged.stages[shown:]:
            assert stage.locked and stage.tests == [] and not stage.passed, path.name


def test_the_warm_grader_grades_stage_by_stage_too(tmp_path):
    attempt = FLATTEN.dir / "known_bad" / "lists_not_flattened.py"  # fails stage 3
    with WarmGrader(FLATTEN) as grader:
        report = grader.check(FLATTEN, attempt, STAGED)
    assert [(s.passed, s.locked) for s in report.stages] == [
        (True, False), (True, False), (False, False), (False, True)]
    assert report.error is None and report.total == sum(len(s.tests) for s in report.stages)


def test_practice_check_locks_later_stages_and_all_stages_grades_them(kata, workspace):
    kata("start", "flatten")
    (workspace / "flatten.py").write_text(
        (FLATTEN.dir / "known_bad" / "no_validation.py").read_text())  # fails stage 2
    practice = kata("check", "--no-bench", "--json").json()
    assert [(s["passed"], s["locked"], bool(s["tests"])) for s in practice["stages"]] == [
        (True, False, True), (False, False, True), (False, True, False), (False, True, False)]
    text = kata("check", "--no-bench").stdout
    assert re.search(r"Stage 3 .* locked", text) and "Stages 3–4 are locked" in text
    every = kata("check", "--no-bench", "--json", "--all-stages").json()
    assert not any(s["locked"] for s in every["stages"])
    assert every["summary"]["total"] > practice["summary"]["total"]
