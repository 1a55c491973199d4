"""Interviewer mode: `kata interview list` and `kata interview plan`."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness import catalog
from harness.catalog import Kata, Stage
from harness.errors import UsageError
from harness.interview import planning as interview


def fake_kata(slug: str, level: str, stage_minutes: list[int],
              topics: tuple[str, ...] = ("x",)) -> Kata:
    stages = tuple(Stage(n, f"{slug} stage {n}", m, f"prompt {n}", ("h",), ("s",), ("w",))
                   for n, m in enumerate(stage_minutes, start=1))
    return Kata(slug=slug, dir=Path(slug), title=slug.title(), level=level,
                minutes=sum(stage_minutes), topics=topics, file=f"{slug}.py",
                interface=("f",), summary="", mistakes=("m",), questions=(), stages=stages)


@pytest.fixture
def fake_catalog(monkeypatch):
    """A catalog of known shape, independent of the katas being written meanwhile."""
    katas = [
        fake_kata("jr-a", "junior", [5, 5, 5, 5], ("recursion",)),
        fake_kata("jr-b", "junior", [6, 6, 4, 4]),
        fake_kata("mid-a", "mid", [10, 7, 6, 7], ("async", "Decorators")),
        fake_kata("mid-b", "mid", [8, 8, 7, 7]),
        fake_kata("sr-a", "senior", [12, 9, 7, 7]),
        fake_kata("broken", "", []),  # still being written: never offered
    ]
    monkeypatch.setattr(catalog, "all_katas", lambda extra=None: katas)
    return katas


# -- filtering -------------------------------------------------------------------

def test_only_katas_with_a_level_and_timed_stages_are_offered(fake_catalog):
    slugs = [k.slug for k in interview.ready_katas()]
    assert slugs == ["jr-a", "jr-b", "mid-a", "mid-b", "sr-a"]


def test_filters_by_level_minutes_and_topic(fake_catalog):
    assert [k.slug for k in interview.matching_katas(level="mid")] == ["mid-a", "mid-b"]
    assert [k.slug for k in interview.matching_katas(minutes=20)] == ["jr-a", "jr-b"]
    assert [k.slug for k in interview.matching_katas(topic="decorators")] == ["mid-a"]
    assert interview.matching_katas(level="senior", minutes=30) == []


def test_an_unknown_level_is_a_usage_error(fake_catalog):
    with pytest.raises(UsageError, match="levels: junior, mid, senior"):
        interview.matching_katas(level="principal")


# -- the plan ----------------------------------------------------------------------

def test_the_plan_fits_the_slot_and_its_timeline_has_no_gaps(fake_catalog):
    plan = interview.plan_session(45, "mid", seed=0)
    assert [k.level for k in plan.katas] == ["mid"]
    assert plan.kata_minutes <= 45
    assert plan.planned_minutes == 45
    clock = 0
    for block in plan.blocks:
        assert block.start == clock
        clock += block.minutes
    kinds = [b.kind for b in plan.blocks]
    assert kinds[0] == "intro" and kinds[-1] == "questions"
    assert kinds.count("prompt") == 1 and kinds.count("follow-up") == 3


def test_the_plan_is_deterministic_for_a_seed(fake_catalog):
    for seed in range(5):
        first = interview.plan_session(60, None, seed).to_dict()
        assert interview.plan_session(60, None, seed).to_dict() == first


def test_seeds_choose_among_every_fitting_kata(fake_catalog):
    chosen = {interview.plan_session(45, "mid", seed).katas[0].slug for seed in range(30)}
    assert chosen == {"mid-a", "mid-b"}


def test_a_long_slot_gets_a_second_kata(fake_catalog):
    plan = interview.plan_session(80, "mid", seed=1)
    assert sorted(k.slug for k in plan.katas) == ["mid-a", "mid-b"]
    assert plan.kata_minutes <= 80 and plan.planned_minutes == 80
    assert [b.kind for b in plan.blocks].count("prompt") == 2


def test_no_fit_at_the_level_falls_back_to_the_nearest_lower_one(fake_catalog):
    plan = interview.plan_session(30, "senior", seed=0)
    assert plan.katas[0].level == "junior"  # no senior or mid kata fits 25 minutes
    assert "No senior kata fits" in plan.notes[0]
    assert "junior" in plan.notes[0]


def test_a_slot_too_short_for_any_kata_says_how_long_it_must_be(fake_catalog):
    with pytest.raises(UsageError, match="ask for at least 25 minutes"):
        interview.plan_session(15, "junior")
    plan = interview.plan_session(25, "junior")
    assert plan.kata_minutes == 20


# -- the real command line -------------------------------------------------------

def test_list_json_gives_level_minutes_topics_and_stage_titles(kata):
    run = kata("interview", "list", "--json")
    assert run.code == 0, run.stderr
    flatten = next(row for row in run.json() if row["slug"] == "flatten")
    real = catalog.find_kata("flatten")
    assert flatten["level"] == "junior" and flatten["minutes"] == real.minutes
    assert flatten["topics"] == list(real.topics)
    assert [s["title"] for s in flatten["stages"]] == [s.title for s in real.stages]


def test_list_filters_on_the_command_line(kata):
    run = kata("interview", "list", "--level", "junior", "--minutes", "20",
               "--topic", "recursion")
    assert run.code == 0
    assert "flatten" in run.stdout and "Nested dicts" in run.stdout
    assert kata("interview", "list", "--minutes", "1").stdout.strip() == "No kata matches."
    assert kata("interview", "list", "--level", "principal").code == 2


def test_plan_json_fits_the_slot_and_is_deterministic(kata):
    run = kata("interview", "plan", "--minutes", "45", "--level", "mid", "--json")
    assert run.code == 0, run.stderr
    plan = run.json()
    assert plan["minutes"] == 45
    assert plan["katas"] and all({"slug", "minutes"} <= set(k) for k in plan["katas"])
    assert sum(k["minutes"] for k in plan["katas"]) <= 45
    assert sum(b["minutes"] for b in plan["timeline"]) == 45
    again = kata("interview", "plan", "--minutes", "45", "--level", "mid", "--json")
    assert again.json() == plan


def test_plan_text_names_the_sheet_command(kata):
    args = ("interview", "plan", "--minutes", "30", "--level", "junior", "--seed", "7")
    slug = kata(*args, "--json").json()["katas"][0]["slug"]
    run = kata(*args)
    assert run.code == 0, run.stderr
    assert f"{slug} stage 1" in run.stdout and "follow-up" in run.stdout
    assert f"kata interview sheet {slug} --format html" in run.stdout


def test_plan_usage_errors(kata):
    short = kata("interview", "plan", "--minutes", "10")
    assert short.code == 2 and "ask for at least" in short.stderr
    assert kata("interview", "plan").code == 2  # --minutes is required
