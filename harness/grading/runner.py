"""Runs a kata's hidden suite on an attempt in an isolated child process.

One check: copy the attempt into a private folder, scan its source for reaches
into the grader, launch the child (inside the bubblewrap sandbox where the
machine allows it), wait for it under the parent's own deadline, then let
`verdict.build_report` decide from the records. A fully passing attempt is
then timed against the reference in a second, separate child: the reference is
never visible to the child that grades.
"""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from harness import catalog, paths
from harness.catalog import Kata
from harness.grading import isolation, protocol, sandbox, tripwire
from harness.grading.limits import Limits
from harness.grading.results import CheckReport
from harness.grading.verdict import ChildRun, build_report

_GRADING_DIR = Path(__file__).resolve().parent
_TAIL_BYTES = 4000
_POLL_S = 0.05
# A test still running this long after its own time limit ignores the timeout
# signal; the parent then stops the run instead of waiting for the wall clock.
OVERRUN_GRACE_S = 2.0
BENCH_WALL_S = 30.0


@dataclass
class ChildSpec:
    """Everything a launcher needs to start one grading child."""

    argv: list[str]  # the interpreter and its arguments
    env: dict[str, str]  # exactly the child's environment
    cwd: Path
    stdout: Path
    stderr: Path
    limits: Limits
    binds: list[tuple[str, Path, Path]] = field(default_factory=list)  # sandboxed: mounts
    sandboxed: bool = False


@dataclass(frozen=True)
class Placement:
    """Where the child finds this check's files (host paths when unsandboxed)."""

    kata_dir: Path
    attempt: Path
    results: Path
    token: str = field(default_factory=lambda: secrets.token_hex(16))

    @property
    def suite_dir(self) -> Path:
        return self.kata_dir / "suite"


StageHandler = Callable[[int, bool], None]


def check_attempt(kata: Kata, attempt: Path, limits: Limits | None = None,
                  launch: Launcher | None = None, folder: Path | None = None,
                  inside: Path | None = None, on_stage: StageHandler | None = None
                  ) -> CheckReport:
    """Grade `attempt` against `kata`'s hidden suite and build the report.

    `launch` starts the child: a new interpreter by default, or a warm grader's fork.
    A sandboxed warm grader sees the check's files in `folder` at `inside`.
    `on_stage(number, passed)` is told, while the run goes on, each stage whose tests have
    all reported: progress to show, never the verdict (the report alone is).
    """
    attempt = attempt.resolve()
    run = run_child(kata, attempt, limits or Limits(), launch or cold_launch, folder, inside,
                    on_stage)
    return build_report(kata, attempt, run)


def use_sandbox(limits: Limits) -> bool:
    return limits.sandbox and sandbox.available().ok


def pytest_args(place: Placement, limits: Limits) -> list[str]:
    """The child's pytest arguments, the same for a cold and a warm check."""
    return [
        str(place.suite_dir),
        "-c", str(_GRADING_DIR / "pytest.ini"), "--rootdir", str(place.kata_dir),
        "-p", "harness.grading.plugin",
        # Plugin autoloading is off in the child: exactly these run, whatever else is
        # installed, plus any a suite's conftest.py names in `pytest_plugins`.
        "-p", "pytest_timeout", "-p", "_hypothesis_pytestplugin",
        "-p", "no:cacheprovider", "-p", "no:stepwise", "-p", "no:doctest",
        "-p", "no:junitxml", "-p", "no:pastebin", "-p", "no:legacypath",
        "--import-mode=importlib", "-q", "--no-header", "--tb=no", "-rN",
        f"--timeout={limits.test_timeout_s:g}",
    ]


def _common_env(sandboxed: bool) -> dict[str, str]:
    if sandboxed:
        env = sandbox.base_env()
    else:
        env = {k: v for k, v in os.environ.items()
               if k not in ("PYTHONPATH", "PYTHONSTARTUP", "PYTEST_ADDOPTS", "PYTEST_PLUGINS")}
        # harness must be importable by the child even from a source checkout.
        env["PYTHONPATH"] = str(_GRADING_DIR.parent.parent)
        env["HYPOTHESIS_STORAGE_DIRECTORY"] = str(paths.hypothesis_cache())
    env.update({
        "PYTHONDONTWRITEBYTECODE": "1",
        "PYTHONHASHSEED": "0",
        "PYTHONIOENCODING": "utf-8:backslashreplace",
        "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1",
        "MALLOC_ARENA_MAX": "2",  # threads would otherwise reserve address space per arena
        "NO_COLOR": "1",
    })
    return env


