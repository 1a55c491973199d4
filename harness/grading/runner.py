"""Runs a kata's hidden suite on an attempt in an isolated child process.

One check: copy the attempt into a private folder, scan its source for reaches
into the grader, launch the child (inside the bubblewrap sandbox where the
machine allows it), wait for it under the parent's own deadline, then let
`verdict.build_report` decide from the records. A fully passing attempt is
then timed against the reference in a second, separate child: the reference is
never visible to the child that grades.
"""

from __future__ import annotations

import contextlib
import dataclasses
import importlib.util
import json
import os
import select
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from harness import catalog, paths
from harness.catalog import Kata
from harness.grading import isolation, protocol, sandbox, tripwire, waiting_child
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
    token: str = field(default_factory=lambda: os.urandom(16).hex())  # as secrets does

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
        # A cold child's freed heap stays with it for the next test, instead of going back
        # to the kernel to be page-faulted in again: flatten's 10,000-level tests reuse
        # about 100 MB each, and a worker runs them 40 ms sooner. (Setting the trim
        # threshold fixes the mmap threshold too: at most 32 MB, as glibc allows.) A warm
        # grader's child is forked from a server whose allocator is set up already, and
        # it is slower there: so only here, where glibc reads it at the child's start.
        "MALLOC_TRIM_THRESHOLD_": str(512 * 1024 * 1024),
        "MALLOC_MMAP_THRESHOLD_": str(32 * 1024 * 1024),
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


def cold_launch(spec: ChildSpec) -> Child:
    """A new interpreter in its own session, under the limits; inside bwrap when sandboxed."""
    isolation.become_subreaper()
    argv, env = spec.argv, spec.env
    if spec.sandboxed:
        argv = sandbox.command(sandbox.available().bwrap, spec.binds, spec.env, spec.argv,
                               secret_paths(), spec.limits.output_mb)
        env = {"PATH": os.environ.get("PATH", sandbox.PATH), "LANG": "C.UTF-8"}
    limits = spec.limits
    waiting = waiting_child.take()
    if waiting is not None:
        started = waiting.launch(argv, env, spec.cwd, spec.stdout, spec.stderr,
                                 limits.memory_mb, limits.output_mb)
        if started is not None:
            return started
    cap, me = isolation.ProcessCap(limits.memory_mb), os.getpid()
    try:
        with open(spec.stdout, "wb") as out, open(spec.stderr, "wb") as err:
            child = subprocess.Popen(
                argv, cwd=spec.cwd, env=env, stdin=subprocess.DEVNULL, stdout=out,
                stderr=err, start_new_session=True,
                preexec_fn=lambda: isolation.limit_child(limits.memory_mb, limits.output_mb,
                                                         cap, me),
            )
    except BaseException:
        cap.close()  # nothing started: its cgroups would be left behind
        raise
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


def _grading_spec(kata: Kata, name: str, source: bytes, tmp_path: Path, limits: Limits,
                  sandboxed: bool, folder: Path | None = None, inside: Path | None = None,
                  caches: str = "ro") -> tuple[ChildSpec, Placement, Path]:
    """The grading child of one check, its files in `tmp_path`: (spec, where the child
    sees them, the results file). `caches` is how a sandboxed child sees kata's caches
    (Hypothesis' and the suite's bytecode): "ro" for every check, "rw" only for
    `prepare_suite_bytecode`, where no attempt runs."""
    # A private copy: a sibling in the same folder cannot change what is graded.
    (tmp_path / "attempt").mkdir()
    copy = tmp_path / "attempt" / name
    copy.write_bytes(source)
    results = tmp_path / "results.jsonl"
    results.touch()
    work = tmp_path / "work"
    work.mkdir()
    if inside is not None:  # a sandboxed warm server, which has the suite already
        seen_at = inside / tmp_path.relative_to(folder)
        place = Placement(sandbox.KATA_ROOT / kata.slug,
                          seen_at / "attempt" / name, seen_at / results.name)
        binds = []
    elif sandboxed:
        place = Placement(sandbox.KATA_ROOT / kata.slug, sandbox.ATTEMPT_DIR / name,
                          sandbox.RESULTS_DIR / results.name)
        binds = [("ro", kata.suite_dir, place.suite_dir),
                 ("ro", copy, place.attempt),
                 ("rw", results, place.results),
                 (caches, paths.hypothesis_cache(), sandbox.HYPOTHESIS_DIR),
                 (caches, paths.suite_bytecode_cache(), sandbox.SUITE_BYTECODE_DIR)]
    else:
        place, binds = Placement(kata.dir, copy, results), []
    env = child_env(kata, place, limits, sandboxed)
    if sandboxed and inside is None and paths.suite_bytecode_cache().is_dir():
        env[protocol.PYCACHE] = str(sandbox.SUITE_BYTECODE_DIR)
    spec = ChildSpec([sys.executable, "-m", "harness.grading.child", *pytest_args(place, limits)],
                     env, work, tmp_path / "stdout", tmp_path / "stderr", limits, binds,
                     sandboxed)
    return spec, place, results


