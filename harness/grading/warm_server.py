"""The warm grader's server: `python -m harness.grading.warm_server`.

It imports the grading stack once (pytest, its plugins, Hypothesis, the
grading plugin) and warms Hypothesis up, then serves one check per request
line on stdin with a forked child that runs pytest exactly as a cold check's
child would: own session, same resource limits, fresh working directory,
closed stdin, output to files. The hidden suite and the attempt are only ever
imported in the child, so every check sees the file as saved.

After each check, once nothing of it is left, the server forks a spare for
the next one: it starts pytest and collects the suite against stand-ins for
the attempt's names (`plugin.StandIns`), then waits. A check that fits it
only loads its attempt and runs the tests; the suite's import and collection
(most of a failing check's time) are already done.

Protocol, one JSON object per line:
    request  {"args": [...pytest args], "env": {...}, "cwd": ..., "stdout": ..., "stderr": ...,
              "memory_mb": N, "output_mb": N, "spare_folder": F}   (F: where a spare's
              output files wait, on the same file system as the checks' folders)
    replies  {"pid": P, "prepared": B}         as soon as the child is forked (B: a spare)
             {"pid": P, "status": S}           when it has ended (os.waitpid status)
"""

from __future__ import annotations

import contextlib
import json
import os
import select
import shutil
import signal
import sys
import tempfile
import warnings

from harness.grading import protocol


def _preload() -> None:
    import asyncio  # noqa: F401 - imported for the children
    import fractions  # noqa: F401

    import _hypothesis_pytestplugin  # noqa: F401
    import pytest  # noqa: F401
    import pytest_asyncio.plugin  # noqa: F401
    import pytest_timeout  # noqa: F401
    from hypothesis import given, settings
    from hypothesis import strategies as st

    import harness.grading.plugin  # noqa: F401 - registers the grading profile

    # Hypothesis imports and builds much of its engine on the first run. (It warns
    # about work done while plugins load; here that work is the point.)
    warnings.simplefilter("ignore")

    @settings(max_examples=5, database=None, derandomize=True)
    @given(st.recursive(st.integers(), lambda c: st.dictionaries(st.text(), c), max_leaves=4))
    def warm_up(value: object) -> None:
        pass

    warm_up()
    warnings.resetwarnings()


def _become_check_child(memory_mb: int, output_mb: int) -> None:
    """In a forked child: what a cold check's child is from its start (own session,
    resource limits, no terminal input)."""
    from harness.grading import isolation

    signal.signal(signal.SIGINT, signal.default_int_handler)
    os.setsid()
    isolation.limit_child(memory_mb, output_mb)
    stdin = os.open(os.devnull, os.O_RDONLY)
    os.dup2(stdin, 0)


def _redirect(stdout: str, stderr: str) -> None:
    for path, target in ((stdout, 1), (stderr, 2)):
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        os.dup2(fd, target)
        os.close(fd)


def _enter(request: dict) -> None:
    os.makedirs(request["cwd"], exist_ok=True)
    os.chdir(request["cwd"])
    os.environ.clear()
    os.environ.update(request["env"])


def _serve_child(request: dict) -> None:
    """In the forked child: become a cold check's child, then run pytest."""
    try:
        _become_check_child(request["memory_mb"], request["output_mb"])
        _redirect(request["stdout"], request["stderr"])
        _enter(request)
        import pytest

        pytest.main(request["args"])
    finally:
        os._exit(0)  # the plugin normally leaves first, with its own os._exit


READY_WAIT_S = 20.0
# What differs from one check to the next; everything else a spare prepared must match.
_PER_CHECK = (protocol.RESULTS, protocol.ATTEMPT, protocol.TOKEN, protocol.GUARDED,
              protocol.DURATIONS, protocol.STAGE_BY_STAGE)


def _constant_env(request: dict) -> dict[str, str]:
    """The request's environment without what differs from one check to the next."""
    return {k: v for k, v in request["env"].items() if k not in _PER_CHECK}


def _fits(request: dict) -> str:
    """What a spare prepared for `request` can serve: every request that gives this."""
    return json.dumps([request["args"], _constant_env(request), request["memory_mb"],
                       request["output_mb"]], sort_keys=True)


class _SpareLink:
    """The spare's end: says when the suite is collected, then takes the check."""

    def __init__(self, ready_fd: int, request_fd: int, stdout: str, stderr: str) -> None:
        self.ready_fd, self.request_fd = ready_fd, request_fd
        self.stdout, self.stderr = stdout, stderr

    def ready(self, usable: bool) -> None:
        os.write(self.ready_fd, b"1" if usable else b"0")
        os.close(self.ready_fd)

    def wait(self) -> None:
        data = b""
        while not data.endswith(b"\n"):
            chunk = os.read(self.request_fd, 1 << 16)
            if not chunk:
                os._exit(0)  # the server dropped this spare
            data += chunk
        os.close(self.request_fd)
        request = json.loads(data)
        # The output files pytest and the fault handler already hold become the check's.
        os.rename(self.stdout, request["stdout"])
        os.rename(self.stderr, request["stderr"])
        _enter(request)


