"""`kata watch`: grade on every save, with a warm grader.

The file's folder is watched (editors often save by writing a new file and
renaming it over the old one); bursts of events are grouped into one check.
"""

from __future__ import annotations

import functools
import itertools
import logging
import threading
from collections.abc import Callable
from pathlib import Path

from harness.catalog import Kata
from harness.grading.results import CheckReport
from harness.grading.runner import Limits, StageHandler
from harness.grading.warm import WarmGraderPool
from harness.practice import session as practice
from harness.practice.record import PracticeRecord

DEBOUNCE_MS = 400  # the longest a burst of saves is grouped
STEP_MS = 10  # quiet time that ends a burst (an editor's save by rename takes well under that)
POLL_MS = 500


ReportHandler = Callable[[CheckReport, PracticeRecord | None], None]


def watch(kata: Kata, path: Path, limits: Limits, on_report: ReportHandler,
          stop: threading.Event | None = None,
          on_grading: Callable[[], None] | None = None,
          on_missing: Callable[[], None] | None = None,
          on_stage: StageHandler | None = None,
          on_verdict: ReportHandler | None = None) -> None:
    """Grade now and after every change to `path`, until Ctrl-C or `stop` is set.
    `on_grading` is called as each check begins, so the user knows the save was seen;
    `on_stage(number, passed)` as each stage's tests finish, before the report;
    `on_verdict(report, record)` with a passing verdict, before it is timed;
    `on_missing` once when the file is gone (deleted, or renamed away), until it is back."""
    import watchfiles  # a well-kept file watcher (Rust notify underneath)

    logging.getLogger("watchfiles").setLevel(logging.ERROR)
    grader = WarmGraderPool(kata, 1, limits.sandbox)  # replaced if its server dies
    graded = None  # the content last graded
    missing = False  # the file is gone, and the user was told
    try:
        # The watcher also wakes up every POLL_MS with no change, so that a save
        # it missed (one during start-up, say) is still graded.
        for _ in itertools.chain([()], watchfiles.watch(
                path.parent, watch_filter=lambda _change, changed: Path(changed) == path,
                debounce=DEBOUNCE_MS, step=STEP_MS, stop_event=stop, raise_interrupt=False,
                recursive=False, yield_on_timeout=True, rust_timeout=POLL_MS)):
            content = _read(path)
            if content is None and not path.exists():
                if not missing and on_missing is not None:
                    on_missing()
                missing = True
                continue
            missing = False
            if content is not None and content != graded:
                graded = content
                if on_grading is not None:
                    on_grading()
                on_report(*practice.check(kata, path, limits, functools.partial(
                    grader.check, on_stage=on_stage), on_verdict=on_verdict))
    finally:
        grader.close()


def _read(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except OSError:  # mid-way through a save by rename, it may be missing
        return None
