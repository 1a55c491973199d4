"""The warm grader's server: `python -m harness.grading.warm_server`.

It imports the grading stack once (pytest, its plugins, Hypothesis, the
grading plugin) and warms Hypothesis up, then serves one check per request
line on stdin by forking a fresh child that runs pytest exactly as a cold
check's child would: own session, same resource limits, fresh working
directory, closed stdin, output to files. The hidden suite and the attempt
are only ever imported in the child, so every check sees the file as saved.

Protocol, one JSON object per line:
    request  {"args": [...pytest args], "env": {...}, "cwd": ..., "stdout": ..., "stderr": ...,
              "memory_mb": N, "output_mb": N}
    replies  {"pid": P}                        as soon as the child is forked
             {"pid": P, "status": S}           when it has ended (os.waitpid status)
"""

from __future__ import annotations

import json
import os
import signal
import sys
import warnings


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


def _serve_child(request: dict) -> None:
    """In the forked child: become a cold check's child, then run pytest."""
    from harness.grading import isolation

    try:
        signal.signal(signal.SIGINT, signal.default_int_handler)
        os.setsid()
        isolation.limit_child(request["memory_mb"], request["output_mb"])
        os.makedirs(request["cwd"], exist_ok=True)
        os.chdir(request["cwd"])
        stdin = os.open(os.devnull, os.O_RDONLY)
        stdout = os.open(request["stdout"], os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        stderr = os.open(request["stderr"], os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        for fd, target in ((stdin, 0), (stdout, 1), (stderr, 2)):
            os.dup2(fd, target)
        os.environ.clear()
        os.environ.update(request["env"])
        import pytest

        pytest.main(request["args"])
    finally:
        os._exit(0)  # the plugin normally leaves first, with its own os._exit


def _reply(message: dict) -> None:
    sys.stdout.write(json.dumps(message) + "\n")
    sys.stdout.flush()


def main() -> None:
    from harness.grading import isolation

    isolation.die_with_parent()
    isolation.become_subreaper()
    # Ctrl-C in the terminal is for `kata watch`, which then ends this server.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _preload()
    _reply({"ready": True})
    for line in sys.stdin:
        request = json.loads(line)
        pid = os.fork()
        if pid == 0:
            _serve_child(request)
        _reply({"pid": pid})
        _, status = os.waitpid(pid, 0)
        # As after a cold check: nothing the attempt started survives.
        isolation.kill_group(pid)
        isolation.kill_orphans()
        _reply({"pid": pid, "status": status})


if __name__ == "__main__":
    main()