class Spare:
    """A child forked ahead of the next check: it has started pytest and collected the
    suite against stand-ins for the attempt (plugin.StandIns), and waits for the check.
    Used only for a check that fits what it prepared, and only once it says the suite
    allowed it; otherwise the check gets a fresh child, as without spares."""

    def __init__(self, request: dict, fits: str, folder: str, number: int) -> None:
        self.fits = fits
        # A folder of its own, new: whatever an earlier attempt left in the shared folder
        # (a link, a pipe where these files go) is never opened.
        own = self.folder = tempfile.mkdtemp(prefix=f"spare-{number}-", dir=folder)
        stdout, stderr = os.path.join(own, "out"), os.path.join(own, "err")
        ready_r, ready_w = os.pipe()
        request_r, request_w = os.pipe()
        self.pid = os.fork()
        if self.pid == 0:
            try:
                os.close(ready_r)
                os.close(request_w)
                _become_check_child(request["memory_mb"], request["output_mb"])
                _redirect(stdout, stderr)
                _enter({**request, "cwd": own, "env": _constant_env(request)})
                import pytest

                from harness.grading import plugin

                plugin.SPARE = _SpareLink(ready_w, request_r, stdout, stderr)
                pytest.main(request["args"])
            finally:
                os._exit(0)
        os.close(ready_w)
        os.close(request_r)
        self._ready, self._request = ready_r, request_w

    def take(self, fits: str, line: bytes) -> bool:
        """Hand the check (`line`, whose `_fits` is `fits`) over, once the suite is
        collected; False if it cannot be."""
        if fits != self.fits:
            return False
        # Waits while the suite is collected (a suite that hangs there is not collected
        # ahead: the check's own child then meets the parent's deadline as usual).
        ready, _, _ = select.select([self._ready], [], [], READY_WAIT_S)
        usable = bool(ready) and os.read(self._ready, 1) == b"1"
        if usable:
            os.write(self._request, line)
        return usable

    def drop(self) -> None:
        from harness.grading import isolation

        # The spare itself by its pid: just forked, it may not have its own process group
        # yet, and a group kill would miss it (then wait for the check forever). Its pipes
        # close first, so that whatever it reaches ends there.
        self.close()
        with contextlib.suppress(ProcessLookupError):
            os.kill(self.pid, signal.SIGKILL)
        isolation.kill_group(self.pid)
        os.waitpid(self.pid, 0)
        shutil.rmtree(self.folder, ignore_errors=True)

    def close(self) -> None:
        for fd in (self._ready, self._request):
            with contextlib.suppress(OSError):
                os.close(fd)


def _reply(message: dict) -> None:
    sys.stdout.write(json.dumps(message) + "\n")
    sys.stdout.flush()


def main() -> None:
    from harness.grading import isolation

    isolation.die_with_parent()
    isolation.become_subreaper()
    # Ctrl-C in the terminal is for `kata watch`, which then ends this server.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGPIPE, signal.SIG_IGN)
    _preload()
    _reply({"ready": True})
    spare: Spare | None = None
    cannot_spare: set[str] = set()  # suites that a spare found use the attempt at import
    for number, line in enumerate(sys.stdin.buffer):
        request = json.loads(line)
        fits = _fits(request)
        prepared = spare is not None and spare.take(fits, line)
        used = spare if prepared else None
        if prepared:
            pid = spare.pid
            spare.close()
        else:
            if spare is not None:
                if fits == spare.fits:
                    cannot_spare.add(fits)
                spare.drop()
            pid = os.fork()
            if pid == 0:
                _serve_child(request)
        spare = None
        _reply({"pid": pid, "prepared": prepared})
        _, status = os.waitpid(pid, 0)
        # As after a cold check: nothing the attempt started survives.
        isolation.kill_group(pid)
        isolation.kill_orphans()
        if used is not None:
            shutil.rmtree(used.folder, ignore_errors=True)  # its output files moved out
        _reply({"pid": pid, "status": status})
        # Only now, with nothing of that attempt left, the next check's child starts.
        if request.get("spare_folder") and fits not in cannot_spare:
            spare = Spare(request, fits, request["spare_folder"], number)
    if spare is not None:
        spare.drop()


if __name__ == "__main__":
    main()
