"""Runs a kata's hidden suite on an attempt in an isolated child process."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from harness import catalog, paths
from harness.catalog import Kata
from harness.grading import isolation, protocol
from harness.grading.results import (
    NO_RESULT,
    NOT_RUN,
    CheckReport,
    StageResult,
    TestResult,
    Timing,
)

_GRADING_DIR = Path(__file__).resolve().parent
_TAIL_BYTES = 4000
_POLL_S = 0.05
# A test still running this long after its own time limit ignores the timeout
# signal; the parent then stops the run instead of waiting for the wall clock.
OVERRUN_GRACE_S = 2.0


@dataclass(frozen=True)
class Limits:
    """How much one check may take. Every limit ends in a clear verdict."""

    test_timeout_s: float = 5.0  # per test, pytest-timeout (SIGALRM inside the child)
    wall_timeout_s: float = 60.0  # whole run, SIGKILL to the child's process group
    memory_mb: int = 2048  # address space of the child (RLIMIT_AS)
    output_mb: int = 64  # largest file the child may write, captured output included
    benchmark: bool = True  # time a fully passing attempt against the reference
    output_chars: int = 500  # attempt output kept per failing test


@dataclass
class ChildRun:
    """What the child left behind: its result records and how it ended."""

    records: list[dict]
    returncode: int | None
    timed_out: bool
    stderr_tail: str
    wall_s: float
    overrun: str | None = None  # id of a test that could not be interrupted


def check_attempt(kata: Kata, attempt: Path, limits: Limits = Limits(),
                  launch: Launcher | None = None) -> CheckReport:
    """Grade `attempt` against `kata`'s hidden suite and build the report.

    `launch` starts the child: a new interpreter by default, or a warm grader's fork.
    """
    run = run_child(kata, attempt.resolve(), limits, launch or cold_launch)
    return build_report(kata, attempt.resolve(), run, limits)


def pytest_args(kata: Kata, limits: Limits) -> list[str]:
    """The child's pytest arguments, the same for a cold and a warm check."""
    return [
        str(kata.suite_dir),
        "-c", str(_GRADING_DIR / "pytest.ini"), "--rootdir", str(kata.dir),
        "-p", "harness.grading.plugin",
        # Plugin autoloading is off in the child: exactly these run, whatever else is
        # installed, plus any a suite's conftest.py names in `pytest_plugins`.
        "-p", "pytest_timeout", "-p", "_hypothesis_pytestplugin",
        "-p", "no:cacheprovider", "-p", "no:stepwise", "-p", "no:doctest",
        "-p", "no:junitxml", "-p", "no:pastebin", "-p", "no:legacypath",
        "--import-mode=importlib", "-q", "--no-header", "--tb=no", "-rN",
        f"--timeout={limits.test_timeout_s:g}",
    ]


def child_env(kata: Kata, attempt: Path, results: Path, work: Path, limits: Limits) -> dict:
    env = {k: v for k, v in os.environ.items()
           if k not in ("PYTHONPATH", "PYTHONSTARTUP", "PYTEST_ADDOPTS", "PYTEST_PLUGINS")}
    blocked = [str(d) for d in catalog.kata_dirs()] + [str(paths.solutions_dir())]
    env.update({
        # harness must be importable by the child even from a source checkout.
        "PYTHONPATH": str(_GRADING_DIR.parent.parent),
        "PYTHONDONTWRITEBYTECODE": "1",
        "PYTHONHASHSEED": "0",
        "PYTHONIOENCODING": "utf-8:backslashreplace",
        "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1",
        "HYPOTHESIS_STORAGE_DIRECTORY": str(paths.hypothesis_cache()),
        "MALLOC_ARENA_MAX": "2",  # threads would otherwise reserve address space per arena
        "NO_COLOR": "1",
        protocol.RESULTS: str(results),
        protocol.ATTEMPT: str(attempt),
        protocol.MODULE: kata.module,
        protocol.INTERFACE: ",".join(kata.interface),
        protocol.BLOCKED: os.pathsep.join(blocked),
        protocol.OUTPUT_CHARS: str(limits.output_chars),
        protocol.PYCACHE: str(paths.bytecode_cache()),
    })
    if kata.durations_path.is_file():
        env[protocol.DURATIONS] = str(kata.durations_path)
    bench = kata.dir / "bench.py"
    if limits.benchmark and bench.is_file() and kata.reference_path.is_file():
        env[protocol.BENCH] = str(bench)
        env[protocol.REFERENCE] = str(kata.reference_path)
    return env


