"""What the candidate's commands do: start, check, prompt, hint, solution, reset.

The click layer only parses arguments and prints; everything it shows comes
from here. Problems the user can fix raise `UsageError` (exit status 2).
"""

from __future__ import annotations

import dataclasses
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from harness import catalog, paths
from harness.catalog import Kata, Stage
from harness.errors import UsageError
from harness.grading.results import CheckReport
from harness.practice.record import PracticeRecord

if TYPE_CHECKING:
    from harness.practice.history import Start, Store


def open_store() -> Store:
    from harness.practice.history import Store  # sqlite3: only for the checks it records

    return Store(paths.kata_home())


def get_kata(slug: str) -> Kata:
    try:
        return catalog.find_kata(slug)
    except catalog.KataNotFound as exc:
        raise UsageError(str(exc)) from None


# -- list ----------------------------------------------------------------------

def list_katas() -> list:
    """Every kata's progress (practice/progress.py): `kata list`, `kata stats` and
    `kata plan` read status, stages and best time from this one place."""
    return all_progress()


# -- start / reset -------------------------------------------------------------

@dataclass(frozen=True)
class Started:
    kata: Kata
    path: Path
    created: bool  # False: an attempt was there already and continues


def start(slug: str, workspace: Path) -> Started:
    kata = get_kata(slug)
    workspace = workspace.resolve()
    if not workspace.is_dir():
        raise UsageError(f"no such directory: {workspace}")
    path = workspace / kata.file
    store = open_store()
    try:
        if path.exists():
            # Never overwrite an attempt; keep its original start time.
            if store.latest_start(slug=slug, file=path) is None:
                store.record_start(slug, workspace, path, _stub_sha(kata))
            return Started(kata, path, created=False)
        _write_new(path, kata.stub_path.read_text(encoding="utf-8"))
        # The clock starts at the first change to the stub, not now: looking costs nothing.
        store.record_start(slug, workspace, path, _stub_sha(kata))
        return Started(kata, path, created=True)
    finally:
        store.close()


def _write_new(path: Path, text: str) -> None:
    # "x" mode: fails rather than overwrite a file that appeared meanwhile.
    with open(path, "x", encoding="utf-8") as handle:
        handle.write(text)


@dataclass(frozen=True)
class Reset:
    kata: Kata
    path: Path
    backup: Path | None


def reset(slug: str, workspace: Path) -> Reset:
    kata = get_kata(slug)
    workspace = workspace.resolve()
    path = workspace / kata.file
    backup = None
    if path.exists():
        stamp = time.strftime("%Y%m%d-%H%M%S")
        backup = path.with_name(f"{path.stem}.{stamp}.bak{path.suffix}")
        n = 1
        while backup.exists():
            n += 1
            backup = path.with_name(f"{path.stem}.{stamp}-{n}.bak{path.suffix}")
        shutil.move(path, backup)
    _write_new(path, kata.stub_path.read_text(encoding="utf-8"))
    store = open_store()
    try:
        store.record_start(slug, workspace, path, _stub_sha(kata))
    finally:
        store.close()
    return Reset(kata, path, backup)


# -- check ---------------------------------------------------------------------

def started_slug(slug: str | None, cwd: Path) -> str:
    """SLUG, or else the kata of this directory: of the katas started here whose file is
    still there, the one edited last (hint, prompt, reset, check...)."""
    if slug is not None:
        return slug
    workspace = cwd.resolve()
    store = open_store()
    try:
        starts = [s for s in store.starts() if s.workspace == str(workspace)]
    finally:
        store.close()
    if not starts:
        raise UsageError("no kata was started in this directory: "
                         "run `kata start SLUG`, or name one")

    def last_edit(start) -> tuple[float, float]:
        try:
            return (Path(start.file).stat().st_mtime, start.started_at)
        except OSError:
            return (float("-inf"), start.started_at)

    return max(starts, key=last_edit).slug


