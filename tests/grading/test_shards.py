"""The grading child runs the tests in forked workers at once (harness/grading/shards.py):
the split, and what must not change because of it."""

from __future__ import annotations

import json
import re
import shutil
import textwrap
from types import SimpleNamespace

import pytest

from harness import catalog
from harness.grading import shards
from harness.grading.runner import Limits, check_attempt

FLATTEN = catalog.find_kata("flatten")
FAST = Limits(test_timeout_s=2, wall_timeout_s=30, benchmark=False)


class _Definition:
    def __init__(self, scope: str) -> None:
        self.scope = scope


def _item(name: str, examples: int | None = None, fixtures: tuple = (), timeout: float = 0):
    def function():
        pass

    if examples is not None:
        function.is_hypothesis_test = True
        function._hypothesis_internal_use_settings = SimpleNamespace(max_examples=examples)
    marker = SimpleNamespace(args=(timeout,)) if timeout else None
    return SimpleNamespace(
        name=name, obj=function,
        config=SimpleNamespace(option=SimpleNamespace(timeout=5.0)),
        get_closest_marker=lambda wanted: marker if wanted == "timeout" else None,
        _fixtureinfo=SimpleNamespace(name2fixturedefs={d.scope + str(id(d)): (d,)
                                                       for d in fixtures}))


def _names(split):
    return [[item.name for item in share] for share in split]


def test_split_is_fixed_keeps_order_and_balances_costly_tests():
    items = [_item("a"), _item("h1", examples=50), _item("b"), _item("h2", examples=50),
             _item("long", timeout=20), _item("c")]
    split = shards.split(items, 2)
    assert _names(split) == _names(shards.split(items, 2))  # the same every time
    assert sorted(n for share in _names(split) for n in share) == sorted(i.name for i in items)
    for share in split:  # each share runs in collection order
        assert [items.index(i) for i in share] == sorted(items.index(i) for i in share)
    by_name = {n: k for k, share in enumerate(_names(split)) for n in share}
    assert by_name["h1"] != by_name["h2"], "the two costly Hypothesis tests share a worker"


def test_split_keeps_the_users_of_a_module_fixture_together():
    shared, session_wide = _Definition("module"), _Definition("session")
    items = [_item("s1", fixtures=(shared, session_wide)), _item("a", fixtures=(session_wide,)),
             _item("b", fixtures=(session_wide,)), _item("s2", fixtures=(shared,)),
             _item("c", fixtures=(session_wide,)), _item("s3", fixtures=(shared,))]
    by_name = {n: k for k, share in enumerate(_names(shards.split(items, 2))) for n in share}
    assert by_name["s1"] == by_name["s2"] == by_name["s3"]
    assert len(set(by_name.values())) == 2, "a session fixture must not pin every test"


@pytest.mark.slow
def test_each_worker_keeps_its_own_captured_output(tmp_path):
    attempt = tmp_path / "flatten.py"
    attempt.write_text(textwrap.dedent("""
        import os

        calls = 0

        def flatten(data, sep="."):
            global calls
            calls += 1
            print(f"pid={os.getpid()} call={calls}")
            raise RuntimeError("wrong on purpose")

        def unflatten(data, sep="."):
            return flatten(data, sep)
    """))
    report = check_attempt(FLATTEN, attempt, FAST)
    outputs = [t.output for s in report.stages for t in s.tests if t.output]
    assert len(outputs) > 20
    pids = set()
    for output in outputs:
        seen = set(re.findall(r"pid=(\d+)", output))
        assert len(seen) == 1, f"one test's output holds another worker's: {output!r}"
        pids |= seen
    assert len(pids) == shards.SHARDS


@pytest.mark.slow
def test_an_attempt_with_a_thread_from_import_is_graded_in_one_process(tmp_path):
    attempt = tmp_path / "flatten.py"
    attempt.write_text(textwrap.dedent("""
        import os
        import threading
        import time

        threading.Thread(target=time.sleep, args=(60,), daemon=True).start()

        def flatten(data, sep="."):
            print(f"pid={os.getpid()}")
            raise RuntimeError("wrong on purpose")

        unflatten = flatten
    """))
    report = check_attempt(FLATTEN, attempt, FAST)
    pids = {p for s in report.stages for t in s.tests
            for p in re.findall(r"pid=(\d+)", t.output or "")}
    assert len(pids) == 1, "a fork would have lost the attempt's thread"
    assert not report.passed and report.error is None


@pytest.mark.slow
def test_cpu_time_counts_every_worker(tmp_path):
    """Each call burns 20 ms of its own process's CPU time (not wall time, so a busy
    machine changes nothing): the total must include what the workers spent."""
    attempt = tmp_path / "flatten.py"
    attempt.write_text(FLATTEN.reference_path.read_text() + textwrap.dedent("""

        import time as _time
        _reference_flatten = flatten

        def flatten(data, sep="."):
            until = _time.process_time() + 0.02
            while _time.process_time() < until:
                pass
            return _reference_flatten(data, sep)
    """))
    report = check_attempt(FLATTEN, attempt, Limits(test_timeout_s=60, wall_timeout_s=600,
                                                    benchmark=False))
    calls = report.stages[0].tests  # every stage-1 test calls flatten at least once
    # Measured in the child alone, the workers' CPU time would be near zero.
    assert report.timing.tests_cpu_s >= 0.9 * 0.02 * len(calls), report.timing


def test_recorded_durations_decide_the_split():
    items = [_item("slow"), _item("h1", examples=50), _item("h2", examples=50), _item("quick")]
    guessed = {n: k for k, share in enumerate(_names(shards.split(items, 2))) for n in share}
    assert guessed["h1"] != guessed["h2"]
    recorded = {"slow": 0.9, "h1": 0.2, "h2": 0.2, "quick": 0.001}
    split = _names(shards.split(items, 2, recorded))
    assert ["slow"] in split, "the slow test should have a worker to itself"


@pytest.mark.slow
def test_validate_reports_durations_that_no_longer_match_the_suite(tmp_path):
    from harness.authoring import validate

    folder = tmp_path / "flatten"
    shutil.copytree(FLATTEN.dir, folder)
    kata = catalog.load_kata(folder)  # the reference is still the shipped one
    report = check_attempt(kata, kata.reference_path, FAST)
    result = validate.Validation(kata.slug)
    validate._check_durations(kata, report, result)
    assert result.valid, result.problems
    recorded = json.loads(kata.durations_path.read_text())
    recorded.pop(next(iter(recorded)))
    recorded["test_that_is_gone"] = 0.1
    kata.durations_path.write_text(json.dumps(recorded))
    validate._check_durations(kata, report, result)
    assert result.problems == ["suite/durations.json is out of date (1 tests missing, 1 unknown): "
                               "run kata validate flatten --write-durations"]
