"""Names of the environment variables through which the parent configures the child.

Kept apart from plugin.py so that the parent never imports pytest.
"""

RESULTS = "KATA_RESULTS"
ATTEMPT = "KATA_ATTEMPT"
MODULE = "KATA_MODULE"
INTERFACE = "KATA_INTERFACE"
BLOCKED = "KATA_BLOCKED"
OUTPUT_CHARS = "KATA_OUTPUT_CHARS"
BENCH = "KATA_BENCH"  # the kata's bench.py, when the benchmark should run
REFERENCE = "KATA_REFERENCE"
PYCACHE = "KATA_PYCACHE"  # where the suite's assertion-rewritten bytecode is kept
DURATIONS = "KATA_DURATIONS"  # the suite's recorded durations.json, when there is one