def resolve_target(slug: str | None, file: Path | None, cwd: Path) -> tuple[Kata, Path]:
    """Which kata and which file `kata check` means."""
    if file is not None:
        file = file.resolve()
        if file.is_dir():
            raise UsageError(f"{file} is a folder, not an attempt file")
        if not file.is_file():
            raise UsageError(f"no such file: {file}")
        if slug is None:
            try:
                return catalog.find_by_file(file), file
            except catalog.KataNotFound as exc:
                raise UsageError(str(exc)) from None
        return get_kata(slug), file
    kata = get_kata(started_slug(slug, cwd))
    path = cwd.resolve() / kata.file
    if path.is_dir():
        raise UsageError(f"{path} is a folder, not an attempt file: rename it, or pass --file")
    if not path.is_file():
        raise UsageError(f"no attempt at {path}: run `kata start {kata.slug}` first, "
                         "or pass --file")
    return kata, path


VerdictHandler = Callable[[CheckReport, PracticeRecord | None], None]


def check(kata: Kata, path: Path, limits: object | None = None,
          grade: Callable[..., CheckReport] | None = None,
          practice: bool = True, on_verdict: VerdictHandler | None = None,
          ) -> tuple[CheckReport, PracticeRecord | None]:
    """Grade the attempt and, when it is the user's own practice (the file `kata start`
    wrote), record the check and return where the candidate now stands. Checks of other
    files, and `practice=False` (an interviewer's `--blind`), leave the practice history
    alone and have no record.

    `grade(kata, path, limits)` is a cold check by default, or a warm grader's. A passing
    attempt is timed against the reference: a cold check starts that timing with its
    grading (`runner.BenchmarkAhead`), a warm one after its verdict, which
    `on_verdict(report, record)` is told first, so that it can be shown while the timing
    runs.
    """
    from harness.grading import runner  # the parent never imports pytest itself

    limits = limits or runner.Limits()
    # The source as it was when grading began (a save during the check is the next one):
    # what is recorded and, if it passes, timed.
    content = path.read_bytes()
    timed = limits.benchmark and runner.benchmarkable(kata)
    ahead = runner.BenchmarkAhead(kata, content, limits) if timed and grade is None else None
    untimed = dataclasses.replace(limits, benchmark=False)
    try:
        if grade is not None:
            report = grade(kata, path, untimed)
        else:
            report = runner.check_attempt(kata, path, untimed,
                                          ahead.launch_beside if ahead is not None else None)
    except BaseException:
        if ahead is not None:
            ahead.stop()
        raise
    if ahead is not None and not report.passed:
        ahead.stop()
    recorded = _record(kata, path, report, content) if practice else None
    check_id, record = recorded or (None, None)
    if report.passed and timed:
        if on_verdict is not None:
            on_verdict(report, record)
        report.timing.benchmark = (ahead.result() if ahead is not None
                                   else runner.benchmark_source(kata, content, limits))
        if check_id is not None and report.timing.benchmark:
            store = open_store()
            try:
                store.set_benchmark(check_id, report.timing.benchmark)
            finally:
                store.close()
    return report, record


def _record(kata: Kata, path: Path, report: CheckReport,
            content: bytes) -> tuple[int, PracticeRecord] | None:
    store = open_store()
    try:
        start_row = store.latest_start(slug=kata.slug, file=path)
        if start_row is None:
            return None  # someone else's file, or one never started: not practice
        previously_reached = store.best_reached(start_row)
        content_sha = _sha256(content)
        if start_row.clock_from is None and content_sha != start_row.stub_sha256:
            # The first change kata sees: the file's last save before this check.
            changed_at = max(start_row.started_at, min(path.stat().st_mtime, time.time()))
            start_row = store.start_clock(start_row, changed_at)
        since_start_s = (None if start_row.clock_from is None
                         else time.time() - start_row.clock_from)
        check_id = store.record_check(
            start=start_row, slug=kata.slug, file=path,
            file_sha256=content_sha,
            passed=report.passed, reached=report.stages_passed_in_order,
            stages=[{"number": s.number, "passed": s.passed, "tests": len(s.tests),
                     "passed_tests": s.passed_count} for s in report.stages],
            total=report.total, passed_tests=report.passed_count, error=report.error,
            tests_s=report.timing.tests_s, wall_s=report.timing.wall_s,
            since_start_s=since_start_s,
            source=content.decode("utf-8", errors="replace"))
        return check_id, PracticeRecord(
            previously_reached=previously_reached, since_start_s=since_start_s,
            splits=store.splits(start_row), best_s=store.best_time(kata.slug))
    finally:
        store.close()


