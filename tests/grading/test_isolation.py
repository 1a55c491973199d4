"""Containment between fork and exec: a child never outlives a killed kata."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"),
                                reason="parent-death signals are Linux's")

# Starts a child the way cold_launch does, with a cap that is joined only once kata has
# been killed (joining cgroups, as root, takes a while: kata may die meanwhile).
LAUNCHER = textwrap.dedent("""
    import os, subprocess, sys, time
    from harness.grading import isolation

    joining, program = sys.argv[1], sys.argv[2:]
    me = os.getpid()

    class SlowCap:
        def enter(self):
            with open(joining, "w") as handle:
                handle.write(str(os.getpid()))
            deadline = time.monotonic() + 30
            while os.getppid() == me and time.monotonic() < deadline:
                time.sleep(0.001)

    subprocess.Popen(program, start_new_session=True,
                     preexec_fn=lambda: isolation.limit_child(500, 10, SlowCap(), me))
    time.sleep(60)
""")


def test_a_child_being_limited_when_kata_is_killed_starts_nothing(tmp_path, alive):
    joining, ran = tmp_path / "joining", tmp_path / "ran"
    program = [sys.executable, "-c", f"open({str(ran)!r}, 'w').close()"]
    launcher = subprocess.Popen([sys.executable, "-c", LAUNCHER, str(joining), *program])
    deadline = time.monotonic() + 60
    while not (joining.exists() and joining.read_text()) and time.monotonic() < deadline:
        time.sleep(0.01)
    child = int(joining.read_text())
    launcher.kill()  # while the child is still between fork and exec
    launcher.wait()
    # It dies with kata; one that survived would go on to run the program.
    deadline = time.monotonic() + 30
    while alive(child) and not ran.exists() and time.monotonic() < deadline:
        time.sleep(0.01)
    assert not ran.exists(), "the child outlived kata and ran the program"
    assert not alive(child)


@pytest.mark.skipif(not sys.platform.startswith("linux") or os.geteuid() != 0,
                    reason="cgroups are made for a check only as root")
def test_a_launch_that_fails_leaves_no_cgroup(tmp_path):
    from harness import catalog
    from harness.grading import runner

    kata = next(k for k in catalog.all_katas() if k.slug == "flatten")
    spec, _, _ = runner._grading_spec(kata, "flatten.py", b"", tmp_path, runner.Limits(),
                                       False)
    spec.argv = [str(tmp_path / "no-such-program")]
    mine = f"kata-{os.getpid()}-"
    before = {p.name for p in Path("/sys/fs/cgroup/pids").glob(mine + "*")}
    with pytest.raises(FileNotFoundError):
        runner.cold_launch(spec)
    assert {p.name for p in Path("/sys/fs/cgroup/pids").glob(mine + "*")} == before
