"""`kata history SLUG --html FILE`: a self-contained replay of one practice session.

The timeline of every check (when, the stage it reached, the time since the one before),
the stage splits against their time boxes, and each iteration's diff, so that an
interviewer can go through a session run in `kata watch` afterwards and a candidate can
see where the time went. The attempt's text is escaped everywhere.
"""

from __future__ import annotations

import html
import time

from harness.errors import UsageError
from harness.practice.iterations import Session
from harness.report.html_page import page
from harness.report.terminal import duration

CSS = """
h2 { font-size: 1.2rem; margin: 1.6rem 0 .5rem; border-bottom: 2px solid var(--line); }
.strip { display: flex; height: 2.2rem; margin: .6rem 0 .2rem; border-radius: 4px;
         overflow: hidden; border: 1px solid var(--line); }
.strip span { display: block; height: 100%; min-width: 2px;
              border-right: 1px solid rgba(255,255,255,.7); }
.legend { color: var(--muted); font-size: .85rem; margin: 0 0 .8rem; }
.legend i { display: inline-block; width: .9rem; height: .9rem; vertical-align: -2px;
            margin: 0 .25rem 0 .8rem; border-radius: 2px; }
.s0 { background: #c9d1da; } .s1 { background: #9ec5e8; } .s2 { background: #5f9ed6; }
.s3 { background: #2f6fb0; } .s4 { background: #1c7c43; } .s5 { background: #145c31; }
.passed { color: var(--good); font-weight: 600; }
.over { color: var(--bad); font-weight: 600; }
section.iteration { margin: 1.2rem 0; }
section.iteration h3 { font-size: 1rem; margin: 0 0 .3rem; }
pre.diff { background: var(--tint); border: 1px solid var(--line); border-radius: 4px;
           padding: .5rem .7rem; overflow-x: auto; line-height: 1.35; margin: 0; }
pre.diff .add { color: #0f5c2e; background: #e3f4e8; display: block; }
pre.diff .del { color: #8a2219; background: #fbe6e4; display: block; }
pre.diff .hunk { color: var(--accent); display: block; }
.unchanged { color: var(--muted); font-style: italic; }
"""


def replay_page(session: Session) -> str:
    kata = session.kata
    stages = len(kata.stages)
    esc = html.escape
    started = time.strftime("%Y-%m-%d %H:%M", time.localtime(session.start.started_at))
    last = session.timeline[-1] if session.timeline else None
    outcome = ("passed" if any(c.passed for c in session.timeline)
               else f"reached stage {max((c.reached for c in session.timeline), default=0) + 1}"
               f" of {stages}")
    parts = [
        f"<h1>Replay: {esc(kata.title)}</h1>",
        f'<p class="meta">{esc(kata.slug)} · started {esc(started)} · '
        f"{len(session.iterations)} iterations in {len(session.timeline)} checks · "
        f"{esc(duration(last.since_start_s if last else None))} on the clock · {outcome}</p>",
    ]
    parts += _timeline(session, stages)
    parts += _splits(session)
    parts += _iterations(session, stages)
    return page(f"Replay: {kata.title}", "\n".join(parts), CSS)


