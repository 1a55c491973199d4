"""A cold check's grading child, started before kata knows what it will run.

As root, every check's processes go into cgroups of their own (isolation.ProcessCap),
and moving a process into a cgroup makes the kernel wait for an RCU grace period:
5 to 13 ms per controller here, twice, between the fork and the exec of the grading
child, while nothing else can go on. So `kata check` starts a waiter first thing,
before click is imported: a small interpreter that joins cgroups of its own while kata
imports the rest and reads the attempt. The first cold launch hands it the command
(`launch`), and it execs it under the same session, limits and files as a child that
subprocess.Popen and isolation.limit_child would have started.

Unused (a usage error, say), it sees its orders pipe close when kata exits, leaves
and removes its cgroups, and exits. Without cgroups to join (not root) there is
nothing to win, and none is started. Any trouble with it, and the launch is a plain one.
"""

from __future__ import annotations

import contextlib
import json
import os
import select
import signal
import sys
import time
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from harness.grading.isolation import ProcessCap

_waiting: WaitingChild | None = None


def start() -> None:
    """Start the waiter, where it can help."""
    global _waiting
    if not sys.platform.startswith("linux") or os.geteuid() != 0 or _waiting is not None:
        return
    control_read, control_write = os.pipe()
    status_read, status_write = os.pipe()
    os.set_inheritable(control_read, True)
    os.set_inheritable(status_write, True)
    harness_root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    null = [(os.POSIX_SPAWN_OPEN, fd, os.devnull, os.O_RDWR, 0) for fd in (0, 1, 2)]
    try:
        # A new interpreter, not a fork: a fork would share kata's memory until its exec,
        # and kata would pay a copy-on-write fault for each page it writes meanwhile.
        pid = os.posix_spawn(sys.executable, [
            sys.executable, "-S", "-I", "-c", _WAITER, harness_root, str(os.getpid()),
            str(control_read), str(status_write)], os.environ, file_actions=null)
    except OSError:
        os.close(control_write)
        os.close(status_read)
        return
    finally:
        os.close(control_read)
        os.close(status_write)
    _waiting = WaitingChild(pid, control_write, status_read)


_WAITER = ("import sys; sys.path.insert(0, sys.argv[1]); "
           "from harness.grading.waiting_child import serve; "
           "sys.exit(serve(*map(int, sys.argv[2:])))")


def take() -> WaitingChild | None:
    """The waiter started for this command, once: the first cold launch takes it."""
    global _waiting
    found, _waiting = _waiting, None
    return found


class WaitingChild:
    """The parent's side of a waiter."""

    def __init__(self, pid: int, control: int, status: int) -> None:
        self.pid = pid
        self._control = control
        self._status = status

    def launch(self, argv: list[str], env: dict[str, str], cwd: os.PathLike | str,
               stdout: os.PathLike | str, stderr: os.PathLike | str, memory_mb: int,
               output_mb: int) -> StartedChild | None:
        """Have the waiter exec the grading child: it is the returned child from then on.
        None if the waiter could not (it is gone then, and its cgroups with it)."""
        # Imported here, not above: this module is imported before click, and kept light.
        from harness.grading import isolation

        orders = {"argv": argv, "env": env, "cwd": os.fspath(cwd),
                  "stdout": os.fspath(stdout), "stderr": os.fspath(stderr),
                  "memory_mb": memory_mb, "output_mb": output_mb}
        data = memoryview(json.dumps(orders).encode())
        with contextlib.suppress(OSError):  # the waiter is gone: its status says so below
            while data:
                data = data[os.write(self._control, data):]
        os.close(self._control)
        status = b""
        while chunk := os.read(self._status, 65536):  # until exec closes it, or an exit
            status += chunk
        os.close(self._status)
        groups, _, outcome = status.partition(b"\n")
        if outcome != b"R":  # gone, or the exec failed: the launch is a plain one
            _reap(self.pid)
            return None
        cap = isolation.ProcessCap.of_groups(json.loads(groups))
        return StartedChild(self.pid, cap)


