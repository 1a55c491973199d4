"""Iterations of a practice session, from the history store alone (no grading)."""

from __future__ import annotations

import json

import pytest

from harness import catalog
from harness.errors import UsageError
from harness.practice.history import Store
from harness.practice.iterations import load_session

FLATTEN = catalog.find_kata("flatten")
STUB = FLATTEN.stub_path.read_text()


def _record(store, start, text, reached, at, passed=False):
    import hashlib

    store.record_check(
        start=start, slug="flatten", file=start.file,
        file_sha256=hashlib.sha256(text.encode()).hexdigest(), passed=passed, reached=reached,
        stages=[{"number": n, "passed": n <= reached, "tests": 5,
                 "passed_tests": 5 if n <= reached else 0} for n in range(1, 5)],
        total=20, passed_tests=5 * reached, error=None, tests_s=0.1, wall_s=0.5,
        since_start_s=at, source=text)


@pytest.fixture
def store(tmp_path):
    store = Store(tmp_path)
    yield store
    store.close()


def test_each_change_is_one_iteration_and_a_recheck_is_not(store, tmp_path):
    start = store.record_start("flatten", tmp_path, tmp_path / "flatten.py", "stub-sha")
    one = STUB + "\n# one\n"
    two = one.replace("# one", "# two\n# three")
    _record(store, start, one, 0, 10.0)
    _record(store, start, one, 0, 12.0)  # checked again, unchanged
    _record(store, start, two, 2, 30.0)
    _record(store, start, one, 1, 40.0)  # back to an earlier text: a new iteration
    session = load_session(store, FLATTEN, start)
    assert [(i.number, i.reached, i.checks) for i in session.iterations] == [
        (1, 0, 2), (2, 2, 1), (3, 1, 1)]
    assert [(i.added, i.removed) for i in session.iterations] == [(2, 0), (2, 1), (1, 2)]
    assert [c.iteration for c in session.timeline] == [1, 1, 2, 3]
    assert session.source_of(0) == STUB and session.source_of(2) == two
    diff = session.diff(1, 2)
    assert diff.startswith("--- flatten.py (iteration 1)\n+++ flatten.py (iteration 2)\n")
    assert "-# one\n" in diff and "+# two\n" in diff and "+# three\n" in diff
    assert session.diff(0, 1).splitlines()[-2:] == ["+", "+# one"]
    document = json.loads(json.dumps(session.to_dict()))
    assert [i["stages_passed"] for i in document["iterations"]] == [0, 2, 1]
    assert document["splits"] == [{"stage": 1, "since_start_s": 30.0},
                                  {"stage": 2, "since_start_s": 30.0}]


def test_an_iteration_out_of_range_or_forgotten_is_a_usage_error(store, tmp_path):
    start = store.record_start("flatten", tmp_path, tmp_path / "flatten.py", "stub-sha")
    _record(store, start, STUB + "# x\n", 0, 5.0)
    session = load_session(store, FLATTEN, start)
    with pytest.raises(UsageError, match="iterations: 1 to 1"):
        session.iteration(2)
    assert store.forget_sources("flatten") == 1
    forgotten = load_session(store, FLATTEN, start)
    assert forgotten.iterations[0].source is None and forgotten.iterations[0].added is None
    with pytest.raises(UsageError, match="not kept"):
        forgotten.source_of(1)


def test_forgetting_a_kata_deletes_its_sources_and_only_those(store, tmp_path):
    start = store.record_start("flatten", tmp_path, tmp_path / "flatten.py", "s")
    other = store.record_start("retry", tmp_path, tmp_path / "retry.py", "s")
    _record(store, start, "mine = 1\n", 0, 1.0)
    store.record_check(start=other, slug="retry", file=tmp_path / "retry.py",
                       file_sha256="other", passed=False, reached=0, stages=[], total=1,
                       passed_tests=0, error=None, tests_s=0, wall_s=0, since_start_s=1.0,
                       source="other = 1\n")
    assert store.forget_sources("flatten") == 1
    assert store.forget_sources("flatten") == 0
    assert [r["text"] for r in store.conn.execute("SELECT text FROM sources")] == ["other = 1\n"]
