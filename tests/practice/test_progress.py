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
    assert days[1]["stages"] == [3, 4] and days[1]["command"] == "kata reset b"
    assert all(d["target_minutes"] == 20 for d in days)


def test_plan_for_a_passed_kata_targets_a_faster_time():
    slow = KataProgress(_kata("a", ["t"], minutes=20), started=True, stages_passed=4,
                        passed=True, best_s=2400, best_splits={1: 1200, 2: 1500, 3: 1800, 4: 2400})
    day = practice_plan([slow], days=1)["days"][0]
    assert day["target_minutes"] == 20 and "within the time box" in day["goal"]
    # Flatten's stage boxes are 6, 5, 4 and 5 minutes: stage 2 took exactly its 5.
    assert day["stages"] == [1, 3, 4] and "stages 1, 3, 4 took longer" in day["goal"]
    fast = replace(slow, best_s=600)
    assert practice_plan([fast], days=1)["days"][0]["target_minutes"] == 8


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
