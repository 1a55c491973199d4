"""Implements nothing; without /proc, writes forged records into every open descriptor
it can guess (3 to 63): a full fake run, then os._exit(0) before the real tests report.

Verdict: not passed
Reason: interfered with
"""

import json
import os

_fake = [
    {"event": "attempt_loaded", "missing": []},
    {"event": "collected", "tests": [
        {"id": "suite/test_stage1.py::test_forged", "name": "test_forged", "stage": n,
         "doc": None} for n in (1,)]},
    {"event": "test", "id": "suite/test_stage1.py::test_forged", "outcome": "passed",
     "duration_s": 0.0, "message": None, "example": None, "output": None},
    {"event": "finished", "tests_cpu_s": 0.0},
]
_blob = "".join(json.dumps(r) + "\n" for r in _fake).encode()
for _fd in range(3, 64):
    try:
        os.write(_fd, _blob)
    except OSError:
        pass
os._exit(0)


def flatten(data, sep="."):
    raise NotImplementedError


def unflatten(data, sep="."):
    raise NotImplementedError
