"""Grading a folder of candidate attempts in parallel, and the results table.

Each attempt is graded by harness.grading.runner.check_attempt, exactly as
`kata check` grades it (same isolated child, same limits), from a thread pool.
Nothing is recorded in the practice store: these are other people's attempts.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path

from harness.catalog import Kata
from harness.errors import UsageError
from harness.grading.results import CheckReport

NO_VALUE = "—"


def attempt_files(folder: Path) -> list[Path]:
    """The *.py files directly in `folder`, one per candidate, sorted by name."""
    if folder.is_file():
        raise UsageError(f"{folder} is a file: kata grade takes a folder of attempts, one per "
                         f"candidate; to grade one file, run kata check SLUG --file {folder}")
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
