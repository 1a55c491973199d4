"""History in SQLite: timing in checks, concurrent and killed checks, migrations, benchmarks."""

from __future__ import annotations

import json
import multiprocessing
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from harness import catalog
from harness.practice.history import MIGRATIONS, Store

FLATTEN = catalog.find_kata("flatten")
SLOW = Path(__file__).parent / "slow_attempts"
STAGE_1_ONLY = FLATTEN.dir / "known_bad" / "only_dict_instances.py"


def _cli(kata_home, cwd, *args):
    return subprocess.Popen(
        [sys.executable, "-m", "harness", *args], cwd=cwd, stdout=subprocess.PIPE,
        stderr=subprocess.PIPE, text=True,
        env={**os.environ, "KATA_HOME": str(kata_home), "NO_COLOR": "1"})


@pytest.mark.slow
def test_check_reports_splits_and_personal_best(kata, workspace):
    kata("start", "flatten")
    (workspace / "flatten.py").write_text(STAGE_1_ONLY.read_text())
    first = kata("check", "--json", "--no-bench").json()
    assert [s["stage"] for s in first["timing"]["splits"]] == [1]
    assert first["timing"]["best_s"] is None
    (workspace / "flatten.py").write_text(FLATTEN.reference_path.read_text())
    second = kata("check", "--json", "--no-bench").json()
    splits = second["timing"]["splits"]
    assert [s["stage"] for s in splits] == [1, 2, 3, 4]
    assert splits[0]["since_start_s"] == first["timing"]["splits"][0]["since_start_s"]
    assert splits[0]["since_start_s"] <= splits[3]["since_start_s"]
    assert second["timing"]["best_s"] == splits[3]["since_start_s"]
    assert second["timing"]["benchmark"] is None  # --no-bench


@pytest.mark.slow
def test_concurrent_checks_are_all_recorded(kata_home, workspace):
    started = _cli(kata_home, workspace, "start", "flatten")
    started.communicate(timeout=60)
    attempt = workspace / "flatten.py"
    attempt.write_text(FLATTEN.reference_path.read_text())
    runs = [_cli(kata_home, workspace, "check", "flatten", "--file", str(attempt), "--json",
                 "--no-bench") for _ in range(4)]
    for run in runs:
        out, err = run.communicate(timeout=180)
        assert run.returncode == 0, err
        assert json.loads(out)["passed"] is True
    store = Store(kata_home)
    assert len(store.checks("flatten")) == 4
    # Each check kept the source it graded; the same content is stored once.
    sources = store.conn.execute("SELECT sha256, text FROM sources").fetchall()
    assert [row["text"] for row in sources] == [attempt.read_text()]
    assert {row["file_sha256"] for row in store.checks("flatten")} == {sources[0]["sha256"]}
    store.close()


@pytest.mark.slow
def test_killed_checks_leave_the_database_consistent(kata_home, workspace):
    attempt = workspace / "flatten.py"
    attempt.write_text(FLATTEN.reference_path.read_text())
    # Kill checks at different moments, some while others are writing.
    for delay in (0.05, 0.3, 0.8, 1.5, 2.5):
        victim = _cli(kata_home, workspace, "check", "flatten", "--file", str(attempt),
                      "--no-bench")
        bystander = _cli(kata_home, workspace, "start", "flatten")
        time.sleep(delay)
        victim.send_signal(signal.SIGKILL)
        victim.wait()
        bystander.wait(timeout=60)
    connection = sqlite3.connect(kata_home / "history.sqlite3")
    assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    connection.close()
    finished = _cli(kata_home, workspace, "check", "flatten", "--file", str(attempt), "--json",
                    "--no-bench")
    out, _ = finished.communicate(timeout=180)
    assert json.loads(out)["passed"] is True
    store = Store(kata_home)
    assert any(row["passed"] for row in store.checks("flatten"))
    # A check and its source are written in one transaction: no check without its source.
    orphans = store.conn.execute("""SELECT COUNT(*) FROM checks WHERE file_sha256 NOT IN
                                    (SELECT sha256 FROM sources)""").fetchone()[0]
    assert orphans == 0
    store.close()


def test_an_old_schema_is_migrated_not_discarded(tmp_path):
    path = tmp_path / "history.sqlite3"
    old = sqlite3.connect(path)
    old.executescript(MIGRATIONS[0])
    old.execute("PRAGMA user_version = 1")
    old.execute("INSERT INTO starts (slug, workspace, file, started_at) VALUES "
                "('flatten', '/w', '/w/flatten.py', 100.0)")
    old.execute("""INSERT INTO checks (start_id, slug, file, file_sha256, passed, reached, stages,
                   total, passed_tests, error, tests_s, wall_s, since_start_s, checked_at)
                   VALUES (1, 'flatten', '/w/flatten.py', 'x', 1, 4, '[]', 10, 10, NULL,
                   0.5, 1.0, 300.0, 400.0)""")
    old.commit()
    old.close()
    store = Store(tmp_path)
    assert store.conn.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)
    rows = store.checks("flatten")
    assert len(rows) == 1 and rows[0]["since_start_s"] == 300.0 and rows[0]["benchmark"] is None
    assert store.best_time("flatten") == 300.0
    # Checks from before sources were kept are iterations without a source.
    from harness.practice.iterations import load_session

    session = load_session(store, FLATTEN, store.starts("flatten")[0])
    assert [(it.number, it.source, it.added) for it in session.iterations] == [(1, None, None)]
    store.close()


