"""grading/verdict.py on recorded event streams, one per scenario, with no process at all
(the way Exercism's runner keeps expected results per scenario)."""

from __future__ import annotations

import signal
from pathlib import Path

import pytest

from harness import catalog
from harness.grading.verdict import INTERFERED, ChildRun, build_report

FLATTEN = catalog.find_kata("flatten")
TOKEN = "0123456789abcdef"
ATTEMPT = Path("/ws/flatten.py")
IDS = [f"suite/test_stage{n}.py::test_{n}" for n in range(1, 5)]


def _records(*events: dict) -> list[dict]:
    return [{**e, "token": e.get("token", TOKEN)} for e in events]


def _stream(outcomes=("passed",) * 4, finished: bool = True) -> list[dict]:
    events = [{"event": "start"}, {"event": "attempt_loaded", "missing": []},
              {"event": "collected", "tests": [
                  {"id": i, "name": i.rpartition("::")[2], "stage": n, "doc": None}
                  for n, i in enumerate(IDS, 1)]}]
    for test_id, outcome in zip(IDS, outcomes, strict=True):
        events.append({"event": "test_start", "id": test_id, "timeout_s": 5})
        events.append({"event": "test", "id": test_id, "outcome": outcome, "duration_s": 0.01,
                       "message": None if outcome == "passed" else "expected 1\ngot: 2",
                       "example": None, "output": None})
    if finished:
        events.append({"event": "finished", "tests_cpu_s": 0.1})
    return _records(*events)


def _run(records, returncode=0, **kw) -> ChildRun:
    return ChildRun(records, returncode, kw.pop("timed_out", False), kw.pop("stderr", ""),
                    1.0, token=TOKEN, **kw)


def _report(run: ChildRun):
    return build_report(FLATTEN, ATTEMPT, run)


def test_a_clean_full_pass():
    report = _report(_run(_stream()))
    assert report.passed and report.verdict == "passed" and report.error is None
    assert report.file == str(ATTEMPT)


def test_a_failing_test_fails_its_stage_only():
    report = _report(_run(_stream(("passed", "failed", "passed", "passed"))))
    assert not report.passed and report.error is None
    assert [s.passed for s in report.stages] == [True, False, True, True]
    assert report.stages[1].tests[0].message == "expected 1\ngot: 2"


@pytest.mark.parametrize("forge", [
    pytest.param(lambda r: r + _records({"event": "finished", "tests_cpu_s": 0}), id="twice"),
    pytest.param(lambda r: [*r, {**r[-2], "token": "guess"}], id="no-token"),
    pytest.param(lambda r: [*r[:-1], r[4], r[-1]], id="a-test-reported-twice"),
    pytest.param(lambda r: [*r, *_records({"event": "test", "id": IDS[0], "outcome": "passed",
                                           "duration_s": 0})], id="after-finished"),
    pytest.param(lambda r: [*r, *_records({"event": "hello"})], id="unknown-record"),
    pytest.param(lambda r: [*r[:-1], *_records({"event": "test", "id": "x::y",
                                                "outcome": "passed", "duration_s": 0}), r[-1]],
                 id="not-collected"),
])
def test_a_forged_stream_is_never_a_pass(forge):
    report = _report(_run(forge(_stream())))
    assert not report.passed and report.error.startswith(INTERFERED), report.error


def test_a_stream_without_a_token_is_not_trusted():
    records = [{k: v for k, v in r.items() if k != "token"} for r in _stream()]
    report = _report(_run(records))
    assert not report.passed and INTERFERED in report.error


def test_finished_but_not_exited_normally():
    report = _report(_run(_stream(), returncode=1))
    assert not report.passed and "exited early with status 1" in report.error


@pytest.mark.parametrize("code, words", [
    (-signal.SIGSEGV, "segmentation fault"), (-signal.SIGKILL, "out of memory"),
    (-signal.SIGXFSZ, "MB of output"), (0, "exited early with status 0")])
def test_how_an_unfinished_child_ended_is_named(code, words):
    report = _report(_run(_stream(finished=False)[:5], returncode=code))
    assert not report.passed and words in report.error


def test_the_wall_clock_and_an_uninterruptible_test():
    report = _report(_run(_stream(finished=False)[:4], returncode=None, timed_out=True))
    assert "wall-clock limit" in report.error
    run = _run(_stream(finished=False)[:4], returncode=None, overrun=IDS[0])
    report = _report(run)
    assert "could not be interrupted" in report.error
    assert report.stages[0].tests[0].outcome == "timeout"


def test_tampering_is_never_a_pass():
    records = _stream()
    records.insert(3, {"event": "tampering", "reason": "reads a stack frame", "token": TOKEN})
    report = _report(_run(records))
    assert not report.passed and report.verdict == "tampering"
    assert report.tampering == ["reads a stack frame"]
    scanned = _run(_stream(), tampering=["line 3: uses sys.modules"])
    assert _report(scanned).verdict == "tampering"