class Launcher(Protocol):
    """Starts a grading child; `cold_launch` below, or the warm grader's."""

    def __call__(self, args: list[str], env: dict, cwd: Path, stdout: Path, stderr: Path,
                 limits: Limits) -> Child: ...


class Child(Protocol):
    pid: int
    returncode: int | None

    def wait(self, timeout: float | None = None) -> int: ...


def cold_launch(args: list[str], env: dict, cwd: Path, stdout: Path, stderr: Path,
                limits: Limits) -> subprocess.Popen:
    """A new interpreter: `python -m pytest ...` in its own session, under the limits."""
    isolation.become_subreaper()
    with open(stdout, "wb") as out, open(stderr, "wb") as err:
        return subprocess.Popen(
            [sys.executable, "-m", "pytest", *args], cwd=cwd, env=env,
            stdin=subprocess.DEVNULL, stdout=out, stderr=err, start_new_session=True,
            preexec_fn=lambda: isolation.limit_child(limits.memory_mb, limits.output_mb),
        )


def run_child(kata: Kata, attempt: Path, limits: Limits,
              launch: Launcher = cold_launch) -> ChildRun:
    with tempfile.TemporaryDirectory(prefix="kata-check-") as tmp:
        tmp_path = Path(tmp)
        work = tmp_path / "work"
        work.mkdir()
        results = tmp_path / "results.jsonl"
        results.touch()
        started = time.perf_counter()
        with isolation.spawning():
            child = launch(pytest_args(kata, limits),
                           child_env(kata, attempt, results, work, limits),
                           work, tmp_path / "stdout", tmp_path / "stderr", limits)
            isolation.track(child.pid)
        try:
            timed_out, overrun = _wait(child, results, started + limits.wall_timeout_s)
        finally:
            # Whatever the attempt started goes too: its group, then any escapee.
            isolation.kill_group(child.pid)
            child.wait()
            isolation.untrack(child.pid)
            isolation.kill_orphans()
        wall_s = time.perf_counter() - started
        records = _read_records(results)
        stderr_tail = (tmp_path / "stderr").read_bytes()[-_TAIL_BYTES:]
    return ChildRun(records, None if timed_out or overrun else child.returncode, timed_out,
                    stderr_tail.decode("utf-8", "replace"), wall_s, overrun)


def _wait(proc: Child, results: Path, deadline: float) -> tuple[bool, str | None]:
    """Wait for the child; returns (hit the wall clock, id of an uninterruptible test)."""
    running: tuple[str, float, float] | None = None  # test id, seen at, its time limit
    offset = 0
    while True:
        try:
            proc.wait(timeout=_POLL_S)
            return False, None
        except subprocess.TimeoutExpired:
            pass
        now = time.perf_counter()
        if now >= deadline:
            return True, None
        with open(results, "rb") as handle:
            handle.seek(offset)
            chunk = handle.read()
        complete = chunk[: chunk.rfind(b"\n") + 1]
        offset += len(complete)
        for record in _parse(complete):
            if record["event"] == "test_start" and record.get("timeout_s"):
                running = (record["id"], now, float(record["timeout_s"]))
            elif record["event"] == "test":
                running = None
        if running and now - running[1] > running[2] + OVERRUN_GRACE_S:
            return False, running[0]


def _read_records(path: Path) -> list[dict]:
    return _parse(path.read_bytes())


