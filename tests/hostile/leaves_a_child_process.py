"""Correct, but starts a detached child process (in a new session) that would live forever.

Verdict: passed
Reason: -
"""

import os
import subprocess
import sys

_here = os.path.dirname(os.path.abspath(__file__))
with open(os.path.join(_here, "_reference.py")) as _source:
    exec(_source.read())  # the reference, as text

_pid_file = os.environ.get("HOSTILE_PID_FILE")
if _pid_file and not os.path.exists(_pid_file):
    _child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(3600)"],
                              start_new_session=True)
    with open(_pid_file, "w") as handle:
        handle.write(str(_child.pid))