class StartedChild:
    """A grading child that a waiter became: what runner needs of a Popen."""

    def __init__(self, pid: int, cap: ProcessCap) -> None:
        self.pid = pid
        self.returncode: int | None = None
        self.process_cap = cap

    def poll(self) -> int | None:
        if self.returncode is None:
            self._reap(os.WNOHANG)
        return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        if timeout is None:
            while self.returncode is None:
                self._reap(0)
            return self.returncode
        deadline = time.monotonic() + timeout
        while self.poll() is None:
            left = deadline - time.monotonic()
            if left <= 0:
                import subprocess

                raise subprocess.TimeoutExpired(str(self.pid), timeout)
            time.sleep(min(left, 0.005))
        return self.returncode  # type: ignore[return-value]

    def _reap(self, options: int) -> None:
        try:
            pid, status = os.waitpid(self.pid, options)
        except ChildProcessError:  # reaped elsewhere: nothing more to know of it
            self.returncode = -signal.SIGKILL
            return
        if pid:
            self.returncode = os.waitstatus_to_exitcode(status)


def _reap(pid: int) -> None:
    with contextlib.suppress(ChildProcessError):
        os.waitpid(pid, 0)


# -- the waiter's side -----------------------------------------------------------------

def serve(parent: int, control: int, status: int) -> int:
    """The waiter's program (see _WAITER)."""
    # Ctrl-C is kata's to handle: the waiter goes when kata does (its pipe closes).
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _keep_only_fds(control, status)
    os.set_inheritable(status, False)  # its end tells kata that the exec happened
    if os.getppid() != parent:
        return 0
    from harness.grading import isolation

    cap = isolation.ProcessCap(None)
    orders = None
    try:
        cap.enter()  # the slow part
        os.write(status, json.dumps([str(g) for g in cap.groups]).encode() + b"\n")
        # While kata is busy: those of killed katas, up to the moment the orders come.
        isolation.remove_leftover_cgroups(lambda: bool(select.select([control], [], [], 0)[0]))
        chunks = []
        while chunk := os.read(control, 65536):
            chunks.append(chunk)
        if chunks and os.getppid() == parent:
            orders = json.loads(b"".join(chunks))
            if not cap.limit_memory(orders["memory_mb"]):
                orders = None
    finally:
        if orders is None:
            cap.leave()
            cap.close()
    if orders is None:
        return 0
    os.close(control)
    os.write(status, b"R")
    try:
        _become_the_child(orders, parent)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.write(status, b"E" + f"{type(exc).__name__}: {exc}".encode()[:1000])
        cap.leave()
        cap.close()
    return 127


def _keep_only_fds(*keep: int) -> None:
    """Hold none of kata's files (a pipe on its stdout would not see its end otherwise)."""
    null = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(null, fd)
    lowest = 3
    for fd in sorted({*keep, null}):
        os.closerange(lowest, fd)
        lowest = fd + 1
    os.closerange(lowest, os.sysconf("SC_OPEN_MAX"))
    os.close(null)


def _become_the_child(orders: dict, parent: int) -> None:
    from harness.grading import isolation

    os.setsid()
    isolation.limit_child(orders["memory_mb"], orders["output_mb"])  # dies with kata too
    if os.getppid() != parent:  # kata ended before that
        raise RuntimeError("kata has ended")
    streams = [os.open(os.devnull, os.O_RDONLY),
               os.open(orders["stdout"], os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o666),
               os.open(orders["stderr"], os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o666)]
    for target, fd in enumerate(streams):
        os.dup2(fd, target)
        os.close(fd)
    os.chdir(orders["cwd"])
    for sig in (signal.SIGINT, signal.SIGPIPE, signal.SIGXFSZ):
        signal.signal(sig, signal.SIG_DFL)
    os.execvpe(orders["argv"][0], orders["argv"], orders["env"])
