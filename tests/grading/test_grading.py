"""The grading engine's verdicts on attempts that are broken rather than wrong."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap

import pytest

from harness import catalog
from harness.grading import sandbox
from harness.grading.runner import Limits, check_attempt

# Grades real attempts through child processes (pytest -m 'not slow' leaves it out).
pytestmark = pytest.mark.slow

FLATTEN = catalog.find_kata("flatten")
FAST = Limits(test_timeout_s=1, wall_timeout_s=30)


def _grade(tmp_path, source: str, limits: Limits = FAST):
    attempt = tmp_path / "flatten.py"
    attempt.write_text(textwrap.dedent(source))
    return check_attempt(FLATTEN, attempt, limits)


def test_syntax_error_names_the_line(tmp_path):
    source = "def flatten(data, sep='.'):\n    return {\n\ndef unflatten(): pass\n"
    report = _grade(tmp_path, source)
    assert "flatten.py, line 2" in report.error and "SyntaxError" in report.error
    # Every stage still shows its count of tests, all failed, each saying why.
    assert not report.passed and report.total > 0 and report.passed_count == 0
    assert all(len(s.tests) > 0 for s in report.stages)
    assert all("could not be loaded" in t.message for s in report.stages for t in s.tests)


def test_a_missing_name_fails_only_the_tests_that_use_it(tmp_path):
    """The contract: a flatten.py without unflatten is graded, and passes stages 1-3."""
    reference = FLATTEN.reference_path.read_text()
    without_unflatten = reference[:reference.index("def unflatten(")]
    report = _grade(tmp_path, without_unflatten, Limits(benchmark=False))
    assert report.error is None, report.error
    assert [s.passed for s in report.stages] == [True, True, True, False]
    failing = [t for t in report.stages[3].tests if t.outcome != "passed"]
    assert failing and all("flatten.py does not define unflatten" in t.message
                           for t in failing if "unflatten" in t.name), failing


def test_import_error_is_reported(tmp_path):
    report = _grade(tmp_path, "import no_such_module_here\n")
    assert not report.passed and "ModuleNotFoundError" in report.error


def test_sys_exit_at_import(tmp_path):
    report = _grade(tmp_path, "import sys\nsys.exit(0)\n")
    assert not report.passed and "sys.exit(0)" in report.error


def test_endless_loop_times_out_and_stops_early(tmp_path):
    report = _grade(tmp_path, """
        def flatten(data, sep="."):
            while True:
                pass

        def unflatten(data, sep="."):
            while True:
                pass
    """)
    assert not report.passed
    outcomes = [t.outcome for s in report.stages for t in s.tests]
    assert outcomes.count("timeout") == 2
    assert "ran out of time" in report.error
    assert report.timing.wall_s < 15


def test_wall_clock_limit_kills_an_attempt_that_ignores_alarms(tmp_path):
    report = _grade(tmp_path, """
        import signal

        def flatten(data, sep="."):
            signal.signal(signal.SIGALRM, signal.SIG_IGN)
            while True:
                pass

        def unflatten(data, sep="."):
            pass
    """, Limits(test_timeout_s=30, wall_timeout_s=4))
    assert not report.passed
    assert "wall-clock limit of 4 s" in report.error
    assert report.timing.wall_s < 8


def test_crash_is_named(tmp_path):
    """A recursion limit raised far past what the C stack holds crashes the interpreter
    (repr of deeply nested lists recurses in C)."""
    report = _grade(tmp_path, """
        import sys

        sys.setrecursionlimit(10**8)

        def flatten(data, sep="."):
            nested = []
            for _ in range(10**6):
                nested = [nested]
            return {"text": repr(nested)}

        def unflatten(data, sep="."):
            pass
    """, Limits(test_timeout_s=30, wall_timeout_s=300))
    assert not report.passed and "SIGSEGV" in report.error, report.error


def test_attempt_cannot_skip_its_way_to_a_pass(tmp_path):
    report = _grade(tmp_path, """
        import pytest

        def flatten(data, sep="."):
            pytest.skip("later")

        def unflatten(data, sep="."):
            pytest.xfail("later")
    """)
    assert not report.passed
    outcomes = {t.outcome for s in report.stages for t in s.tests}
    assert outcomes == {"skipped"}


@pytest.mark.parametrize("target", ["solutions.flatten", "katas.flatten.suite.conftest"])
def test_attempt_cannot_import_the_reference_or_the_suite(tmp_path, target):
    # From a source checkout the repository root is importable; from a wheel, harness._data is.
    report = _grade(tmp_path, f"""
        import importlib

        def flatten(data, sep="."):
            for name in ("{target}", "harness._data.{target}"):
                try:
                    module = importlib.import_module(name)
                except ImportError as exc:
                    if "not allowed" in str(exc):
                        raise
                    continue
                return module.flatten(data, sep)
            raise RuntimeError("found nothing to import")

        def unflatten(data, sep="."):
            pass
    """)
    assert not report.passed and report.verdict == "tampering"
    assert any("importlib" in reason for reason in report.tampering), report.tampering


def test_keyboard_interrupt_fails_only_its_test(tmp_path):
    report = _grade(tmp_path, """
        def flatten(data, sep="."):
            raise KeyboardInterrupt

        def unflatten(data, sep="."):
            pass
    """)
    assert not report.passed and report.error is None
    messages = {t.message for t in report.stages[0].tests}
    assert "the attempt raised KeyboardInterrupt" in messages


@pytest.mark.parametrize("cli_json", [True])
def test_noisy_correct_attempt_still_passes_with_clean_json(kata, workspace, cli_json):
    reference = FLATTEN.reference_path.read_text()
    noisy = (
        "import sys, os, threading, time\n"
        "print('1 passed, 0 failed')\n"
        "sys.stdout.buffer.write(b'\\xff\\xfe garbage\\n')\n"
        "threading.Thread(target=lambda: time.sleep(3600)).start()\n"
        + reference.replace('    result: dict[str, Any] = {}\n    # Each frame',
                            '    print("{\\"passed\\": true}" * 100)\n'
                            '    os.write(2, b"\\x80\\x81 not utf-8")\n'
                            '    result: dict[str, Any] = {}\n    # Each frame', 1)
    )
    (workspace / "flatten.py").write_text(noisy)
    run = kata("check", "flatten", "--json")
    report = json.loads(run.stdout)
    assert run.code == 0 and report["passed"] is True, run.stdout[-2000:]


def test_a_file_saved_again_in_the_same_second_at_the_same_size_is_graded_afresh(tmp_path):
    """No cached bytecode of the attempt is ever used: Python would check only the
    file's size and its modification time in whole seconds."""
    attempt = tmp_path / "flatten.py"
    bodies = ['raise ValueError("version-one")', 'raise ValueError("version-two")']
    messages = []
    for body in bodies:
        attempt.write_text(f"def flatten(data, sep='.'):\n    {body}\n\nunflatten = flatten\n")
        os.utime(attempt, (1_700_000_000, 1_700_000_000))
        # A .pyc beside the file, as `python -c "import flatten"` would leave.
        subprocess.run([sys.executable, "-c", "import flatten"], cwd=tmp_path,
                       env={**os.environ, "PYTHONDONTWRITEBYTECODE": ""}, check=False)
        report = check_attempt(FLATTEN, attempt, Limits(test_timeout_s=2, benchmark=False))
        messages.append({t.message for s in report.stages for t in s.tests if t.message})
    assert any("version-one" in m for m in messages[0]), messages[0]
    assert not any("version-two" in m for m in messages[0])
    assert any("version-two" in m for m in messages[1]), "graded the stale bytecode"


@pytest.mark.parametrize("sandboxed", [True, False], ids=["sandboxed", "unsandboxed"])
def test_caches_live_under_kata_home_and_can_be_deleted(tmp_path, monkeypatch, sandboxed):
    """Hypothesis' tables are prepared by the parent. The suite's bytecode is cached:
    unsandboxed, by the check itself; sandboxed, by a collection against the kata's stub,
    in a folder every check sees read-only."""
    monkeypatch.setenv("KATA_HOME", str(tmp_path / "home"))
    cache = tmp_path / "home" / "cache"
    for _ in range(2):
        report = check_attempt(FLATTEN, FLATTEN.reference_path,
                               Limits(benchmark=False, sandbox=sandboxed))
        assert report.passed, report.error
        assert list((cache / "hypothesis").rglob("charmap.json.gz"))
        assert report.sandboxed is sandboxed or not sandbox.available().ok
        where = cache / ("suite-pycache" if report.sandboxed else "pycache")
        assert list(where.rglob("test_stage1*.pyc")), list(cache.rglob("*"))
        shutil.rmtree(cache)
