"""Watch mode and the warm grader: same verdicts as a cold check, re-graded on save."""

from __future__ import annotations

import dataclasses
import json
import os
import signal
import subprocess
import sys
import time

import pytest

from harness import catalog
from harness.grading.runner import Limits, check_attempt
from harness.grading.warm import WarmGrader

# Grades real attempts through child processes (pytest -m 'not slow' leaves it out).
pytestmark = pytest.mark.slow

FLATTEN = catalog.find_kata("flatten")
HOSTILE = os.path.join(os.path.dirname(__file__), "hostile")
LIMITS = Limits(test_timeout_s=10, wall_timeout_s=60, benchmark=False)


def _verdict(report):
    return (report.passed, report.error,
            [(s.number, [(t.name, t.outcome) for t in s.tests]) for s in report.stages])


@pytest.fixture(scope="module")
def grader():
    with WarmGrader(FLATTEN) as warm:
        yield warm


@pytest.mark.parametrize("attempt", [
    FLATTEN.reference_path,
    FLATTEN.dir / "known_bad" / "breadth_first.py",
    FLATTEN.dir / "known_bad" / "unflatten_overwrites.py",
    FLATTEN.stub_path,
], ids=lambda p: p.stem)
def test_warm_verdict_equals_cold_verdict(grader, attempt):
    assert _verdict(grader.check(FLATTEN, attempt, LIMITS)) == _verdict(
        check_attempt(FLATTEN, attempt, LIMITS))


@pytest.mark.parametrize("name", ["loop_ignoring_signals.py", "os_exit_in_call.py",
                                  "exhausts_memory.py", "closes_results_channel.py"])
def test_warm_grader_survives_hostile_attempts(grader, name, tmp_path):
    attempt = tmp_path / "flatten.py"
    with open(os.path.join(HOSTILE, name)) as source:
        attempt.write_text(source.read())
    report = grader.check(FLATTEN, attempt, Limits(test_timeout_s=1, wall_timeout_s=8,
                                                   benchmark=False))
    assert not report.passed
    after = grader.check(FLATTEN, FLATTEN.reference_path, LIMITS)  # still serving
    assert after.passed


def _read_reports(proc, count, timeout):
    reports, deadline = [], time.monotonic() + timeout
    while len(reports) < count and time.monotonic() < deadline:
        line = proc.stdout.readline()
        if line:
            reports.append(json.loads(line))
    return reports


def test_watch_regrades_on_every_save_and_stops_cleanly(kata_home, workspace, from_a_terminal):
    attempt = workspace / "flatten.py"
    attempt.write_text(FLATTEN.stub_path.read_text())
    proc = subprocess.Popen(
        [sys.executable, "-m", "harness", "watch", "flatten", "--json"], cwd=workspace,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, preexec_fn=from_a_terminal,
        env={**os.environ, "KATA_HOME": str(kata_home)})
    try:
        first = _read_reports(proc, 1, 60)
        servers = subprocess.run(["pgrep", "-P", str(proc.pid), "-f", "warm_server"],
                                 capture_output=True, text=True).stdout.split()
        assert len(servers) == 1, "the watch runs one warm grader"
        assert first and first[0]["passed"] is False and first[0]["error"] is None
        attempt.write_text("def flatten(:\n")  # a syntax error: watching goes on
        second = _read_reports(proc, 1, 60)
        assert second and "SyntaxError" in second[0]["error"]
        # A save by rename, as many editors do.
        staged = workspace / ".flatten.py.swp"
        staged.write_text(FLATTEN.reference_path.read_text())
        os.replace(staged, attempt)
        third = _read_reports(proc, 1, 60)
        assert third and third[0]["passed"] is True
    finally:
        proc.send_signal(signal.SIGINT)
        proc.wait(timeout=20)
    assert proc.returncode == 0
    time.sleep(0.2)
    assert not os.path.exists(f"/proc/{servers[0]}"), "the warm grader outlived the watch"