@pytest.mark.slow
def test_a_passing_attempt_is_benchmarked_against_the_reference(tmp_path):
    """The figures' accuracy is measured by bench/stability.py, not here: under a test
    run's own load a timing is noise. Here: a passing attempt gets well-formed figures."""
    from harness.grading.benchmark import MODELS
    from harness.grading.runner import check_attempt

    classes = [name for name, _ in MODELS]
    for attempt in (FLATTEN.reference_path, SLOW / "flatten_quadratic.py"):
        bench = check_attempt(FLATTEN, attempt).timing.benchmark
        assert bench is not None, attempt
        assert bench["ratio"] > 0 and bench["workload"]
        assert bench["growth"] in classes and bench["reference_growth"] in classes


@pytest.mark.slow
def test_no_benchmark_for_a_failing_attempt(tmp_path):
    from harness.grading.runner import check_attempt

    report = check_attempt(FLATTEN, STAGE_1_ONLY)
    assert not report.passed and report.timing.benchmark is None


@pytest.mark.parametrize(("times", "expected"), [
    ([1.0, 1.02, 0.98], "O(1)"),
    ([1.0, 4.1, 15.8], "O(n)"),
    ([1.0, 16.2, 255.0], "O(n^2)"),
    ([1.0, 4 * 1.22, 16 * 1.45], "O(n log n)"),
    ([1.0, 1.22, 1.45], "O(log n)"),
])
def test_growth_class(times, expected):
    from harness.grading.benchmark import growth_class

    assert growth_class((500, 2000, 8000), times) == expected


def _open_and_record(home: str, barrier) -> None:
    barrier.wait()
    store = Store(Path(home))
    store.record_start("flatten", Path(home), Path(home) / "flatten.py")
    store.close()


def test_processes_opening_a_new_database_at_the_same_moment_all_succeed(tmp_path):
    """SQLite may refuse the switch to WAL at once while another process opens the
    database: every opener must still get through (it once failed 3 times in 160)."""
    context = multiprocessing.get_context("fork")
    for trial in range(10):
        home = tmp_path / str(trial)
        home.mkdir()
        barrier = context.Barrier(8)
        processes = [context.Process(target=_open_and_record, args=(str(home), barrier))
                     for _ in range(8)]
        for process in processes:
            process.start()
        for process in processes:
            process.join(60)
        assert [p.exitcode for p in processes] == [0] * 8
        store = Store(home)
        assert len(store.conn.execute("SELECT * FROM starts").fetchall()) == 8
        store.close()


@pytest.mark.slow
def test_only_the_users_own_practice_is_recorded(kata, kata_home, workspace, tmp_path):
    """A check of someone else's file (--file), a --blind check and kata grade leave the
    practice history as it was."""
    stranger = tmp_path / "cand.py"
    stranger.write_text(FLATTEN.reference_path.read_text())
    assert kata("check", "flatten", "--file", str(stranger), "--no-bench").code == 0
    assert kata("start", "flatten").code == 0
    (workspace / "flatten.py").write_text(FLATTEN.reference_path.read_text())
    assert kata("check", "--blind", "--json", "--no-bench").code == 0
    folder = tmp_path / "folder"
    folder.mkdir()
    (folder / "x.py").write_text(FLATTEN.reference_path.read_text())
    assert kata("grade", str(folder), "--kata", "flatten", "--no-bench").code == 0
    store = Store(kata_home)
    assert store.checks("flatten") == []
    store.close()
    listed = {r["slug"]: r for r in kata("list", "--json").json()}
    assert listed["flatten"]["status"] != "passed"


def test_a_note_is_backed_within_one_growth_class_never_two():
    from harness.authoring.validate import _near
    from harness.grading.benchmark import growth_fits

    assert _near("O(1)", ["O(log n)"]) and _near("O(n)", ["O(n log n)", "O(n^2)"])
    assert not _near("O(n)", ["O(n^2)"]) and not _near("O(1)", ["O(n)"])
    quadratic = growth_fits((500, 2000, 8000), (0.001, 0.016, 0.256))
    assert quadratic == ["O(n^2)"] and not _near("O(n)", quadratic)
