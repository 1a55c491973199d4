"""The readiness rule, the weakest topic, the practice plan, and `kata stats`/`kata plan`."""

from __future__ import annotations

from dataclasses import replace

import pytest

from harness import catalog
from harness.practice.progress import KataProgress, practice_plan, stats_document, topic_readiness

FLATTEN = catalog.find_kata("flatten")


def _kata(slug, topics, minutes=20, level="mid"):
    return replace(FLATTEN, slug=slug, topics=tuple(topics), minutes=minutes, level=level)


@pytest.mark.parametrize(("progress", "score"), [
    (dict(), 0),
    (dict(started=True), 0),
    (dict(started=True, stages_passed=2), 40),
    (dict(started=True, stages_passed=3), 60),
    (dict(started=True, stages_passed=4, passed=True, best_s=600), 100),
    (dict(started=True, stages_passed=4, passed=True, best_s=1200), 100),
    (dict(started=True, stages_passed=4, passed=True, best_s=2400), 85),
    (dict(started=True, stages_passed=4, passed=True, best_s=12000), 73),
])
def test_kata_readiness_rule(progress, score):
    assert KataProgress(_kata("k", ["t"]), **progress).readiness == score


def test_topic_readiness_is_the_mean_and_the_weakest_is_lowest():
    a = KataProgress(_kata("a", ["async", "concurrency"]), started=True, stages_passed=4,
                     passed=True, best_s=100)
    b = KataProgress(_kata("b", ["concurrency"]), started=True, stages_passed=1)
    c = KataProgress(_kata("c", ["recursion"]))
    topics = {t.topic: t.readiness for t in topic_readiness([a, b, c])}
    assert topics == {"async": 100, "concurrency": 60, "recursion": 0}
    document = stats_document([a, b, c])
    assert document["weakest_topic"] == "recursion"
    assert {k["slug"] for k in document["katas"]} == {"a", "b", "c"}


def test_plan_focuses_on_the_weakest_topic_and_its_unfinished_stages():
    a = KataProgress(_kata("a", ["async"]), started=True, stages_passed=4, passed=True,
                     best_s=100)
    b = KataProgress(_kata("b", ["trees"], level="senior"), started=True, stages_passed=2)
    c = KataProgress(_kata("c", ["trees"], level="junior"))
    plan = practice_plan([a, b, c], days=3)
    assert plan["topic"] == "trees"
    days = plan["days"]
    assert [d["slug"] for d in days] == ["c", "b", "c"]  # weakest first, then cycle
    assert days[0]["stages"] == [1, 2, 3, 4] and days[0]["command"] == "kata start c"
    # Stuck on stage 3: that stage, its time box, its hints; the attempt continues.
    assert days[1]["stages"] == [3] and days[1]["command"].startswith("kata check b")
    assert "stage 3" in days[1]["goal"] and "hint" in days[1]["goal"]
    assert days[1]["target_minutes"] == 4  # flatten's stage 3 box
    # c comes back: not "start it" again, but the stages left, without hints.
    assert days[2]["command"] == "kata check c" and "without hints" in days[2]["goal"]
    assert len({d["goal"] for d in days}) == 3


def test_plan_for_a_passed_kata_targets_a_faster_time():
    slow = KataProgress(_kata("a", ["t"], minutes=20), started=True, stages_passed=4,
                        passed=True, best_s=2400, best_splits={1: 1200, 2: 1500, 3: 1800, 4: 2400})
    day = practice_plan([slow], days=1)["days"][0]
    assert day["target_minutes"] == 20 and "within the time box" in day["goal"]
    # Flatten's stage boxes are 6, 5, 4 and 5 minutes: stage 2 took exactly its 5.
    assert day["stages"] == [1, 3, 4] and "stages 1, 3, 4 took longer" in day["goal"]
    fast = replace(slow, best_s=600)
    days = practice_plan([fast], days=3)["days"]
    assert [d["target_minutes"] for d in days] == [8, 6, 5]  # each return, a fifth faster
    assert all(d["command"] == "kata reset a" for d in days)


@pytest.mark.slow
def test_stats_and_plan_on_the_command_line(kata, workspace):
    kata("start", "flatten")
    (workspace / "flatten.py").write_text(FLATTEN.reference_path.read_text())
    kata("check", "--no-bench")
    stats = kata("stats", "--json").json()
    flatten = next(k for k in stats["katas"] if k["slug"] == "flatten")
    assert flatten["passed"] is True and flatten["checks"] == 1 and flatten["best_s"] > 0
    assert flatten["readiness"] == 100
    assert {t["topic"] for t in stats["topics"]} >= set(FLATTEN.topics)
    assert stats["weakest_topic"] not in FLATTEN.topics
    text = kata("stats").stdout
    assert "Readiness by topic" in text and "Weakest topic" in text
    plan = kata("plan", "--days", "2", "--json").json()
    assert plan["topic"] == stats["weakest_topic"] and len(plan["days"]) == 2
    assert kata("plan", "--topic", "no-such-topic").code == 2


@pytest.mark.slow
def test_list_stats_plan_and_check_agree_after_mixed_runs(kata, kata_home, workspace, tmp_path):
    """Practice, a --file check of a stranger's file, a --blind check and kata grade in one
    KATA_HOME: every command tells the same status, stages and best time."""
    reference = {k: catalog.find_kata(k).reference_path.read_text()
                 for k in ("flatten", "retry", "lru-cache")}
    assert kata("start", "flatten").code == 0
    flat = reference["flatten"]
    (workspace / "flatten.py").write_text(flat[:flat.index("def unflatten(")])
    flatten_check = kata("check", "flatten", "--json", "--no-bench").json()
    assert kata("start", "retry").code == 0
    (workspace / "retry.py").write_text(reference["retry"])
    retry_check = kata("check", "retry", "--json", "--no-bench").json()
    stranger = tmp_path / "stranger.py"
    stranger.write_text(reference["lru-cache"])
    assert kata("check", "lru-cache", "--file", str(stranger), "--no-bench").code == 0
    assert kata("check", "retry", "--blind", "--json", "--no-bench").code == 0
    folder = tmp_path / "candidates"
    folder.mkdir()
    (folder / "c.py").write_text(reference["lru-cache"])
    assert kata("grade", str(folder), "--kata", "lru-cache", "--no-bench").code == 0

    listed = {r["slug"]: r for r in kata("list", "--json").json()}
    stats = {r["slug"]: r for r in kata("stats", "--json").json()["katas"]}
    for slug in listed:
        assert listed[slug]["status"] == stats[slug]["status"], slug
        assert listed[slug]["stages_passed"] == stats[slug]["stages_passed"], slug
    assert listed["flatten"]["status"] == "started" and listed["flatten"]["stages_passed"] == 3
    assert flatten_check["passed"] is False
    assert listed["retry"]["status"] == "passed" and retry_check["passed"] is True
    assert stats["retry"]["best_s"] == round(retry_check["timing"]["best_s"], 1)
    assert listed["lru-cache"]["status"] == "new" and stats["lru-cache"]["checks"] == 0
    plan = kata("plan", "--json").json()
    topics = {t["topic"]: t["readiness"] for t in kata("stats", "--json").json()["topics"]}
    assert plan["readiness"] == topics[plan["topic"]]