def _timeline(session: Session, stages: int) -> list[str]:
    checks = [c for c in session.timeline if c.since_start_s is not None]
    if not session.timeline:
        return ["<h2>Timeline</h2>", '<p class="unchanged">No checks yet.</p>']
    out = ["<h2>Timeline</h2>"]
    total = max((c.since_start_s for c in checks), default=0.0) or 1.0
    # The strip: each span is the time until a check, coloured by the stage it reached.
    spans, before = [], 0.0
    for check in checks:
        width = max(0.0, check.since_start_s - before) / total * 100
        level = stages + 1 if check.passed else min(check.reached, stages)
        spans.append(f'<span class="s{min(level, 5)}" style="width:{width:.2f}%" '
                     f'title="check at {html.escape(duration(check.since_start_s))}: '
                     f'{check.reached}/{stages} stages"></span>')
        before = check.since_start_s
    out.append(f'<div class="strip">{"".join(spans)}</div>')
    legend = "".join(f'<i class="s{n}"></i>{n} stage{"s" * (n != 1)} passed'
                     for n in range(0, stages + 1))
    out.append(f'<p class="legend">Each band ends at a check; its colour is the stage that '
               f"check reached.{legend}</p>")
    rows = []
    previous = None
    for n, check in enumerate(session.timeline, 1):
        gap = (None if previous is None or check.since_start_s is None
               or previous.since_start_s is None
               else check.since_start_s - previous.since_start_s)
        verdict = ('<span class="passed">passed</span>' if check.passed
                   else f"{check.reached}/{stages} stages")
        rows.append(f'<tr><td class="num">{n}</td>'
                    f'<td class="num">{html.escape(duration(check.since_start_s))}</td>'
                    f'<td class="num">{html.escape(duration(gap)) if gap is not None else ""}'
                    f'</td><td class="num"><a href="#iteration-{check.iteration}">'
                    f"{check.iteration}</a></td><td>{verdict}</td>"
                    f'<td class="num">{check.passed_tests}/{check.total}</td></tr>')
        previous = check
    out.append("<table><tr><th>check</th><th>since start</th><th>after the one before</th>"
               "<th>iteration</th><th>stage reached</th><th>tests</th></tr>"
               + "".join(rows) + "</table>")
    return out


def _splits(session: Session) -> list[str]:
    out = ["<h2>Stages</h2>"]
    rows, before = [], 0.0
    for stage in session.kata.stages:
        at = session.splits.get(stage.number)
        if at is None:
            cell, spent = "not yet", ""
        else:
            taken = at - before
            over = stage.minutes and taken > stage.minutes * 60
            spent = (f'<span class="over">{html.escape(duration(taken))}</span>' if over
                     else html.escape(duration(taken)))
            cell, before = html.escape(duration(at)), at
        rows.append(f'<tr><td class="num">{stage.number}</td><td>{html.escape(stage.title)}</td>'
                    f'<td class="num">{cell}</td><td class="num">{spent}</td>'
                    f'<td class="num">{stage.minutes} min</td></tr>')
    out.append("<table><tr><th>stage</th><th>title</th><th>first passed at</th>"
               "<th>time on it</th><th>time box</th></tr>" + "".join(rows) + "</table>")
    return out


def _iterations(session: Session, stages: int) -> list[str]:
    out = ["<h2>Iterations</h2>"]
    previous = 0  # the stub
    for it in session.iterations:
        verdict = ('<span class="passed">passed</span>' if it.passed
                   else f"{it.reached}/{stages} stages")
        changed = "" if it.added is None else f" · +{it.added} −{it.removed} lines"
        checked = f" · checked {it.checks}×" if it.checks > 1 else ""
        out.append(f'<section class="iteration" id="iteration-{it.number}">'
                   f"<h3>Iteration {it.number} · {html.escape(duration(it.since_start_s))} · "
                   f"{verdict} · {it.passed_tests}/{it.total} tests{changed}{checked}</h3>")
        if it.source is None:
            out.append('<p class="unchanged">Source not kept.</p>')
        else:
            try:
                diff = session.diff(previous, it.number)
            except UsageError:  # the one before has no source: show this one whole
                diff = ""
            out.append(_diff_html(diff) if diff
                       else f'<pre class="diff">{html.escape(it.source)}</pre>')
            previous = it.number
        out.append("</section>")
    return out


def _diff_html(diff: str) -> str:
    lines = []
    for line in diff.splitlines()[2:]:  # the ---/+++ header says nothing here
        kind = {"+": "add", "-": "del", "@": "hunk"}.get(line[:1])
        text = html.escape(line)
        lines.append(f'<span class="{kind}">{text}</span>' if kind else text + "\n")
    return f'<pre class="diff">{"".join(lines)}</pre>'
