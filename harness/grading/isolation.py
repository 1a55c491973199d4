"""Keeping a grading child contained: limits, and leaving nothing behind.

The child runs in its own session (so its process group is its pid), under
resource limits set between fork and exec, and dies with its parent. After a
check the whole group is killed; on Linux the parent is also a "child
subreaper", so that processes the attempt detached from the group (double
fork, setsid) are re-parented to us and killed too.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import signal
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

_IS_LINUX = sys.platform.startswith("linux")
_PR_SET_PDEATHSIG = 1
_PR_SET_CHILD_SUBREAPER = 36

# Grading children that are running now (several at once under `kata grade --jobs`).
_active: set[int] = set()
_active_lock = threading.Lock()
# Held while a child is started and tracked, and while orphans are swept: a sweep
# in one thread must never see another thread's child before it is tracked.
_spawn_lock = threading.RLock()
_subreaper = False


def _prctl(option: int, value: int) -> None:
    import ctypes

    ctypes.CDLL(None, use_errno=True).prctl(option, value, 0, 0, 0)


MAX_PROCESSES = 64  # processes (threads included) one check may have at once
_CGROUP_ROOT = Path("/sys/fs/cgroup")
_cgroup_count = itertools.count()


class ProcessCap:
    """A cap on the number of processes of one check, and on their memory together.

    The kernel enforces RLIMIT_NPROC per user, but never for root; so as root (CI, a
    container) each check gets its own cgroup (v1 `pids` and `memory` controllers, where
    they are writable), and otherwise RLIMIT_NPROC is set to the user's current count
    plus MAX_PROCESSES. `enter()` runs in the child between fork and exec.
    """

    def __init__(self, memory_mb: int | None) -> None:
        """`memory_mb` None: no memory limit yet (see `limit_memory`)."""
        self.groups: list[Path] = []
        self.nproc: int | None = None
        if not _IS_LINUX:
            return
        if os.geteuid() != 0:
            self.nproc = _processes_of(os.getuid()) + MAX_PROCESSES
            return
        name = f"kata-{os.getpid()}-{next(_cgroup_count)}"
        limits = {"pids": {"pids.max": str(MAX_PROCESSES)},
                  "memory": {} if memory_mb is None else self._memory_settings(memory_mb)}
        for controller, settings in limits.items():
            group = _CGROUP_ROOT / controller / name
            try:
                group.mkdir()
                for key, value in settings.items():
                    (group / key).write_text(value)
            except OSError:
                with contextlib.suppress(OSError):
                    group.rmdir()
                continue
            self.groups.append(group)

    @classmethod
    def of_groups(cls, groups: list[str]) -> ProcessCap:
        """The cap of cgroups another process made (see waiting_child.py)."""
        cap = cls.__new__(cls)
        cap.groups, cap.nproc = [Path(g) for g in groups], None
        return cap

    @staticmethod
    def _memory_settings(memory_mb: int) -> dict[str, str]:
        # the grading child and its two workers, each under RLIMIT_AS
        return {"memory.limit_in_bytes": str(3 * memory_mb * 1024 * 1024)}

    def limit_memory(self, memory_mb: int) -> bool:
        """Set the memory limit of a cap made without one; False if it could not be."""
        for group in self.groups:
            if group.parent.name == "memory":
                try:
                    for key, value in self._memory_settings(memory_mb).items():
                        (group / key).write_text(value)
                except OSError:
                    return False
        return True

    def enter(self) -> None:
        import resource

        if self.nproc is not None:
            resource.setrlimit(resource.RLIMIT_NPROC, (self.nproc, self.nproc))
        for group in self.groups:
            (group / "cgroup.procs").write_text(str(os.getpid()))

    def leave(self) -> None:
        """Move this process back to the top of each hierarchy, where the cap's cgroups
        were made, so that `close` can remove them while it still runs."""
        for group in self.groups:
            with contextlib.suppress(OSError):
                (group.parent / "cgroup.procs").write_text(str(os.getpid()))

    def close(self) -> None:
        """After every process of the check is gone (a killed one may take a moment to
        leave its cgroup, hence the few tries)."""
        for group in self.groups:
            for _ in range(50):
                try:
                    group.rmdir()
                    break
                except FileNotFoundError:
                    break
                except OSError:
                    time.sleep(0.01)
        self.groups = []


def remove_leftover_cgroups(stop: Callable[[], bool] = lambda: False) -> int:
    """Remove the empty cgroups of checks whose kata was killed (it removes its own
    otherwise): those named after a process that is gone. Returns how many; gives up
    as soon as `stop()` says so."""
    removed = 0
    for controller in ("pids", "memory"):
        try:
            names = os.listdir(_CGROUP_ROOT / controller)
        except OSError:
            continue
        for name in names:
            owner = name.split("-")
            if len(owner) != 3 or owner[0] != "kata" or not owner[1].isdigit():
                continue
            if os.path.exists(f"/proc/{owner[1]}"):
                continue  # its kata (or waiter) runs: the group may be about to be used
            if stop():
                return removed
            with contextlib.suppress(OSError):  # not empty: something still runs in it
                os.rmdir(_CGROUP_ROOT / controller / name)
                removed += 1
    return removed


def _processes_of(uid: int) -> int:
    count = 0
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            with contextlib.suppress(OSError):
                if os.stat(f"/proc/{entry}").st_uid == uid:
                    count += 1
    return count


def limit_child(memory_mb: int, output_mb: int, cap: ProcessCap | None = None,
                parent: int | None = None) -> None:
    """Runs in the child between fork and exec. `parent`: kata's pid, if the child is
    to start nothing once kata is gone."""
    import resource

    # First: joining the cgroups takes a while, and kata may be killed meanwhile. A
    # child that set this only after would outlive it, and run the attempt unwatched.
    die_with_parent()  # even when the parent is SIGKILLed
    if parent is not None and os.getppid() != parent:
        os._exit(1)  # kata is gone already
    if cap is not None:
        cap.enter()

    memory = memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    output = output_mb * 1024 * 1024  # no file the child writes may grow past this
    resource.setrlimit(resource.RLIMIT_FSIZE, (output, output))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def die_with_parent() -> None:
    """Have this process killed when its parent dies (Linux)."""
    if _IS_LINUX:
        _prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)


def become_subreaper() -> None:
    global _subreaper
    if _IS_LINUX and not _subreaper:
        _prctl(_PR_SET_CHILD_SUBREAPER, 1)
        _subreaper = True


def spawning() -> threading.RLock:
    """`with spawning(): start a child, then track(pid)`."""
    return _spawn_lock


def track(pid: int) -> None:
    with _active_lock:
        _active.add(pid)


def untrack(pid: int) -> None:
    with _active_lock:
        _active.discard(pid)


def kill_group(pgid: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(pgid, signal.SIGKILL)


def kill_orphans() -> int:
    """Kill and reap processes re-parented to us from a grading child's session. Linux only.

    Our own children in our own session (a warm grader's server, say) are left
    alone, and so are the grading children that are running now.
    """
    if not _subreaper:
        return 0
    me, my_session, killed = os.getpid(), os.getsid(0), 0
    with _spawn_lock:
        for _ in range(20):  # a killed orphan's own children are re-parented to us next
            with _active_lock:
                active = set(_active)
            orphans = [pid for pid, session in _children_of(me)
                       if pid not in active and session != my_session]
            if not orphans:
                break
            for pid in orphans:
                try:
                    os.kill(pid, signal.SIGKILL)
                    os.waitpid(pid, 0)
                    killed += 1
                except (ProcessLookupError, ChildProcessError, PermissionError):
                    pass
    return killed


def _children_of(parent: int) -> list[tuple[int, int]]:
    """(pid, session id) of every child of `parent`: from the kernel's list of each of
    its threads' children where it keeps one, else from every process in /proc."""
    listed = listed_children(parent)
    candidates = listed if listed is not None else [int(e) for e in os.listdir("/proc")
                                                    if e.isdigit()]
    children = []
    for entry in candidates:
        try:
            with open(f"/proc/{entry}/stat", "rb") as handle:
                stat = handle.read()
        except OSError:
            continue
        # The command name is in parentheses and may itself hold spaces or ')'.
        fields = stat[stat.rfind(b")") + 2:].split()  # state, ppid, pgrp, session, ...
        if len(fields) > 3 and int(fields[1]) == parent:
            children.append((entry, int(fields[3])))
    return children


def listed_children(parent: int) -> list[int] | None:
    """The children of `parent` as the kernel lists them for each of its threads
    (/proc/PID/task/TID/children: an orphan is re-parented to one of a subreaper's
    threads); None if `parent` is gone or the kernel keeps no such list."""
    try:
        tasks = os.listdir(f"/proc/{parent}/task")
    except OSError:
        return None
    found: list[int] = []
    read_any = False
    for task in tasks:
        try:
            with open(f"/proc/{parent}/task/{task}/children", "rb") as handle:
                found += map(int, handle.read().split())
            read_any = True
        except (OSError, ValueError):
            continue  # that thread ended meanwhile
    return found if read_any else None