def child_env(kata: Kata, place: Placement, limits: Limits, sandboxed: bool) -> dict[str, str]:
    env = _common_env(sandboxed)
    env.update({
        protocol.RESULTS: str(place.results),
        protocol.ATTEMPT: str(place.attempt),
        protocol.MODULE: kata.module,
        protocol.INTERFACE: ",".join(kata.interface),
        protocol.OUTPUT_CHARS: str(limits.output_chars),
        protocol.TRIPWIRE: "1",
        protocol.TOKEN: place.token,
        protocol.GUARDED: os.pathsep.join([str(place.kata_dir), str(place.results.parent)]),
    })
    if not sandboxed:
        # Without the sandbox the other katas and the solutions are on disk: the plugin
        # refuses imports from them, and the suite's bytecode is cached between checks.
        blocked = [str(d) for d in catalog.kata_dirs()] + [str(paths.solutions_dir())]
        env[protocol.BLOCKED] = os.pathsep.join(blocked)
        env[protocol.GUARDED] += os.pathsep + env[protocol.BLOCKED]
        env[protocol.PYCACHE] = str(paths.bytecode_cache())
    if kata.durations_path.is_file():
        env[protocol.DURATIONS] = str(place.suite_dir / kata.durations_path.name)
    if not limits.all_stages:
        env[protocol.STAGE_BY_STAGE] = "1"
    return env


def secret_paths() -> list[Path]:
    """What a sandboxed child must never see, even where it lies inside a folder it sees."""
    found = [paths.builtin_katas_dir(), paths.solutions_dir(), paths.kata_cache(),
             *catalog.kata_dirs()]
    if os.environ.get("KATA_HOME"):
        found.append(paths.kata_home())
    return [p.resolve() for p in found if p.exists()]


class Launcher(Protocol):
    """Starts a grading child; `cold_launch` below, or the warm grader's."""

    def __call__(self, spec: ChildSpec) -> Child: ...


class Child(Protocol):
    pid: int
    returncode: int | None

    def wait(self, timeout: float | None = None) -> int: ...


def cold_launch(spec: ChildSpec) -> subprocess.Popen:
    """A new interpreter in its own session, under the limits; inside bwrap when sandboxed."""
    isolation.become_subreaper()
    argv, env = spec.argv, spec.env
    if spec.sandboxed:
        argv = sandbox.command(sandbox.available().bwrap, spec.binds, spec.env, spec.argv,
                               secret_paths(), spec.limits.output_mb)
        env = {"PATH": os.environ.get("PATH", sandbox.PATH), "LANG": "C.UTF-8"}
    limits = spec.limits
    cap = isolation.ProcessCap(limits.memory_mb)
    with open(spec.stdout, "wb") as out, open(spec.stderr, "wb") as err:
        child = subprocess.Popen(
            argv, cwd=spec.cwd, env=env, stdin=subprocess.DEVNULL, stdout=out, stderr=err,
            start_new_session=True,
            preexec_fn=lambda: isolation.limit_child(limits.memory_mb, limits.output_mb, cap),
        )
    child.process_cap = cap  # closed by _supervise once everything of the check is gone
    return child


def prepare_caches() -> None:
    """Fill Hypothesis' Unicode tables from the trusted parent, once: a sandboxed child
    only reads them, so no attempt can plant anything there for the next check."""
    cache = paths.hypothesis_cache()
    if (cache / "unicode_data").is_dir():
        return
    cache.mkdir(parents=True, exist_ok=True)
    subprocess.run([sys.executable, "-c",
                    "from hypothesis.internal.charmap import charmap; charmap()"],
                   env={**os.environ, "HYPOTHESIS_STORAGE_DIRECTORY": str(cache)},
                   stdin=subprocess.DEVNULL, capture_output=True, timeout=120, check=False)


