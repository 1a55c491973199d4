"""Grading a folder of candidate attempts in parallel, and the results table.

Each attempt is graded by harness.grading.runner.check_attempt, exactly as
`kata check` grades it (same isolated child, same limits), from a thread pool.
Nothing is recorded in the practice store: these are other people's attempts.
"""

from __future__ import annotations

import csv
import html
import io
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path

from harness.catalog import Kata
from harness.errors import UsageError
from harness.grading.results import CheckReport, StageResult
from harness.report.safe_text import one_line, safe

NO_VALUE = "—"


def attempt_files(folder: Path) -> list[Path]:
    """The *.py files directly in `folder`, one per candidate, sorted by name."""
    if not folder.is_dir():
        raise UsageError(f"no such directory: {folder}")
    files = sorted(p.resolve() for p in folder.glob("*.py") if p.is_file())
    if not files:
        raise UsageError(f"no attempt files (*.py) in {folder}")
    return files


@dataclass(frozen=True)
class Graded:
    """One candidate's attempt and its report."""

    path: Path
    report: CheckReport

    @property
    def candidate(self) -> str:
        return self.path.stem

    @property
    def stages_passed(self) -> int:
        return self.report.stages_passed_in_order

    @property
    def benchmark_ratio(self) -> float | None:
        benchmark = self.report.timing.benchmark
        return float(benchmark["ratio"]) if benchmark else None

    @property
    def growth(self) -> str | None:
        benchmark = self.report.timing.benchmark
        return benchmark["growth"] if benchmark else None

    @property
    def grows_worse(self) -> bool:
        from harness.grading.benchmark import grows_worse

        return grows_worse(self.report.timing.benchmark)

    @property
    def verdict(self) -> str:
        return self.report.verdict

    def to_dict(self) -> dict:
        report = self.report
        return {
            "file": self.path.name,
            "path": str(self.path),
            "candidate": self.candidate,
            "passed": report.passed,
            "verdict": self.verdict,
            "stages_passed": self.stages_passed,
            "stages": len(report.stages),
            "summary": {"total": report.total, "passed": report.passed_count,
                        "failed": report.total - report.passed_count},
            "error": report.error,
            "tampering": list(report.tampering),
            "benchmark_ratio": self.benchmark_ratio,
            "growth": self.growth,
            "grows_worse_than_reference": self.grows_worse,
            "wall_s": round(report.timing.wall_s, 3),
        }


def grade_files(kata: Kata, files: list[Path], jobs: int, limits: object,
                on_graded: Callable[[Graded], None] | None = None) -> list[Graded]:
    """Grade every file with up to `jobs` checks at once; results in the order of `files`.

    `on_graded` is called in the calling thread as each attempt finishes (for progress).
    """
    from harness.grading import runner  # the parent never imports pytest itself

    graded: dict[Path, Graded] = {}
    pool = ThreadPoolExecutor(max_workers=max(1, jobs), thread_name_prefix="kata-grade")
    try:
        futures = {pool.submit(runner.check_attempt, kata, path, limits): path
                   for path in files}
        for future in as_completed(futures):
            path = futures[future]
            graded[path] = Graded(path, future.result())
            if on_graded is not None:
                on_graded(graded[path])
    finally:
        # On Ctrl-C or an error, attempts not yet started are dropped, not graded.
        pool.shutdown(wait=True, cancel_futures=True)
    return [graded[path] for path in files]


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
* { box-sizing: border-box; }
body { margin: 0; background: #e9edf1; color: #1d232b;
       font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif; }
main { max-width: 64rem; margin: 1.5rem auto; padding: 2rem 2.5rem; background: #fff;
       border-radius: 6px; box-shadow: 0 1px 4px rgba(0,0,0,.12); }
h1 { font-size: 1.6rem; margin: 0 0 .3rem; }
.meta { color: #5b6673; margin: 0 0 1rem; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: .4rem .6rem; border-bottom: 1px solid #d5dbe2;
         vertical-align: top; }
th { background: #f3f6f9; font-weight: 600; }
td.num, th.num { text-align: right; white-space: nowrap; font-variant-numeric: tabular-nums; }
td.stage { text-align: center; width: 2.5rem; }
.ok { color: #1c7c43; font-weight: 600; }
.bad { color: #b3362b; font-weight: 600; }
.legend { color: #5b6673; font-size: .85rem; margin-top: 1rem; }
.error { color: #5b6673; font-size: .85rem; }
.verdict { display: inline-block; padding: 0 .5rem; border-radius: 999px; font-size: .85rem; }
.verdict.passed { background: #e3f4ea; color: #1c7c43; }
.verdict.failed { background: #fbe8e6; color: #b3362b; }
@media print {
  body { background: none; font-size: 10pt; }
  main { max-width: none; margin: 0; padding: 0; box-shadow: none; }
  tr { break-inside: avoid; }
}
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
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Grades: {e(kata.title)}</title>
<style>{_CSS}</style>
</head>
<body>
<main>
<h1>Grades: {e(kata.title)}</h1>
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
only for attempts that pass, and shown as {NO_VALUE} otherwise.</p>
</main>
</body>
</html>
"""
