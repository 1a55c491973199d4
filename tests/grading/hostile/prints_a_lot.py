"""Correct, but prints a lot, including bytes that are not UTF-8, and leaves a thread running.

The test puts the reference solution in front of this text (marker below).
kata-test: prepend the reference

Verdict: passed
Reason: -
"""

import os
import sys
import threading
import time

_reference_flatten = flatten  # noqa: F821 - the reference, put in front by the test

threading.Thread(target=lambda: time.sleep(3600)).start()  # not a daemon: would block exit


def flatten(data, sep="."):
    print("x" * 20_000)
    sys.stdout.buffer.write(b"\xff\xfe\x80 not utf-8\n")
    os.write(2, b"\xc3\x28 stderr garbage\n")
    return _reference_flatten(data, sep)