def prepare_suite_bytecode(kata: Kata, limits: Limits) -> None:
    """Have the suite's assertion-rewritten bytecode, and the constants Hypothesis reads
    from its source, ready for sandboxed checks, which read them and never write them:
    without them, every check rewrites the suite (12 to 22 ms) and parses it for
    constants (about 8 ms). They are written by a sandboxed child that collects the
    suite against the kata's own stub, so that no attempt ever runs where it could
    change them; once for each version of the suite, Python, pytest and Hypothesis
    (both ignore a stale file)."""
    cache = paths.suite_bytecode_cache()
    stamp = cache / f"{kata.slug}.stamp"
    wanted = _suite_stamp(kata)
    try:
        if stamp.read_text(encoding="utf-8") == wanted:
            return
    except OSError:
        pass
    if not kata.stub_path.is_file():
        return
    prepare_caches()  # the constants go into Hypothesis' cache, so it must exist first
    cache.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="kata-bytecode-") as tmp:
        spec, place, results = _grading_spec(
            kata, kata.file, kata.stub_path.read_bytes(), Path(tmp),
            dataclasses.replace(limits, all_stages=True), True, caches="rw")
        spec.argv.append("--collect-only")
        _supervise(spec, cold_launch, results, BENCH_WALL_S, place.token, watch_tests=False)
    # Stamped even if that collection failed: a check then rewrites the suite itself, as
    # before, rather than trying again (about 0.4 s) on every check.
    stamp.write_text(wanted, encoding="utf-8")


def _suite_stamp(kata: Kata) -> str:
    """What the suite's cached files depend on: its files, Python, pytest, Hypothesis."""
    lines = ["bytecode and constants", sys.version]
    versions = []
    for package, version_file in (("_pytest", "_version.py"), ("hypothesis", "version.py")):
        found = importlib.util.find_spec(package)
        if found and found.origin:
            versions.append(Path(found.origin).parent / version_file)
    for path in [*sorted(kata.suite_dir.glob("*.py")), *versions]:
        with contextlib.suppress(OSError):
            status = path.stat()
            lines.append(f"{path} {status.st_mtime_ns} {status.st_size}")
    return "\n".join(lines) + "\n"


def run_child(kata: Kata, attempt: Path, limits: Limits, launch: Launcher = cold_launch,
              folder: Path | None = None, inside: Path | None = None,
              on_stage: StageHandler | None = None) -> ChildRun:
    sandboxed = use_sandbox(limits)
    prepare_caches()
    if sandboxed and inside is None:
        prepare_suite_bytecode(kata, limits)
    source = attempt.read_bytes()
    suite = [f.read_text(encoding="utf-8", errors="replace")
             for f in sorted(kata.suite_dir.glob("*.py"))]
    tampering = tripwire.scan(source.decode("utf-8", "replace"), attempt.name,
                              tripwire.suite_module_names(suite))
    with tempfile.TemporaryDirectory(prefix="kata-check-", dir=folder) as tmp:
        tmp_path = Path(tmp)
        spec, place, results = _grading_spec(kata, attempt.name, source, tmp_path, limits,
                                             sandboxed, folder, inside)
        run = _supervise(spec, launch, results, limits.wall_timeout_s, place.token,
                         on_stage=on_stage)
        if sandboxed and inside is None and run.returncode and run.returncode > 128:
            # bwrap exits with 128 + N when the process inside was ended by signal N.
            run.returncode = 128 - run.returncode
        run.tampering = tampering
        run.sandboxed = sandboxed
        run.output_mb = limits.output_mb
        run.wall_timeout_s = limits.wall_timeout_s
        report_passes = build_report(kata, attempt, run).passed
        if report_passes and limits.benchmark and benchmarkable(kata):
            run.benchmark = _benchmark(kata, tmp_path, tmp_path / "attempt" / attempt.name,
                                       limits, sandboxed)
    return run


def _supervise(spec: ChildSpec, launch: Launcher, results: Path, wall_s: float,
               token: str, watch_tests: bool = True,
               on_stage: StageHandler | None = None) -> ChildRun:
    """Launch, wait under the parent's own deadline, and leave nothing running."""
    started = time.perf_counter()
    with isolation.spawning():
        child = launch(spec)
        isolation.track(child.pid)
    exited = _ExitWatch(child)
    try:
        timed_out, overrun = _wait(exited, results, started + wall_s, token if watch_tests
                                   else None, _StageProgress(on_stage) if on_stage else None)
    finally:
        exited.close()
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


