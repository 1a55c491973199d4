"""The warm grader: a long-lived server that forks a pre-loaded child per check.

Used by `kata watch`, `kata validate` and mutation testing (through `WarmGraderPool`):
each check has the same child
set-up, limits and report as a cold one, but pays no interpreter start-up or
import cost. Sandboxed, the server itself runs inside bubblewrap for one kata:
it sees that kata's suite and an exchange folder through which each check's
private attempt copy and results pass, and nothing else of the machine. (The
checks of one watch session share that sandbox: they are one candidate's.)
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import os
import queue
import select
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from harness import paths
from harness.catalog import Kata
from harness.grading import isolation, runner, sandbox
from harness.grading.results import CheckReport
from harness.grading.runner import ChildSpec, Limits, StageHandler, check_attempt

EXCHANGE = Path("/exchange")  # inside the server's sandbox
CLOSE_WAIT_S = 5.0  # for the processes of a closed server to be gone


class WarmGraderError(RuntimeError):
    pass


def _host_pid(bwrap_pid: int, inner_pid: int) -> int:
    """The pid outside of the process that is `inner_pid` inside bwrap's PID namespace."""
    found = _host_pid_among(_descendants(bwrap_pid), inner_pid)
    if found is None:  # a kernel without /proc/PID/task/TID/children: look at them all
        found = _host_pid_among((int(e) for e in os.listdir("/proc") if e.isdigit()),
                                inner_pid, bwrap_pid)
    if found is None:
        raise WarmGraderError(f"the grading child {inner_pid} is not to be found")
    return found


def _host_pid_among(pids, inner_pid: int, ancestor: int | None = None) -> int | None:
    for pid in pids:
        try:
            status = Path(f"/proc/{pid}/status").read_text()
        except OSError:
            continue
        for line in status.splitlines():
            if line.startswith("NSpid:"):
                ids = [int(x) for x in line.split()[1:]]
                if (len(ids) > 1 and ids[-1] == inner_pid
                        and (ancestor is None or ancestor in _ancestors(pid))):
                    return pid
    return None


def _descendants(pid: int) -> list[int]:
    """The processes below `pid`, nearest first, as the kernel lists each one's children."""
    found, queue = [], [pid]
    while queue:
        children = isolation.listed_children(queue.pop(0)) or []
        found += children
        queue += children
    return found


def _running(pid: int) -> bool:
    """Whether `pid` is a process that has not ended (a zombie has)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_bytes()
    except OSError:
        return False
    return stat[stat.rfind(b")") + 2:][:1] not in (b"Z", b"X")


def _ancestors(pid: int) -> list[int]:
    found = []
    while pid > 1:
        try:
            stat = Path(f"/proc/{pid}/stat").read_bytes()
        except OSError:
            break
        pid = int(stat[stat.rfind(b")") + 2:].split()[1])
        found.append(pid)
    return found


class _ForkedChild:
    """A child forked by the server, seen through the server's replies."""

    def __init__(self, server: WarmGrader, pid: int) -> None:
        self.server = server
        self.pid = pid
        self.returncode: int | None = None

    def wait(self, timeout: float | None = None) -> int:
        if self.returncode is None:
            status = self.server.read_reply(timeout)["status"]
            self.returncode = os.waitstatus_to_exitcode(status)
        return self.returncode