def run_child(kata: Kata, attempt: Path, limits: Limits, launch: Launcher = cold_launch,
              folder: Path | None = None, inside: Path | None = None,
              on_stage: StageHandler | None = None) -> ChildRun:
    sandboxed = use_sandbox(limits)
    prepare_caches()
    source = attempt.read_bytes()
    suite = [f.read_text(encoding="utf-8", errors="replace")
             for f in sorted(kata.suite_dir.glob("*.py"))]
    tampering = tripwire.scan(source.decode("utf-8", "replace"), attempt.name,
                              tripwire.suite_module_names(suite))
    with tempfile.TemporaryDirectory(prefix="kata-check-", dir=folder) as tmp:
        tmp_path = Path(tmp)
        # A private copy: a sibling in the same folder cannot change what is graded.
        (tmp_path / "attempt").mkdir()
        copy = tmp_path / "attempt" / attempt.name
        copy.write_bytes(source)
        results = tmp_path / "results.jsonl"
        results.touch()
        work = tmp_path / "work"
        work.mkdir()
        if inside is not None:  # a sandboxed warm server, which has the suite already
            seen_at = inside / tmp_path.relative_to(folder)
            place = Placement(sandbox.KATA_ROOT / kata.slug,
                              seen_at / "attempt" / attempt.name, seen_at / results.name)
            binds = []
        elif sandboxed:
            place = Placement(sandbox.KATA_ROOT / kata.slug, sandbox.ATTEMPT_DIR / attempt.name,
                              sandbox.RESULTS_DIR / results.name)
            binds = [("ro", kata.suite_dir, place.suite_dir),
                     ("ro", copy, place.attempt),
                     ("rw", results, place.results),
                     ("ro", paths.hypothesis_cache(), sandbox.HYPOTHESIS_DIR)]
        else:
            place, binds = Placement(kata.dir, copy, results), []
        spec = ChildSpec([sys.executable, "-m", "pytest", *pytest_args(place, limits)],
                         child_env(kata, place, limits, sandboxed), work,
                         tmp_path / "stdout", tmp_path / "stderr", limits, binds, sandboxed)
        run = _supervise(spec, launch, results, limits.wall_timeout_s, place.token,
                         on_stage=on_stage)
        if sandboxed and launch is cold_launch and run.returncode and run.returncode > 128:
            # bwrap exits with 128 + N when the process inside was ended by signal N.
            run.returncode = 128 - run.returncode
        run.tampering = tampering
        run.sandboxed = sandboxed
        run.output_mb = limits.output_mb
        run.wall_timeout_s = limits.wall_timeout_s
        report_passes = build_report(kata, attempt, run).passed
        if report_passes and limits.benchmark and benchmarkable(kata):
            run.benchmark = _benchmark(kata, tmp_path, copy, limits, sandboxed)
    return run


def _supervise(spec: ChildSpec, launch: Launcher, results: Path, wall_s: float,
               token: str, watch_tests: bool = True,
               on_stage: StageHandler | None = None) -> ChildRun:
    """Launch, wait under the parent's own deadline, and leave nothing running."""
    started = time.perf_counter()
    with isolation.spawning():
        child = launch(spec)
        isolation.track(child.pid)
    try:
        timed_out, overrun = _wait(child, results, started + wall_s, token if watch_tests
                                   else None, _StageProgress(on_stage) if on_stage else None)
    finally:
        # Whatever the attempt started goes too: its group, then any escapee.
        isolation.kill_group(child.pid)
        child.wait()
        isolation.untrack(child.pid)
        isolation.kill_orphans()
        cap = getattr(child, "process_cap", None)
        if cap is not None:
            cap.close()
    wall = time.perf_counter() - started
    stderr_tail = spec.stderr.read_bytes()[-_TAIL_BYTES:] if spec.stderr.exists() else b""
    return ChildRun(_parse(results.read_bytes()),
                    None if timed_out or overrun else child.returncode, timed_out,
                    stderr_tail.decode("utf-8", "replace"), wall, overrun, token=token)


def benchmark_file(kata: Kata, attempt: Path, limits: Limits) -> dict | None:
    """Time one file (already known to pass) against the reference, in the same sandboxed
    benchmark child a passing check uses: `kata solutions`. None when it cannot be timed."""
    return benchmark_source(kata, attempt.read_bytes(), limits)


def benchmark_source(kata: Kata, source: bytes, limits: Limits) -> dict | None:
    """`benchmark_file` for a source already read (the very one that was graded)."""
    if not benchmarkable(kata):
        return None
    with tempfile.TemporaryDirectory(prefix="kata-bench-") as tmp:
        tmp_path = Path(tmp)
        (tmp_path / "attempt").mkdir()
        (tmp_path / "work").mkdir()
        copy = tmp_path / "attempt" / kata.file
        copy.write_bytes(source)
        return _benchmark(kata, tmp_path, copy, limits, use_sandbox(limits))


