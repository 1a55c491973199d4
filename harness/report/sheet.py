"""The interviewer's sheet for one kata, as Markdown or as one self-contained HTML page.

Pure functions: a Kata in, text out. The HTML has its CSS inline (with a print
stylesheet) and loads nothing from the network.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from harness.catalog import Kata, Stage
from harness.interview.planning import clock
from harness.levels import FORMATS
from harness.report import html_page as skeleton

OPENING = "The opening prompt, above: say it, then answer the clarifying questions."


@dataclass(frozen=True)
class TimedStage:
    stage: Stage
    start: int  # minutes from the first prompt
    end: int


def timed_stages(kata: Kata) -> list[TimedStage]:
    timed, start = [], 0
    for stage in kata.stages:
        timed.append(TimedStage(stage, start, start + stage.minutes))
        start += stage.minutes
    return timed


def reference_text(kata: Kata) -> str | None:
    try:
        return kata.reference_path.read_text(encoding="utf-8")
    except OSError:
        return None


def render(kata: Kata, fmt: str) -> str:
    if fmt == "md":
        return markdown(kata)
    if fmt == "html":
        return html_page(kata)
    raise ValueError(f"unknown sheet format {fmt!r}; formats: {', '.join(FORMATS)}")


# -- Markdown ------------------------------------------------------------------

def _bullets(items: tuple[str, ...] | list[str], box: bool = False) -> list[str]:
    mark = "- [ ] " if box else "- "
    return [f"{mark}{item}" for item in items] or ["- (none given)"]


def _quote(text: str) -> list[str]:
    return [f"> {line}" if line else ">" for line in text.splitlines()] or ["> (no prompt)"]


def markdown(kata: Kata) -> str:
    out = [f"# Interview sheet: {kata.title}", "",
           f"`{kata.slug}` · {kata.level} · {kata.minutes} min · "
           f"{', '.join(kata.topics)} · the candidate edits `{kata.file}` "
           f"(defines {', '.join(f'`{n}`' for n in kata.interface)})", ""]
    if kata.summary:
        out += [kata.summary, ""]
    out += ["## Timeline", "", "| Stage | Title | Time box | Minutes from the first prompt |",
            "|---|---|---|---|"]
    out += [f"| {t.stage.number} | {t.stage.title} | {t.stage.minutes} min | "
            f"{clock(t.start)}–{clock(t.end)} |" for t in timed_stages(kata)]
    first = kata.stages[0] if kata.stages else None
    out += ["", "## The prompt, said aloud", ""]
    out += _quote(first.prompt if first else "")
    out += ["", "## Clarifying questions a strong candidate asks", ""]
    for question in kata.questions:
        out += [f"- **Q:** {question.ask}", f"  **A:** {question.answer}"]
    if not kata.questions:
        out.append("- (none given)")
    for timed in timed_stages(kata):
        stage = timed.stage
        out += ["", f"## Stage {stage.number}: {stage.title} "
                f"({stage.minutes} min, {clock(timed.start)}–{clock(timed.end)})", ""]
        if stage.number == 1:
            out.append(OPENING)
        else:
            out += ["Follow-up, say aloud:", "", *_quote(stage.prompt)]
        out += ["", "Hints, one at a time if the candidate is stuck:", ""]
        out += [f"{n}. {hint}" for n, hint in enumerate(stage.hints, start=1)] or ["(none)"]
        out += ["", "Strong signals:", "", *_bullets(stage.strong, box=True)]
        out += ["", "Weak signals:", "", *_bullets(stage.weak, box=True)]
    out += ["", "## Common mistakes to watch for", "", *_bullets(kata.mistakes, box=True)]
    out += ["", "## Scorecard", "", "Stages passed: " + "  ".join(
        f"[ ] {s.number}" for s in kata.stages), "", "Notes:", ""]
    reference = reference_text(kata)
    out += ["", "## Reference solution", ""]
    out += (["```python", reference.rstrip("\n"), "```"] if reference is not None
            else ["(no reference solution found)"])
    return "\n".join(out) + "\n"


# -- HTML ----------------------------------------------------------------------

_CSS = """
h2 { font-size: 1.2rem; margin: 1.8rem 0 .6rem; padding-bottom: .2rem;
     border-bottom: 2px solid var(--line); }
h3 { font-size: 1rem; margin: 1rem 0 .3rem; }
.tag { display: inline-block; padding: 0 .5rem; margin-right: .3rem; border-radius: 999px;
       background: var(--tint); border: 1px solid var(--line); font-size: .85rem; }
blockquote.say { margin: .4rem 0; padding: .7rem 1rem; background: #eef5fc;
                 border-left: 4px solid var(--accent); border-radius: 0 4px 4px 0; }
.time { float: right; font-weight: normal; font-size: .9rem; color: var(--muted); }
.signals { display: grid; grid-template-columns: 1fr 1fr; gap: 1rem; }
.signals h3.strong { color: var(--good); }
.signals h3.weak { color: var(--bad); }
ul.check { list-style: none; padding-left: 0; margin: .2rem 0; }
ul.check li { padding-left: 1.5rem; text-indent: -1.5rem; margin: .15rem 0; }
ul.check li::before { content: "\\2610"; display: inline-block; width: 1.5rem;
                      text-indent: 0; color: var(--muted); }