class WarmGrader:
    def __init__(self, kata: Kata, sandboxed: bool = True) -> None:
        self.kata = kata
        self.sandboxed = sandboxed and sandbox.available().ok
        self._home = tempfile.TemporaryDirectory(prefix="kata-warm-")
        home = Path(self._home.name)
        self._checks = 0
        self.prepared_checks = 0  # checks whose child had the suite collected ahead
        env = runner._common_env(self.sandboxed)
        argv = [sys.executable, "-m", "harness.grading.warm_server"]
        if self.sandboxed:
            runner.prepare_caches()
            binds = [("ro", kata.suite_dir, sandbox.KATA_ROOT / kata.slug / "suite"),
                     ("rw", home, EXCHANGE),
                     ("ro", paths.hypothesis_cache(), sandbox.HYPOTHESIS_DIR)]
            # Its checks (watch, validate, mutants) write under the default limits.
            argv = sandbox.command(sandbox.available().bwrap, binds, env, argv,
                                   runner.secret_paths(), Limits().output_mb)
            env = {"PATH": os.environ.get("PATH", sandbox.PATH), "LANG": "C.UTF-8"}
        self._proc = subprocess.Popen(
            argv, cwd=home, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, bufsize=0,
            preexec_fn=isolation.die_with_parent)
        self._buffer = b""
        if not self.read_reply(60).get("ready"):
            raise WarmGraderError("the warm grader did not start")

    def read_reply(self, timeout: float | None) -> dict:
        deadline = None if timeout is None else time.monotonic() + timeout
        while b"\n" not in self._buffer:
            left = None if deadline is None else max(0.0, deadline - time.monotonic())
            ready, _, _ = select.select([self._proc.stdout], [], [], left)
            if not ready:
                raise subprocess.TimeoutExpired("warm grader", timeout or 0)
            chunk = os.read(self._proc.stdout.fileno(), 65536)
            if not chunk:
                raise WarmGraderError("the warm grader stopped")
            self._buffer += chunk
        line, _, self._buffer = self._buffer.partition(b"\n")
        return json.loads(line)

    def _inside(self, path: Path) -> str:
        """Where the sandboxed server sees a file of this check's folder."""
        return str(EXCHANGE / path.relative_to(self._home.name)) if self.sandboxed else str(path)

    def _launch(self, spec: ChildSpec) -> _ForkedChild:
        request = {"args": spec.argv[3:], "env": spec.env, "cwd": str(spec.cwd),
                   "stdout": self._inside(spec.stdout), "stderr": self._inside(spec.stderr),
                   "memory_mb": spec.limits.memory_mb, "output_mb": spec.limits.output_mb,
                   # Where the server keeps a spare's files: beside the checks' own, so
                   # that they can be renamed into a check's folder.
                   "spare_folder": str(EXCHANGE) if self.sandboxed else self._home.name}
        if self.sandboxed:
            request["cwd"] = f"/tmp/check-{self._checks}"
        self._proc.stdin.write((json.dumps(request) + "\n").encode())
        reply = self.read_reply(30)
        inner = reply["pid"]
        self.prepared_checks += bool(reply.get("prepared"))
        # Sandboxed, the server names the child by its pid inside the sandbox; the parent
        # signals it (its deadline, its clean-up) by the pid the machine knows it by.
        return _ForkedChild(self, _host_pid(self._proc.pid, inner) if self.sandboxed else inner)

    def check(self, kata: Kata, attempt: Path, limits: Limits | None = None,
              on_stage: StageHandler | None = None) -> CheckReport:
        self._checks += 1
        limits = limits or Limits()
        if limits.sandbox != self.sandboxed:
            limits = dataclasses.replace(limits, sandbox=self.sandboxed)
        return check_attempt(kata, attempt, limits, self._launch, folder=Path(self._home.name),
                             inside=EXCHANGE if self.sandboxed else None, on_stage=on_stage)

    def close(self) -> None:
        # Everything below the server too, and only then its folder: a spare dies with the
        # server, but a moment later, and could still be writing into the folder.
        below = _descendants(self._proc.pid)
        if self._proc.poll() is None:
            self._proc.kill()
        for pid in below:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.kill(pid, signal.SIGKILL)
        self._proc.wait()
        deadline = time.monotonic() + CLOSE_WAIT_S
        while any(_running(pid) for pid in below) and time.monotonic() < deadline:
            time.sleep(0.01)
        self._home.cleanup()

    def __enter__(self) -> WarmGrader:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class WarmGraderPool:
    """`size` warm graders for one kata, shared by threads: each check takes one that is
    free. A grader whose server died (an attempt took it down, or it was killed from
    outside) is replaced, and the check is graded again on the new one."""

    def __init__(self, kata: Kata, size: int = 1, sandboxed: bool = True) -> None:
        self.kata, self.sandboxed = kata, sandboxed
        self._free: queue.Queue[WarmGrader] = queue.Queue()
        try:
            for _ in range(max(1, size)):
                self._free.put(WarmGrader(kata, sandboxed))
        except BaseException:
            self.close()
            raise

    def check(self, kata: Kata, attempt: Path, limits: Limits | None = None,
              on_stage: StageHandler | None = None) -> CheckReport:
        grader = self._free.get()
        try:
            return grader.check(kata, attempt, limits, on_stage)
        except WarmGraderError:
            grader.close()
            grader = WarmGrader(self.kata, self.sandboxed)
            return grader.check(kata, attempt, limits, on_stage)
        finally:
            self._free.put(grader)

    def close(self) -> None:
        while not self._free.empty():
            self._free.get().close()

    def __enter__(self) -> WarmGraderPool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