def _parse(data: bytes) -> list[dict]:
    records = []
    for line in data.splitlines():
        try:
            record = json.loads(line)
        except ValueError:
            continue  # a torn last line from a killed child
        if isinstance(record, dict) and "event" in record:
            records.append(record)
    return records


def _how_it_ended(run: ChildRun, limits: Limits) -> str:
    if run.overrun:
        name = run.overrun.rpartition("::")[2]
        return (f"{name} ran past its time limit and could not be interrupted "
                "(signals ignored or swallowed?), so the run was stopped")
    if run.timed_out:
        return (f"the check took longer than the wall-clock limit of "
                f"{limits.wall_timeout_s:g} s and was stopped (an endless loop?)")
    code = run.returncode
    if code is not None and code < 0:
        name = signal.Signals(-code).name
        if -code == signal.SIGKILL:
            return f"the grading process was killed ({name}; out of memory?)"
        if -code == signal.SIGSEGV:
            return f"the grading process crashed ({name}, a segmentation fault)"
        if -code == signal.SIGXFSZ:
            return (f"the attempt wrote more than {limits.output_mb} MB of output "
                    f"and was stopped ({name})")
        return f"the grading process was ended by {name}"
    return f"the grading process exited early with status {code} (sys.exit or os._exit?)"


def build_report(kata: Kata, attempt: Path, run: ChildRun, limits: Limits) -> CheckReport:
    events: dict[str, dict] = {}
    results: dict[str, dict] = {}
    for record in run.records:
        if record["event"] == "test":
            results[record["id"]] = record
        else:
            events.setdefault(record["event"], record)
    collected = events.get("collected", {}).get("tests", [])

    error = None
    if "attempt_error" in events:
        error = events["attempt_error"]["message"]
    elif "start" not in events:
        error = ("the grader could not start: "
                 + (run.stderr_tail.strip()[-1000:] or _how_it_ended(run, limits)))
    elif "collect_error" in events:
        error = "the hidden suite could not be collected:\n" + events["collect_error"]["message"]
    elif "attempt_loaded" not in events:
        error = f"while {attempt.name} was being imported, {_how_it_ended(run, limits)}"
    elif "collected" not in events:
        error = _how_it_ended(run, limits)
    elif "stopped" in events:
        error = events["stopped"]["reason"]
    elif "finished" not in events or len(results) < len(collected):
        error = _how_it_ended(run, limits) if "finished" not in events else (
            "the run ended before every test had run")

    missing = (NOT_RUN if "stopped" in events else NO_RESULT) + (
        error or "the test did not report")
    by_stage: dict[int, list[TestResult]] = {s.number: [] for s in kata.stages}
    for test in collected:
        stage = test.get("stage")
        if stage not in by_stage:
            error = error or f"hidden suite problem: {test['id']} has no valid stage marker"
            continue
        result = results.get(test["id"])
        if result is None and test["id"] == run.overrun:
            result = {"outcome": "timeout", "duration_s": 0.0, "example": None, "output": None,
                      "message": "ran past its time limit and could not be interrupted"}
        by_stage[stage].append(TestResult(
            name=test["name"],
            outcome=result["outcome"] if result else "error",
            duration_s=round(result["duration_s"], 4) if result else 0.0,
            message=result["message"] if result else missing,
            example=result["example"] if result else None,
            output=result["output"] if result else None,
            doc=test.get("doc"),
        ))
    stages = [StageResult(s.number, s.title, by_stage[s.number]) for s in kata.stages]
    tests_s = sum(r["duration_s"] for r in results.values())
    benchmark = events.get("benchmark")
    if benchmark is not None:
        benchmark = {k: v for k, v in benchmark.items() if k != "event"}
    cpu = events.get("finished", {}).get("tests_cpu_s")
    return CheckReport(kata=kata.slug, file=str(attempt), error=error, stages=stages,
                       timing=Timing(tests_s=tests_s, wall_s=run.wall_s, tests_cpu_s=cpu,
                                     benchmark=benchmark))
