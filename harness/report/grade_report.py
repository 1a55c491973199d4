"""`kata grade`'s results in every format: the text table, JSON, CSV and HTML.

Every string that comes from an attempt (file names, errors, tampering reasons) goes
through safe_text, so no format carries a control character from a candidate's file.
"""

from __future__ import annotations

import csv
import html
import io

from harness.catalog import Kata
from harness.grading.results import StageResult
from harness.interview.grade import NO_VALUE, Graded
from harness.report import html_page as skeleton
from harness.report.safe_text import one_line, safe

# -- output --------------------------------------------------------------------

COLUMNS = ("candidate", "stages passed", "tests passed", "verdict", "benchmark ratio",
           "growth")


def _ratio(value: float | None) -> str:
    return NO_VALUE if value is None else f"{value:.2f}×"


def table_rows(kata: Kata, results: list[Graded]) -> list[tuple[str, ...]]:
    return [(one_line(g.candidate), f"{g.stages_passed}/{len(kata.stages)}",
             f"{g.report.passed_count}/{g.report.total}", g.verdict,
             _ratio(g.benchmark_ratio), _growth(g)) for g in results]


def _growth(g: Graded) -> str:
    if g.growth is None:
        return NO_VALUE
    return f"{g.growth} (worse than the reference)" if g.grows_worse else g.growth


def text_table(kata: Kata, results: list[Graded]) -> str:
    rows = [COLUMNS, *table_rows(kata, results)]
    widths = [max(len(row[i]) for row in rows) for i in range(len(COLUMNS))]
    lines = ["  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip()
             for row in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    passed = sum(g.report.passed for g in results)
    lines += ["", f"{kata.title} ({kata.slug}): {passed} of {len(results)} attempts passed."]
    for g in results:
        if g.report.tampering:
            lines.append(f"  {one_line(g.candidate)}: tampering, read it by hand: "
                         + "; ".join(one_line(r) for r in g.report.tampering))
        if g.report.error:
            lines.append(f"  {one_line(g.candidate)}: {one_line(g.report.error)}")
    return "\n".join(lines)


def to_json(kata: Kata, results: list[Graded]) -> dict:
    return {"kata": kata.slug, "title": kata.title, "stages": len(kata.stages),
            "results": [g.to_dict() for g in results]}


CSV_FIELDS = ("candidate", "file", "passed", "verdict", "stages_passed", "tests_passed",
              "tests_total", "benchmark_ratio", "growth", "grows_worse_than_reference", "error",
              "tampering")


def to_csv(results: list[Graded]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_FIELDS)
    for g in results:
        ratio = g.benchmark_ratio
        writer.writerow([one_line(g.candidate), one_line(g.path.name), g.report.passed,
                         g.verdict, g.stages_passed, g.report.passed_count, g.report.total,
                         "" if ratio is None else f"{ratio:.4g}", g.growth or "",
                         g.grows_worse, one_line(g.report.error),
                         "; ".join(one_line(r) for r in g.report.tampering)])
    return buffer.getvalue()


_CSS = """
td.stage { text-align: center; width: 2.5rem; }
.ok { color: var(--good); font-weight: 600; }
.bad { color: var(--bad); font-weight: 600; }
.legend { color: var(--muted); font-size: .85rem; margin-top: 1rem; }
.error { color: var(--muted); font-size: .85rem; }
.verdict { display: inline-block; padding: 0 .5rem; border-radius: 999px; font-size: .85rem; }
.verdict.passed { background: #e3f4ea; color: var(--good); }
.verdict.failed { background: #fbe8e6; color: var(--bad); }
main { max-width: 64rem; }
"""


def _stage_cell(stage: StageResult) -> str:
    count = f"{stage.passed_count}/{len(stage.tests)} tests"
    if stage.passed:
        return f'<td class="stage ok" title="{count}">✔</td>'
    return f'<td class="stage bad" title="{count}">✘</td>'


def html_report(kata: Kata, results: list[Graded], when: str) -> str:
    e = html.escape
    stage_heads = "".join(f'<th class="stage" title="{e(s.title)}">S{s.number}</th>'
                          for s in kata.stages)
    body = []
    for g in results:
        cells = "".join(_stage_cell(s) for s in g.report.stages)
        css = "passed" if g.report.passed else "failed"
        error = (f'<div class="error">{e(one_line(g.report.error))}</div>'
                 if g.report.error else "")
        error += "".join(f'<div class="error">tampering: {e(one_line(r))}</div>'
                         for r in g.report.tampering)
        body.append(
            f"<tr><td><strong>{e(safe(g.candidate))}</strong>"
            f'<div class="error">{e(safe(g.path.name))}</div></td>{cells}'
            f'<td class="num">{g.stages_passed}/{len(kata.stages)}</td>'
            f'<td class="num">{g.report.passed_count}/{g.report.total}</td>'
            f'<td><span class="verdict {css}">{e(g.verdict)}</span>{error}</td>'
            f'<td class="num">{e(_ratio(g.benchmark_ratio))}</td>'
            f'<td class="{"bad" if g.grows_worse else ""}">{e(_growth(g))}</td></tr>')
    passed = sum(g.report.passed for g in results)
    legend = " · ".join(f"S{s.number} {e(s.title)}" for s in kata.stages)
    return skeleton.page(f"Grades: {kata.title}", f"""<h1>Grades: {e(kata.title)}</h1>
<p class="meta"><code>{e(kata.slug)}</code> · {passed} of {len(results)} attempts passed ·
graded {e(when)}</p>
<table>
<thead><tr><th>Candidate</th>{stage_heads}<th class="num">Stages passed</th>
<th class="num">Tests passed</th><th>Verdict</th><th class="num">Benchmark ratio</th>
<th>Growth</th></tr></thead>
<tbody>
{"".join(body)}
</tbody>
</table>
<p class="legend">{legend}.<br>
Stages passed counts the stages passed in order from the first. The benchmark ratio is the
attempt's time over the reference's on the same workload (below 1: faster); it is measured
only for attempts that pass, and shown as {NO_VALUE} otherwise.</p>""", _CSS)
