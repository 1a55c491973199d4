"""The waiter that `kata check` starts ahead of its grading child (waiting_child.py)."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from harness.grading import waiting_child

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux") or os.geteuid() != 0,
    reason="a waiter is started only where kata uses cgroups (Linux, as root)")

REPORT = textwrap.dedent("""
    import json, os, resource, sys
    print(json.dumps({
        "session_leader": os.getsid(0) == os.getpid(),
        "cgroups": open("/proc/self/cgroup").read(),
        "memory": resource.getrlimit(resource.RLIMIT_AS)[0],
        "output": resource.getrlimit(resource.RLIMIT_FSIZE)[0],
        "cwd": os.getcwd(),
        "stdin": sys.stdin.read(),
        "env": os.environ.get("ONLY_THIS"),
        "fds": sorted(int(fd) for fd in os.listdir("/proc/self/fd")),
    }))
    print("to stderr", file=sys.stderr)
    sys.exit(3)
""")


def _waiter() -> waiting_child.WaitingChild:
    waiting_child.start()
    waiter = waiting_child.take()
    assert waiter is not None
    assert waiting_child.take() is None, "a waiter serves one launch"
    return waiter


def _groups_of(pid: int) -> list[str]:
    """The kata cgroups a process is in, as /proc/PID/cgroup names them."""
    lines = Path(f"/proc/{pid}/cgroup").read_text().splitlines()
    return [line for line in lines if "/kata-" in line]


def test_the_waiter_becomes_the_child_under_its_limits(tmp_path):
    waiter = _waiter()
    (tmp_path / "work").mkdir()
    child = waiter.launch([sys.executable, "-c", REPORT], {"ONLY_THIS": "yes"},
                          tmp_path / "work", tmp_path / "out", tmp_path / "err",
                          memory_mb=900, output_mb=7)
    assert child is not None
    assert child.pid == waiter.pid
    assert child.wait(timeout=60) == 3
    facts = json.loads((tmp_path / "out").read_text())
    assert (tmp_path / "err").read_text() == "to stderr\n"
    assert facts["session_leader"]
    assert facts["memory"] == 900 * 1024 * 1024
    assert facts["output"] == 7 * 1024 * 1024
    assert facts["cwd"] == str(tmp_path / "work")
    assert facts["stdin"] == ""
    assert facts["env"] == "yes"
    assert facts["fds"] == [0, 1, 2, 3]  # 3: the listing itself
    groups = child.process_cap.groups
    assert {g.parent.name for g in groups} == {"pids", "memory"}
    for group in groups:
        assert f"{group.parent.name}:/{group.name}\n" in facts["cgroups"]
    memory = next(g for g in groups if g.parent.name == "memory")
    assert (memory / "memory.limit_in_bytes").read_text().strip() == str(3 * 900 * 1024 * 1024)
    child.process_cap.close()
    assert not any(g.exists() for g in groups)


def test_an_unused_waiter_leaves_and_removes_its_cgroups():
    """As when kata exits before it grades anything: the orders pipe closes."""
    waiter = _waiter()
    deadline = time.monotonic() + 30
    while not _groups_of(waiter.pid) and time.monotonic() < deadline:
        time.sleep(0.01)
    names = [line.rsplit("/", 1)[1] for line in _groups_of(waiter.pid)]
    assert names, "the waiter joins cgroups of its own while it waits"
    os.close(waiter._control)
    _, status = os.waitpid(waiter.pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0
    os.close(waiter._status)
    for controller in ("pids", "memory"):
        for name in names:
            assert not Path("/sys/fs/cgroup", controller, name).exists()


def test_a_waiter_that_is_gone_leaves_the_launch_to_popen(tmp_path):
    waiter = _waiter()
    os.kill(waiter.pid, signal.SIGKILL)
    assert waiter.launch([sys.executable, "-c", "pass"], {}, tmp_path, tmp_path / "out",
                         tmp_path / "err", memory_mb=500, output_mb=1) is None
    with pytest.raises(ChildProcessError):
        os.waitpid(waiter.pid, os.WNOHANG)  # reaped


def test_a_command_that_cannot_start_leaves_nothing_behind(tmp_path):
    waiter = _waiter()
    assert waiter.launch([str(tmp_path / "no-such-program")], {}, tmp_path,
                         tmp_path / "out", tmp_path / "err", memory_mb=500,
                         output_mb=1) is None
    with pytest.raises(ChildProcessError):
        os.waitpid(waiter.pid, os.WNOHANG)  # reaped: it exited after cleaning up
    leftovers = [p for p in Path("/sys/fs/cgroup/pids").glob(f"kata-{waiter.pid}-*")]
    assert leftovers == []


def test_cgroups_left_by_a_killed_kata_are_removed():
    """A kata killed mid-check cannot remove its cgroups; the next waiter does, and
    never one whose owner still runs."""
    from harness.grading import isolation

    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True)
    dead_pid = int(gone.stdout)
    left = [Path("/sys/fs/cgroup", c, f"kata-{dead_pid}-0") for c in ("pids", "memory")]
    live = [Path("/sys/fs/cgroup", c, f"kata-{os.getpid()}-999") for c in ("pids", "memory")]
    try:
        for group in [*left, *live]:
            group.mkdir()
        assert isolation.remove_leftover_cgroups(lambda: True) == 0, "told to stop at once"
        assert all(g.exists() for g in left)
        assert isolation.remove_leftover_cgroups() >= 2
        assert not any(g.exists() for g in left)
        assert all(g.exists() for g in live)
    finally:
        for group in [*left, *live]:
            with contextlib.suppress(OSError):
                group.rmdir()