def benchmark_source(kata: Kata, source: bytes, limits: Limits,
                     launch: Launcher = cold_launch) -> dict | None:
    """`benchmark_file` for a source already read (the very one that was graded)."""
    if not benchmarkable(kata):
        return None
    with tempfile.TemporaryDirectory(prefix="kata-bench-") as tmp:
        tmp_path = Path(tmp)
        (tmp_path / "attempt").mkdir()
        (tmp_path / "work").mkdir()
        copy = tmp_path / "attempt" / kata.file
        copy.write_bytes(source)
        return _benchmark(kata, tmp_path, copy, limits, use_sandbox(limits), launch)


class BenchmarkAhead:
    """A cold check's timing against the reference, started with its grading rather
    than after it: for its first quarter second the grading child imports pytest and
    Hypothesis on one core, and this child times the attempt on the other.

    Its figures are kept only for an attempt that passes (`result`); otherwise `stop`
    ends it. They leave out the time spent waiting for a CPU (see benchmark.py), so the
    grading running beside them does not change them. The reference is still seen by
    this child alone, and its figures still cannot change a verdict.
    """

    def __init__(self, kata: Kata, source: bytes, limits: Limits) -> None:
        self._lock = threading.Lock()
        self._child: Child | None = None
        self._stopped = False
        self._result: dict | None = None
        self._thread = threading.Thread(target=self._run, args=(kata, source, limits),
                                        name="kata-benchmark", daemon=True)

    def launch_beside(self, spec: ChildSpec) -> Child:
        """A launcher for the grading child that starts this benchmark once that child
        runs: the grading child goes first, it is what the verdict waits for."""
        child = cold_launch(spec)
        if self._thread.ident is None:
            self._thread.start()
        return child

    def _launch(self, spec: ChildSpec) -> Child:
        with self._lock:
            if self._stopped:
                raise _Stopped
            self._child = cold_launch(spec)
            return self._child

    def _run(self, kata: Kata, source: bytes, limits: Limits) -> None:
        try:
            self._result = benchmark_source(kata, source, limits, self._launch)
        except _Stopped:
            pass
        except Exception:  # no figure; a benchmark never stands in a verdict's way
            self._result = None

    def result(self) -> dict | None:
        """The figures, once the child is done (None if it could not time the attempt)."""
        if self._thread.ident is None:
            self._thread.start()  # the grading child never started: time it now
        self._thread.join()
        return self._result

    def stop(self) -> None:
        """The attempt did not pass: end the child now, and keep no figures."""
        with self._lock:
            self._stopped = True
            if self._child is not None:
                isolation.kill_group(self._child.pid)
        if self._thread.ident is not None:
            self._thread.join()
        self._result = None


class _Stopped(Exception):
    """A benchmark stopped before its child was launched."""


def benchmarkable(kata: Kata) -> bool:
    """Whether a passing attempt of `kata` can be timed: it has a workload and a reference."""
    return (kata.dir / "bench.py").is_file() and kata.reference_path.is_file()


def _benchmark(kata: Kata, tmp: Path, copy: Path, limits: Limits, sandboxed: bool,
               launch: Launcher = cold_launch) -> dict | None:
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
    run = _supervise(spec, launch, results, BENCH_WALL_S, place.token, watch_tests=False)
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


class _ExitWatch:
    """Waits for a child to end. A cold child is watched through a pidfd, so the kernel
    wakes us the moment it ends; Popen.wait(timeout) would look again only after sleeps
    of up to 50 ms. A warm grader's child has a wait of its own."""

    def __init__(self, child: Child) -> None:
        self.child = child
        self._fd: int | None = None
        if hasattr(child, "poll") and hasattr(os, "pidfd_open"):  # a child of ours
            try:
                self._fd = os.pidfd_open(child.pid)
            except OSError:  # already reaped, or a kernel before 5.3
                self._fd = None

    def ended_within(self, seconds: float) -> bool:
        if self._fd is not None:
            select.select([self._fd], [], [], seconds)
            return self.child.poll() is not None
        try:
            self.child.wait(timeout=seconds)
            return True
        except subprocess.TimeoutExpired:
            return False

    def close(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None


def _wait(exited: _ExitWatch, results: Path, deadline: float, token: str | None,
          progress: _StageProgress | None = None) -> tuple[bool, str | None]:
    """Wait for the child; returns (hit the wall clock, id of an uninterruptible test).
    With a token, the records that carry it are watched for a test that overruns."""
    running: tuple[str, float, float] | None = None  # test id, seen at, its time limit
    offset = 0
    while True:
        if exited.ended_within(_POLL_S):
            return False, None
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
