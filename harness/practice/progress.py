"""Where a candidate stands: per-kata progress, readiness by topic, and a practice plan.

Readiness rule (also in `kata stats --help`), per kata, from 0 to 100:
  - not started: 0;
  - started, not passed: 20 for each stage passed in order (so at most 60);
  - passed: 70, plus up to 30 for pace: 30 x min(1, time box / best time to pass).
    Passing within the kata's time box scores 100; twice as slow scores 85.
A topic's readiness is the mean over every kata that has the topic (a kata not
started counts 0). The weakest topic is the one with the lowest readiness.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from harness.catalog import LEVELS, Kata
from harness.practice.history import Store

READINESS_RULE = __doc__.split("Readiness rule (also in `kata stats --help`), ")[1].split(
    "\n\n")[0]


@dataclass
class KataProgress:
    kata: Kata
    checks: int = 0
    started: bool = False
    passed: bool = False
    stages_passed: int = 0  # best, in order from the first
    best_s: float | None = None  # fastest time from start to a full pass
    best_splits: dict[int, float] = field(default_factory=dict)  # stage -> fastest split
    pass_times: list[float] = field(default_factory=list)  # time to pass, per start, oldest first

    @property
    def status(self) -> str:
        return "passed" if self.passed else "started" if self.started else "new"

    @property
    def readiness(self) -> int:
        if self.passed:
            pace = 1.0 if not self.best_s else min(1.0, self.kata.minutes * 60 / self.best_s)
            return round(70 + 30 * pace)
        return 20 * min(self.stages_passed, 3) if self.started else 0

    def to_dict(self) -> dict:
        return {
            "slug": self.kata.slug, "title": self.kata.title, "status": self.status,
            "checks": self.checks, "passed": self.passed, "stages_passed": self.stages_passed,
            "best_s": None if self.best_s is None else round(self.best_s, 1),
            "splits": {str(k): round(v, 1) for k, v in sorted(self.best_splits.items())},
            "pass_times_s": [round(t, 1) for t in self.pass_times],
            "readiness": self.readiness,
        }


@dataclass(frozen=True)
class TopicReadiness:
    topic: str
    readiness: int
    katas: tuple[str, ...]


def kata_progress(store: Store, kata: Kata) -> KataProgress:
    progress = KataProgress(kata)
    checks = store.checks(kata.slug)
    progress.checks = len(checks)
    starts = store.starts(kata.slug)
    progress.started = bool(starts) or bool(checks)
    progress.passed = any(row["passed"] for row in checks)
    progress.stages_passed = max((row["reached"] for row in checks), default=0)
    progress.best_s = store.best_time(kata.slug)
    for start in starts:
        splits = store.splits(start)
        for stage, seconds in splits.items():
            progress.best_splits[stage] = min(progress.best_splits.get(stage, seconds), seconds)
        if len(splits) == len(kata.stages) and kata.stages:
            progress.pass_times.append(splits[len(kata.stages)])
    return progress


def topic_readiness(progress: list[KataProgress]) -> list[TopicReadiness]:
    by_topic: dict[str, list[KataProgress]] = {}
    for item in progress:
        for topic in item.kata.topics:
            by_topic.setdefault(topic, []).append(item)
    return [
        TopicReadiness(topic, round(sum(p.readiness for p in items) / len(items)),
                       tuple(p.kata.slug for p in items))
        for topic, items in sorted(by_topic.items())
    ]


def weakest(topics: list[TopicReadiness]) -> TopicReadiness | None:
    """The topic with the lowest readiness; among equals, the one with more katas."""
    if not topics:
        return None
    return min(topics, key=lambda t: (t.readiness, -len(t.katas), t.topic))


def stats_document(progress: list[KataProgress]) -> dict:
    topics = topic_readiness(progress)
    weakest_topic = weakest(topics)
    return {
        "katas": [p.to_dict() for p in progress],
        "topics": [{"topic": t.topic, "readiness": t.readiness, "katas": list(t.katas)}
                   for t in topics],
        "weakest_topic": weakest_topic.topic if weakest_topic else None,
        "rule": READINESS_RULE,
    }


# -- the practice plan -----------------------------------------------------------

@dataclass(frozen=True)
class Session:
    day: int
    slug: str
    title: str
    goal: str
    stages: tuple[int, ...]  # the stages to work on or repeat
    target_minutes: int
    command: str


def slow_stages(progress: KataProgress) -> list[int]:
    """Stages whose best split took longer than their time box."""
    slow, previous = [], 0.0
    for stage in progress.kata.stages:
        split = progress.best_splits.get(stage.number)
        if split is None:
            break
        if stage.minutes and split - previous > stage.minutes * 60:
            slow.append(stage.number)
        previous = split
    return slow


def session_for(progress: KataProgress, day: int) -> Session:
    kata = progress.kata
    all_stages = tuple(s.number for s in kata.stages)
    if not progress.started:
        goal = "first attempt: pass all stages within the time box"
        stages, target = all_stages, kata.minutes
    elif not progress.passed:
        todo = all_stages[progress.stages_passed:]
        goal = f"get past stage {progress.stages_passed}: stages {_span(todo)} still to pass"
        stages, target = todo, kata.minutes
    else:
        slow = slow_stages(progress)
        box = kata.minutes * 60
        if progress.best_s and progress.best_s > box:
            goal = "redo from scratch and pass within the time box"
            target = kata.minutes
        else:
            goal = "redo from scratch, faster than your best"
            target = max(1, int((progress.best_s or box) * 0.8 // 60))
        if slow:
            goal += f"; stages {_span(tuple(slow))} took longer than their time box"
        stages = tuple(slow) or all_stages
    command = f"kata reset {kata.slug}" if progress.started else f"kata start {kata.slug}"
    return Session(day, kata.slug, kata.title, goal, stages, target, command)


def practice_plan(progress: list[KataProgress], days: int, topic: str | None = None) -> dict:
    topics = topic_readiness(progress)
    focus = next((t for t in topics if t.topic == topic), None) if topic else weakest(topics)
    if focus is None:
        return {"topic": topic, "readiness": None, "days": []}
    level_order = {level: i for i, level in enumerate(LEVELS)}
    order = sorted((p for p in progress if p.kata.slug in focus.katas),
                   key=lambda p: (p.readiness, level_order.get(p.kata.level, 9), p.kata.slug))
    sessions = [session_for(order[(day - 1) % len(order)], day) for day in range(1, days + 1)]
    return {
        "topic": focus.topic,
        "readiness": focus.readiness,
        "days": [{"day": s.day, "slug": s.slug, "title": s.title, "goal": s.goal,
                  "stages": list(s.stages), "target_minutes": s.target_minutes,
                  "command": s.command} for s in sessions],
    }


def _span(stages: tuple[int, ...]) -> str:
    if len(stages) > 1 and stages == tuple(range(stages[0], stages[-1] + 1)):
        return f"{stages[0]}-{stages[-1]}"
    return ", ".join(map(str, stages))
