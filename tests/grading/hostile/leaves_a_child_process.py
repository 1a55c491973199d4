"""Correct, but starts a detached child process (in a new session) that would live forever.

kata-test: prepend the reference

Verdict: tampering
Reason: starts a program
"""

import os
import subprocess
import sys

_pid_file = "/tmp/child.pid"
if not os.path.exists(_pid_file):
    _child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(3600)"],
                              start_new_session=True)
