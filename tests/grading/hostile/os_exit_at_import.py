"""Ends the process with os._exit(0) while being imported.

Verdict: not passed
Reason: while flatten.py was being imported, the grading process exited early with status 0
"""

import os

os._exit(0)