def benchmarkable(kata: Kata) -> bool:
    """Whether a passing attempt of `kata` can be timed: it has a workload and a reference."""
    return (kata.dir / "bench.py").is_file() and kata.reference_path.is_file()


def _benchmark(kata: Kata, tmp: Path, copy: Path, limits: Limits, sandboxed: bool) -> dict | None:
    """Time the passing attempt against the reference in a child of its own."""
    results = tmp / "bench.jsonl"
    results.touch()
    if sandboxed:
        place = Placement(sandbox.KATA_ROOT / kata.slug, sandbox.ATTEMPT_DIR / copy.name,
                          sandbox.RESULTS_DIR / results.name)
        bench, reference = sandbox.BENCH_DIR / "bench.py", sandbox.BENCH_DIR / "reference.py"
        binds = [("ro", copy, place.attempt), ("rw", results, place.results),
                 ("ro", kata.dir / "bench.py", bench), ("ro", kata.reference_path, reference)]
    else:
        place = Placement(kata.dir, copy, results)
        bench, reference, binds = kata.dir / "bench.py", kata.reference_path, []
    env = _common_env(sandboxed)
    env.update({protocol.RESULTS: str(place.results), protocol.ATTEMPT: str(place.attempt),
                protocol.MODULE: kata.module, protocol.BENCH: str(bench),
                protocol.REFERENCE: str(reference), protocol.TRIPWIRE: "1",
                protocol.TOKEN: place.token})
    spec = ChildSpec([sys.executable, "-m", "harness.grading.bench_phase"], env, tmp / "work",
                     tmp / "bench.out", tmp / "bench.err", limits, binds, sandboxed)
    run = _supervise(spec, cold_launch, results, BENCH_WALL_S, place.token, watch_tests=False)
    found = [r for r in run.records
             if r["event"] == protocol.BENCHMARK and r.get("token") == place.token]
    if run.returncode != 0 or len(found) != 1:
        return None
    return {k: v for k, v in found[0].items() if k not in ("event", "token")}


class _StageProgress:
    """Tells `on_stage` of each stage, in order, once all its tests have reported, up to
    the first that did not pass (the candidate's stage: what comes after is locked)."""

    def __init__(self, on_stage: StageHandler) -> None:
        self.on_stage = on_stage
        self.pending: dict[int, set[str]] = {}
        self.failed: set[int] = set()
        self.told_a_failure = False

    def see(self, record: dict) -> None:
        if record["event"] == protocol.COLLECTED:
            for test in record.get("tests") or []:
                if isinstance(test, dict) and isinstance(test.get("stage"), int):
                    self.pending.setdefault(test["stage"], set()).add(str(test.get("id")))
        elif record["event"] == protocol.TEST:
            for number, ids in self.pending.items():
                if str(record.get("id")) in ids:
                    ids.discard(str(record.get("id")))
                    if record.get("outcome") != "passed":
                        self.failed.add(number)
            while self.pending and not self.told_a_failure:
                first = min(self.pending)
                if self.pending[first]:
                    break
                del self.pending[first]
                self.told_a_failure = first in self.failed
                self.on_stage(first, not self.told_a_failure)


def _wait(proc: Child, results: Path, deadline: float, token: str | None,
          progress: _StageProgress | None = None) -> tuple[bool, str | None]:
    """Wait for the child; returns (hit the wall clock, id of an uninterruptible test).
    With a token, the records that carry it are watched for a test that overruns."""
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
        if token is None:
            continue
        with open(results, "rb") as handle:
            handle.seek(offset)
            chunk = handle.read(1 << 20)
        complete = chunk[: chunk.rfind(b"\n") + 1]
        offset += len(complete)
        for record in _parse(complete):
            if record.get("token") != token:
                continue
            if record["event"] == protocol.TEST_START and record.get("timeout_s"):
                running = (str(record.get("id")), now, float(record["timeout_s"]))
            elif record["event"] == protocol.TEST:
                running = None
            if progress is not None:
                progress.see(record)
        if running and now - running[1] > running[2] + OVERRUN_GRACE_S:
            return False, running[0]


def _parse(data: bytes) -> list[dict]:
    records = []
    for line in data.splitlines():
        try:
            record = json.loads(line)
        except ValueError:
            continue  # a torn last line from a killed child
        if isinstance(record, dict) and isinstance(record.get("event"), str):
            records.append(record)
    return records
