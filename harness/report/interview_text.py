"""Terminal text for interviewer mode: the kata list and the session plan."""

from __future__ import annotations

from harness.catalog import Kata
from harness.interview.planning import Plan, clock


def kata_list(katas: list[Kata]) -> str:
    if not katas:
        return "No kata matches."
    blocks = []
    for kata in katas:
        stages = " → ".join(f"{s.title} ({s.minutes})" for s in kata.stages)
        blocks.append(f"{kata.slug:<14} {kata.level:<7} {kata.minutes:>3} min  {kata.title}\n"
                      f"{'':<14} topics: {', '.join(kata.topics)}\n"
                      f"{'':<14} stages: {stages}")
    return "\n".join(blocks)


def kata_list_json(katas: list[Kata]) -> list[dict]:
    return [{
        "slug": k.slug, "title": k.title, "level": k.level, "minutes": k.minutes,
        "topics": list(k.topics),
        "stages": [{"number": s.number, "title": s.title, "minutes": s.minutes}
                   for s in k.stages],
    } for k in katas]


def plan_text(plan: Plan) -> str:
    level = f", {plan.level}" if plan.level else ""
    lines = [f"A {plan.minutes}-minute session{level} (seed {plan.seed}): "
             + " then ".join(f"{k.slug} ({k.title}, {k.level}, {k.minutes} min)"
                             for k in plan.katas), ""]
    for block in plan.blocks:
        end = block.start + block.minutes
        lines.append(f"  {clock(block.start)}–{clock(end)}  {block.minutes:>3} min  "
                     f"{block.kind:<10} {block.label}")
    if plan.notes:
        lines.append("")
        lines += [f"Note: {note}" for note in plan.notes]
    lines.append("")
    lines += [f"Sheet: kata interview sheet {k.slug} --format html --output {k.slug}-sheet.html"
              for k in plan.katas]
    return "\n".join(lines)
