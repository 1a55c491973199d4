"""Interviewer mode: which katas fit a slot, and a deterministic plan for the session.

Pure logic over the catalog: no printing, no click. Problems the interviewer
can fix (no kata fits, bad level) raise `practice.UsageError` (exit status 2).
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from harness import catalog
from harness.catalog import LEVELS, Kata
from harness.errors import UsageError


def is_interview_ready(kata: Kata) -> bool:
    """A kata can be planned when it has a level, a time box and timed stages."""
    return (kata.level in LEVELS and kata.minutes > 0 and bool(kata.stages)
            and all(stage.minutes > 0 for stage in kata.stages))


def ready_katas() -> list[Kata]:
    """Every kata an interviewer can use, sorted by slug."""
    return sorted((k for k in catalog.all_katas() if is_interview_ready(k)),
                  key=lambda k: k.slug)


def _check_level(level: str | None) -> None:
    if level is not None and level not in LEVELS:
        raise UsageError(f"unknown level {level!r}; levels: {', '.join(LEVELS)}")


def matching_katas(level: str | None = None, minutes: int | None = None,
                   topic: str | None = None) -> list[Kata]:
    """The katas of `level` whose time box is at most `minutes` and that cover `topic`."""
    _check_level(level)
    wanted_topic = topic.strip().lower() if topic else None
    return [
        kata for kata in ready_katas()
        if (level is None or kata.level == level)
        and (minutes is None or kata.minutes <= minutes)
        and (wanted_topic is None or wanted_topic in (t.lower() for t in kata.topics))
    ]


# -- the plan ------------------------------------------------------------------

@dataclass(frozen=True)
class Block:
    """One slice of the session's timeline."""

    start: int  # minutes from the start of the slot
    minutes: int
    kind: str  # "intro", "prompt", "follow-up", "questions", "spare"
    label: str
    slug: str | None = None
    stage: int | None = None


@dataclass(frozen=True)
class Plan:
    minutes: int  # the slot
    level: str | None
    seed: int
    katas: tuple[Kata, ...]
    blocks: tuple[Block, ...]
    notes: tuple[str, ...] = field(default=())

    @property
    def kata_minutes(self) -> int:
        return sum(k.minutes for k in self.katas)

    @property
    def planned_minutes(self) -> int:
        return sum(b.minutes for b in self.blocks)

    def to_dict(self) -> dict:
        return {
            "minutes": self.minutes,
            "level": self.level,
            "seed": self.seed,
            "katas": [{
                "slug": k.slug, "title": k.title, "level": k.level, "minutes": k.minutes,
                "stages": [{"number": s.number, "title": s.title, "minutes": s.minutes}
                           for s in k.stages],
            } for k in self.katas],
            "timeline": [{
                "start": b.start, "minutes": b.minutes, "kind": b.kind, "label": b.label,
                "slug": b.slug, "stage": b.stage,
            } for b in self.blocks],
            "notes": list(self.notes),
        }


def overhead_minutes(slot: int) -> tuple[int, int]:
    """(intro and clarifying questions, the candidate's questions) for a slot."""
    return (5, 5) if slot >= 40 else (3, 2)


def plan_session(minutes: int, level: str | None = None, seed: int = 0) -> Plan:
    """A session that fits `minutes`: one kata, and a second one when there is room.

    The katas are drawn with random.Random(seed) among those that fit, so the
    same arguments always give the same plan. With a level, katas of that level
    are preferred; when none fits, the nearest lower level is used and a note says why.
    """
    _check_level(level)
    if minutes <= 0:
        raise UsageError("--minutes must be a positive number of minutes")
    intro, questions = overhead_minutes(minutes)
    room = minutes - intro - questions
    pool, notes = _pool(room, level, minutes)
    rng = random.Random(seed)
    chosen = [rng.choice(pool)]
    left = room - chosen[0].minutes
    second = [k for k in pool if k is not chosen[0] and k.minutes <= left]
    if second:
        chosen.append(rng.choice(second))
        notes.append(f"The slot leaves room for a second kata: {chosen[1].slug}.")
    return Plan(minutes, level, seed, tuple(chosen),
                tuple(_timeline(minutes, chosen, intro, questions)), tuple(notes))


def _pool(room: int, level: str | None, slot: int) -> tuple[list[Kata], list[str]]:
    """The katas to draw from, and notes on any fallback to a lower level."""
    ready = ready_katas()
    # The requested level first, then each lower level, nearest first; or any level.
    levels: list[str | None] = (
        [level, *reversed(LEVELS[: LEVELS.index(level)])] if level else [None])
    for candidate_level in levels:
        pool = [k for k in ready if k.minutes <= room
                and (candidate_level is None or k.level == candidate_level)]
        if pool:
            notes = []
            if level and candidate_level != level:
                notes.append(_fallback_note(ready, level, candidate_level, room, slot))
            return pool, notes
    shortest = min(ready, key=lambda k: k.minutes, default=None)
    if shortest is None:
        raise UsageError("no kata is ready for interviews (each needs a level and timed stages)")
    scope = f"at level {level} or below" if level else "at any level"
    raise UsageError(
        f"no kata {scope} fits {slot} minutes: {slot - room} of them go to the intro and "
        f"the candidate's questions, and the shortest kata ({shortest.slug}, {shortest.level}) "
        f"needs {shortest.minutes}; ask for at least {minimum_slot(shortest.minutes)} minutes")


def minimum_slot(kata_minutes: int) -> int:
    """The shortest slot that holds a kata of `kata_minutes` with the intro and questions."""
    slot = kata_minutes
    while slot - sum(overhead_minutes(slot)) < kata_minutes:
        slot += 1
    return slot


def _fallback_note(ready: list[Kata], level: str, used: str, room: int, slot: int) -> str:
    own = sorted(k.minutes for k in ready if k.level == level)
    why = (f"the shortest {level} kata needs {own[0]} minutes and only {room} of the "
           f"{slot} are left after the intro and questions" if own
           else f"there is no {level} kata yet")
    return f"No {level} kata fits: {why}. Using the nearest lower level, {used}."


def _timeline(slot: int, katas: list[Kata], intro: int, questions: int) -> list[Block]:
    blocks = [Block(0, intro, "intro", "Introductions; say the first prompt; "
                    "clarifying questions")]
    clock = intro
    for kata in katas:
        for stage in kata.stages:
            kind = "prompt" if stage.number == 1 else "follow-up"
            label = f"{kata.slug} stage {stage.number}: {stage.title}"
            blocks.append(Block(clock, stage.minutes, kind, label, kata.slug, stage.number))
            clock += stage.minutes
    spare = slot - clock - questions
    if spare > 0:
        blocks.append(Block(clock, spare, "spare", "Spare: let a stage run over, "
                            "or discuss complexity and testing"))
        clock += spare
    blocks.append(Block(clock, questions, "questions", "The candidate's questions"))
    return blocks


def clock(minutes: int) -> str:
    """Minutes from the start as h:mm, e.g. 65 -> '1:05'."""
    return f"{minutes // 60}:{minutes % 60:02d}"