def test_each_check_of_the_watch_is_announced_before_its_verdict(kata_home, workspace):
    import threading

    from harness.practice import watch

    attempt = workspace / "flatten.py"
    attempt.write_text(FLATTEN.stub_path.read_text())
    events: list[str] = []
    stop = threading.Event()

    def on_report(report, record=None) -> None:
        events.append("passed" if report.passed else "failed")
        verdicts = [e for e in events if e in ("passed", "failed")]
        if len(verdicts) == 1:  # the stub graded: now save the reference
            attempt.write_text(FLATTEN.reference_path.read_text())
        if len(verdicts) == 2:
            stop.set()

    def on_stage(number: int, passed: bool) -> None:
        events.append(f"stage {number} {'passed' if passed else 'failed'}")

    staged = dataclasses.replace(LIMITS, all_stages=False)
    thread = threading.Thread(target=watch.watch, args=(FLATTEN, attempt, staged, on_report),
                              kwargs={"stop": stop, "on_stage": on_stage,
                                      "on_grading": lambda: events.append("grading")})
    thread.start()
    thread.join(120)
    stop.set()
    assert not thread.is_alive()
    verdicts = [e for e in events if not e.startswith("stage")]
    assert verdicts == ["grading", "failed", "grading", "passed"]
    # Stage progress comes while a check runs, in order; a stage whose tests end as the
    # run ends may be told by the report alone.
    first, second = events.index("grading"), events.index("grading", 1)
    assert set(events[first + 1:second - 1]) <= {"stage 1 failed"}
    passing = [e for e in events[second + 1:] if e.startswith("stage")]
    assert passing == [f"stage {n} passed" for n in range(1, len(passing) + 1)]


def test_a_deleted_file_is_reported_once_and_graded_again_when_back(kata_home, workspace):
    import threading
    import time

    from harness.practice import watch

    attempt = workspace / "flatten.py"
    attempt.write_text(FLATTEN.stub_path.read_text())
    events: list[str] = []
    stop = threading.Event()

    def on_report(report, record=None) -> None:
        events.append("passed" if report.passed else "failed")
        if events == ["failed"]:
            attempt.unlink()
        else:
            stop.set()

    def on_missing() -> None:
        events.append("missing")
        time.sleep(1.0)  # a second poll sees it still gone: said once all the same
        attempt.write_text(FLATTEN.reference_path.read_text())

    thread = threading.Thread(target=watch.watch, args=(FLATTEN, attempt, LIMITS, on_report),
                              kwargs={"stop": stop, "on_missing": on_missing})
    thread.start()
    thread.join(180)
    stop.set()
    assert not thread.is_alive()
    assert events == ["failed", "missing", "passed"]


def test_a_passing_verdict_is_shown_before_it_is_timed(kata_home, workspace):
    """The candidate waits for the verdict, not for the benchmark: watch tells it first,
    then the report with its timing, which the history keeps with the check."""
    import threading

    from harness.practice import session, watch

    session.start("flatten", workspace)
    attempt = workspace / "flatten.py"
    attempt.write_text(FLATTEN.reference_path.read_text())
    events: list[tuple] = []
    stop = threading.Event()

    def on_verdict(report, record) -> None:
        events.append(("verdict", report.passed, report.timing.benchmark, record is not None))

    def on_report(report, record) -> None:
        events.append(("report", report.passed, report.timing.benchmark is not None))
        stop.set()

    limits = Limits(test_timeout_s=10, wall_timeout_s=60, all_stages=False)
    thread = threading.Thread(target=watch.watch, args=(FLATTEN, attempt, limits, on_report),
                              kwargs={"stop": stop, "on_verdict": on_verdict})
    thread.start()
    thread.join(120)
    stop.set()
    assert not thread.is_alive()
    assert events == [("verdict", True, None, True), ("report", True, True)]
    store = session.open_store()
    try:
        stored = store.conn.execute("SELECT passed, benchmark FROM checks").fetchall()
    finally:
        store.close()
    assert len(stored) == 1 and stored[0][0] == 1
    assert json.loads(stored[0][1])["growth"]  # the timing, kept with its check


def test_no_timing_is_announced_for_a_failing_save_or_without_benchmark(kata_home, workspace):
    from harness.practice import session

    session.start("flatten", workspace)
    attempt = workspace / "flatten.py"
    told = []
    for source, limits in ((FLATTEN.stub_path, dataclasses.replace(LIMITS, benchmark=True)),
                           (FLATTEN.reference_path, dataclasses.replace(LIMITS,
                                                                        benchmark=False))):
        attempt.write_text(source.read_text())
        report, _ = session.check(FLATTEN, attempt, limits,
                                  on_verdict=lambda *shown: told.append(shown))
        assert report.timing.benchmark is None
    assert told == []
