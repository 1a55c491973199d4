"""The warm grader: a long-lived server that forks a pre-loaded child per check.

Used by `kata watch`: each check is as isolated as a cold one (same child
set-up, limits and report), but pays no interpreter start-up or import cost.
"""

from __future__ import annotations

import json
import os
import select
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from harness import paths
from harness.catalog import Kata
from harness.grading.results import CheckReport
from harness.grading.runner import Limits, check_attempt


class WarmGraderError(RuntimeError):
    pass


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
    def __init__(self) -> None:
        self._home = tempfile.TemporaryDirectory(prefix="kata-warm-")
        env = {**os.environ, "PYTHONHASHSEED": "0", "PYTHONDONTWRITEBYTECODE": "1",
               "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1",
               "HYPOTHESIS_STORAGE_DIRECTORY": str(paths.hypothesis_cache())}
        # harness must be importable by the server even from a source checkout.
        env["PYTHONPATH"] = str(Path(__file__).resolve().parent.parent.parent)
        self._proc = subprocess.Popen(
            [sys.executable, "-m", "harness.grading.warm_server"], cwd=self._home.name,
            env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE, bufsize=0)
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

    def _launch(self, args: list[str], env: dict, cwd: Path, stdout: Path, stderr: Path,
                limits: Limits) -> _ForkedChild:
        request = {"args": args, "env": env, "cwd": str(cwd), "stdout": str(stdout),
                   "stderr": str(stderr), "memory_mb": limits.memory_mb,
                   "output_mb": limits.output_mb}
        self._proc.stdin.write((json.dumps(request) + "\n").encode())
        return _ForkedChild(self, self.read_reply(30)["pid"])

    def check(self, kata: Kata, attempt: Path, limits: Limits | None = None) -> CheckReport:
        return check_attempt(kata, attempt, limits or Limits(), self._launch)

    def close(self) -> None:
        if self._proc.poll() is None:
            self._proc.kill()
            self._proc.wait()
        self._home.cleanup()

    def __enter__(self) -> WarmGrader:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
