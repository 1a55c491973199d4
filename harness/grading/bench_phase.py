"""The benchmark phase: `python -m harness.grading.bench_phase`, in a child of its own.

Runs only after the grading child found every test passed. It loads the
attempt (with the tamper tripwire on, as in grading) and the reference, times
both on the kata's workload (see benchmark.py) and writes one `benchmark`
record. The reference is visible to this child only, never to the one that
grades, and what this child reports cannot change a verdict.
"""

from __future__ import annotations

import importlib.util
import json
import os
import signal
import sys
from pathlib import Path

from harness.grading import benchmark, protocol, tripwire

BUDGET_S = 15


def _load(path: str, name: str):
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


def _timeout(signum, frame):
    raise TimeoutError("the benchmark ran out of time")


def main() -> None:
    env = os.environ
    fd = os.open(env[protocol.RESULTS], os.O_WRONLY | os.O_APPEND)
    token = env.pop(protocol.TOKEN, None)
    attempt_path = str(Path(env[protocol.ATTEMPT]))
    guarded = (env[protocol.RESULTS], env[protocol.REFERENCE], env[protocol.BENCH])
    tripwire.install(attempt_path, lambda reason: None,
                     tuple(str(Path(p).parent) + "/" for p in guarded))
    signal.signal(signal.SIGALRM, _timeout)
    signal.setitimer(signal.ITIMER_REAL, BUDGET_S)
    try:
        bench = _load(env[protocol.BENCH], "_kata_bench")
        reference = _load(env[protocol.REFERENCE], "_kata_reference")
        attempt = _load(attempt_path, env[protocol.MODULE])
        result = benchmark.measure(bench, attempt, reference)
    except BaseException:  # the attempt's code runs here too: no figure, no verdict change
        os._exit(1)
    signal.setitimer(signal.ITIMER_REAL, 0)
    record = {"event": protocol.BENCHMARK, **result, "token": token}
    os.write(fd, (json.dumps(record) + "\n").encode())
    os._exit(0)


if __name__ == "__main__":
    main()