ol.hints li { margin: .15rem 0; }
dl.qa dt { font-weight: 600; margin-top: .5rem; }
dl.qa dd { margin: .1rem 0 0 1.2rem; color: #2f3a46; }
.notes { border: 1px dashed var(--line); border-radius: 4px; height: 6rem; margin-top: .4rem; }
pre.solution { background: #f6f8fa; border: 1px solid var(--line); border-radius: 4px;
               padding: .8rem 1rem; overflow-x: auto; white-space: pre; line-height: 1.4; }
@media print {
  @page { margin: 14mm 12mm; }
  body { background: none; font-size: 10.5pt; }
  main { max-width: none; margin: 0; padding: 0; box-shadow: none; border-radius: 0; }
  h2, h3 { break-after: avoid-page; }
  blockquote.say, .signals, ol.hints li, ul.check li, dl.qa dd, table, .notes {
    break-inside: avoid-page; }
  blockquote.say { background: none; border-left-color: #000; }
  section.reference { break-before: page; }
  pre.solution { white-space: pre-wrap; font-size: 8.5pt; background: none; }
}
"""


_CODE_SPAN = re.compile(r"`([^`\n]+)`")


def _e(text: str) -> str:
    """Escaped text, with Markdown-style `code` spans (as kata.toml writes them) as <code>."""
    return _CODE_SPAN.sub(r"<code>\1</code>", html.escape(text, quote=True))


def _list(items: tuple[str, ...], css: str) -> str:
    if not items:
        return '<p class="meta">(none given)</p>'
    return f'<ul class="{css}">' + "".join(f"<li>{_e(i)}</li>" for i in items) + "</ul>"


def _stage_html(timed: TimedStage) -> str:
    stage = timed.stage
    prompt = (f'<p class="meta">{OPENING}</p>' if stage.number == 1 else
              '<h3>Follow-up, say aloud</h3>'
              f'<blockquote class="say">{_e(stage.prompt) or "(no prompt)"}</blockquote>')
    hints = ('<ol class="hints">' + "".join(f"<li>{_e(h)}</li>" for h in stage.hints)
             + "</ol>") if stage.hints else '<p class="meta">(none given)</p>'
    return f"""<section class="stage" id="stage-{stage.number}">
<h2>Stage {stage.number}: {_e(stage.title)}
<span class="time">{stage.minutes} min · {clock(timed.start)}–{clock(timed.end)}</span></h2>
{prompt}
<h3>Hints, one at a time if the candidate is stuck</h3>
{hints}
<div class="signals">
<div><h3 class="strong">Strong signals</h3>{_list(stage.strong, "check")}</div>
<div><h3 class="weak">Weak signals</h3>{_list(stage.weak, "check")}</div>
</div>
</section>"""


def html_page(kata: Kata) -> str:
    timed = timed_stages(kata)
    first = kata.stages[0].prompt if kata.stages else ""
    tags = "".join(f'<span class="tag">{_e(t)}</span>' for t in kata.topics)
    interface = ", ".join(f"<code>{_e(n)}</code>" for n in kata.interface)
    rows = "".join(
        f'<tr><td class="num">{t.stage.number}</td><td>{_e(t.stage.title)}</td>'
        f'<td class="num">{t.stage.minutes} min</td>'
        f'<td class="num">{clock(t.start)}–{clock(t.end)}</td></tr>' for t in timed)
    questions = "".join(f"<dt>{_e(q.ask)}</dt><dd>{_e(q.answer)}</dd>" for q in kata.questions)
    scorecard = "".join(f'<th>Stage {t.stage.number}</th>' for t in timed)
    boxes = "".join('<td>☐ passed</td>' for _ in timed)
    reference = reference_text(kata)
    solution = (f'<pre class="solution"><code>{html.escape(reference)}</code></pre>' if reference
                is not None else '<p class="meta">(no reference solution found)</p>')
    return skeleton.page(f"Interview sheet: {kata.title}", f"""<header>
<h1>Interview sheet: {_e(kata.title)}</h1>
<p class="meta"><code>{_e(kata.slug)}</code> · {_e(kata.level)} · {kata.minutes} min ·
the candidate edits <code>{_e(kata.file)}</code> and defines {interface}</p>
<p>{tags}</p>
<p>{_e(kata.summary)}</p>
</header>
<section>
<h2>Timeline</h2>
<table><thead><tr><th>Stage</th><th>Title</th><th>Time box</th>
<th>Minutes from the first prompt</th></tr></thead><tbody>{rows}</tbody></table>
</section>
<section>
<h2>The prompt, said aloud</h2>
<blockquote class="say">{_e(first) or "(no prompt)"}</blockquote>
</section>
<section>
<h2>Clarifying questions a strong candidate asks</h2>
{f'<dl class="qa">{questions}</dl>' if questions else '<p class="meta">(none given)</p>'}
</section>
{"".join(_stage_html(t) for t in timed)}
<section>
<h2>Common mistakes to watch for</h2>
{_list(kata.mistakes, "check")}
</section>
<section class="scorecard">
<h2>Scorecard</h2>
<table><thead><tr>{scorecard}</tr></thead><tbody><tr>{boxes}</tr></tbody></table>
<h3>Notes</h3>
<div class="notes"></div>
</section>
<section class="reference">
<h2>Reference solution <span class="time">{_e(kata.reference_path.name)}</span></h2>
{solution}
</section>""", _CSS)