def test_an_attempt_that_cannot_load():
    records = _records({"event": "start"},
                       {"event": "attempt_error", "message": "flatten.py, line 2: SyntaxError"})
    report = _report(_run(records, returncode=3))
    assert report.verdict == "not graded" and "SyntaxError" in report.error


def test_a_stopped_run_marks_the_rest_not_run():
    records = _stream(("timeout", "timeout", "passed", "passed"), finished=False)[:7]
    records += _records({"event": "stopped", "reason": "stopped early: 2 tests ran out of time"},
                        {"event": "finished", "tests_cpu_s": 0.1})
    report = _report(_run(records))
    assert not report.passed and report.error.startswith("stopped early")
    assert report.stages[3].tests[0].message.startswith("not run: ")


def test_the_benchmark_is_dropped_unless_the_verdict_is_clean():
    bench = {"ratio": 1.0, "growth": "O(n)", "reference_growth": "O(n)", "workload": "w"}
    assert _report(_run(_stream(), benchmark=bench)).timing.benchmark == bench
    assert _report(_run(_stream(), benchmark=bench, tampering=["x"])).timing.benchmark is None


def _stage_by_stage(failing_stage: int) -> list[dict]:
    """A practice run: stages 1.. failing_stage ran, the rest were locked."""
    full = _stream(tuple("failed" if n == failing_stage else "passed" for n in range(1, 5)))
    ran = {IDS[n - 1] for n in range(1, failing_stage + 1)}
    kept = [r for r in full if r.get("id") is None or r["id"] in ran]
    locked = list(range(failing_stage + 1, 5))
    return [*kept[:-1], *_records({"event": "locked", "stages": locked}), kept[-1]]


def test_locked_stages_have_no_tests_and_never_pass():
    report = _report(_run(_stage_by_stage(2)))
    assert report.error is None and not report.passed and report.verdict == "not passed"
    assert [(s.passed, s.locked, len(s.tests)) for s in report.stages] == [
        (True, False, 1), (False, False, 1), (False, True, 0), (False, True, 0)]
    assert report.stages_passed_in_order == 1 and report.total == 2
    document = report.to_dict()
    assert [s["locked"] for s in document["stages"]] == [False, False, True, True]


def test_a_forged_lock_only_makes_the_verdict_worse():
    records = _stream()
    forged = [*records[:-1], *_records({"event": "locked", "stages": [3, 4]}), records[-1]]
    report = _report(_run(forged))
    # Locked stages never pass, whatever their tests reported: a lock claim hides failures
    # of later stages only from a verdict that is "not passed" already.
    assert not report.passed and [s.locked for s in report.stages] == [False, False, True, True]
    assert report.stages_passed_in_order == 2 and report.error is None


def test_tests_a_worker_ran_after_the_failing_stage_are_not_shown():
    ran_ahead = [*_stage_by_stage(2)[:-2], *_records(
        {"event": "test", "id": IDS[2], "outcome": "passed", "duration_s": 0.01,
         "message": None, "example": None, "output": None},
        {"event": "locked", "stages": [3, 4]}), _stage_by_stage(2)[-1]]
    report = _report(_run(ran_ahead))
    assert report.error is None and [len(s.tests) for s in report.stages] == [1, 1, 0, 0]


def test_a_stage_by_stage_run_missing_a_test_of_a_stage_it_ran_is_incomplete():
    records = [r for r in _stage_by_stage(2) if not (r.get("id") == IDS[1]
                                                     and r["event"] == "test")]
    report = _report(_run(records))
    assert report.error == "the run ended before every test had run" and not report.passed


def test_stage_progress_reports_each_stage_in_order_once_all_its_tests_reported():
    from harness.grading.runner import _StageProgress

    seen = []
    progress = _StageProgress(lambda number, passed: seen.append((number, passed)))
    stream = _stream(("passed", "failed", "passed", "passed"))
    for record in stream:
        progress.see(record)
    assert seen == [(1, True), (2, False)]  # what follows the candidate's stage is not told
    seen.clear()
    progress = _StageProgress(lambda number, passed: seen.append((number, passed)))
    for record in _stage_by_stage(2):
        progress.see(record)
    assert seen == [(1, True), (2, False)]  # locked stages never report


@pytest.mark.parametrize("status, says", [
    (73, "ran out of memory between tests"),
    (70, "failed between tests: RuntimeError: boom"),
    (0, "exited early with status 0 (sys.exit or os._exit?)"),
])
def test_a_worker_that_stops_between_tests_says_why(status, says):
    """A worker whose run ended on an error outside any test (a MemoryError in pytest's own
    code, say) tells it by its exit status, not as an exit the attempt asked for."""
    report = _report(_run(_stream(finished=False), returncode=status,
                          stderr="Traceback (most recent call last):\nRuntimeError: boom\n"))
    assert not report.passed and says in report.error