# -- stats / plan ----------------------------------------------------------------

def all_progress() -> list:
    from harness.practice import progress

    store = open_store()
    try:
        return [progress.kata_progress(store, kata) for kata in catalog.all_katas()]
    finally:
        store.close()


# -- prompt / hint / solution --------------------------------------------------

def _current_start(store: Store, slug: str, cwd: Path) -> Start | None:
    return (store.latest_start(slug=slug, workspace=cwd.resolve())
            or store.latest_start(slug=slug))


def reached_stages(slug: str, cwd: Path) -> tuple[Kata, list[Stage]]:
    """The stages whose prompt the candidate has seen: passed ones and the current one."""
    kata = get_kata(slug)
    store = open_store()
    try:
        current = _current_start(store, slug, cwd)
        passed = store.best_reached(current) if current else 0
    finally:
        store.close()
    return kata, list(kata.stages[: min(passed + 1, len(kata.stages))])


@dataclass(frozen=True)
class Hint:
    stage: Stage
    number: int  # 1-based, of len(stage.hints)
    text: str
    exhausted: bool = False  # asked again after the last hint: it is shown again


def next_hint(slug: str, cwd: Path) -> Hint:
    _kata, stages = reached_stages(slug, cwd)
    stage = stages[-1]
    if not stage.hints:
        raise UsageError(f"stage {stage.number} of {slug} has no hints")
    store = open_store()
    try:
        current = _current_start(store, slug, cwd)
        if current is None:
            raise UsageError(f"start the kata first: kata start {slug}")
        shown = store.take_hint(current, stage.number)
    finally:
        store.close()
    number = min(shown, len(stage.hints))
    return Hint(stage, number, stage.hints[number - 1], exhausted=shown > len(stage.hints))


def has_passed(slug: str) -> bool:
    store = open_store()
    try:
        return store.ever_passed(slug)
    finally:
        store.close()


def solution(slug: str) -> tuple[Kata, str, bool]:
    """The reference text, and whether this user has passed the kata."""
    kata = get_kata(slug)
    return kata, kata.reference_path.read_text(encoding="utf-8"), has_passed(slug)


def _stub_sha(kata: Kata) -> str:
    return _sha256(kata.stub_path.read_text(encoding="utf-8").encode("utf-8"))


def _sha256(data: bytes) -> str:
    import hashlib  # loading OpenSSL costs more than the rest of `kata list`

    return hashlib.sha256(data).hexdigest()


# -- history / solutions / review -----------------------------------------------

def practice_session(slug: str | None, cwd: Path):
    """The kata's latest practice session (in this directory if started here) with its
    iterations: `kata history`."""
    from harness.practice.iterations import load_session

    kata = get_kata(started_slug(slug, cwd))
    store = open_store()
    try:
        start = _current_start(store, kata.slug, cwd)
        if start is None:
            raise UsageError(f"no practice of {kata.slug} yet: kata start {kata.slug}")
        return load_session(store, kata, start)
    finally:
        store.close()


def forget_sources(slug: str) -> int:
    """Delete the stored sources of a kata's checks; its results stay."""
    kata = get_kata(slug)
    store = open_store()
    try:
        return store.forget_sources(kata.slug)
    finally:
        store.close()
