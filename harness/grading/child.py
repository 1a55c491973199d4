"""The grading child's entry point: `python -m harness.grading.child ARGS` is pytest ARGS.

The garbage collector stays off until the tests start (the plugin turns it on again
once it has frozen what was built): importing pytest, Hypothesis, the suite and the
attempt makes many objects and almost no cycles, and collecting them would cost about
a tenth of the child's start.
"""

import gc

gc.disable()

import sys  # noqa: E402

import pytest  # noqa: E402

if __name__ == "__main__":
    sys.exit(pytest.console_main())
