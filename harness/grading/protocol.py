"""The contract between the grading parent and its child: the one definition of both sides.

The parent configures the child through environment variables (the names below)
and the child answers with one JSON record per line on the results file, each
with an "event" field. Kept free of pytest so that the parent never imports it.

Records, in order:

    start                                  the plugin is up
    attempt_error   message                the attempt cannot be graded at all
    attempt_loaded  missing                loaded; `missing` lists interface names it lacks
    collect_error   message
    collected       tests: [{id, name, stage, doc}]
    test_start      id, timeout_s
    test            id, outcome, duration_s, message, example, output
    tampering       reason                 the tripwire saw the attempt reach into the grader
    stopped         reason                 the rest is not run
    locked          stages                 stage by stage: a stage failed, these were not run
    finished        tests_cpu_s            the last record of the tests phase
    benchmark       ratio, growth, reference_growth, workload   (benchmark phase)
"""

from __future__ import annotations

# -- settings, parent to child (environment variables) ------------------------------
RESULTS = "KATA_RESULTS"
ATTEMPT = "KATA_ATTEMPT"
MODULE = "KATA_MODULE"
INTERFACE = "KATA_INTERFACE"
BLOCKED = "KATA_BLOCKED"  # folders the attempt may not import from (unsandboxed runs)
OUTPUT_CHARS = "KATA_OUTPUT_CHARS"
BENCH = "KATA_BENCH"  # the kata's bench.py, when the benchmark should run
REFERENCE = "KATA_REFERENCE"
PYCACHE = "KATA_PYCACHE"  # where the suite's assertion-rewritten bytecode is kept
DURATIONS = "KATA_DURATIONS"  # the suite's recorded durations.json, when there is one
TRIPWIRE = "KATA_TRIPWIRE"  # "1": install the tamper tripwire before the attempt loads
TOKEN = "KATA_TOKEN"  # a secret per check that every record carries (see verdict.py)
GUARDED = "KATA_GUARDED"  # folders the attempt may not open or list (os.pathsep-separated)
STAGE_BY_STAGE = "KATA_STAGE_BY_STAGE"  # "1": run the stages in order, stop at the first failing

# -- exit statuses of the grading child, besides 0 --------------------------------
# A worker's tests stopped on an error in the grading machinery rather than in a test:
EXIT_OUT_OF_MEMORY = 73  # MemoryError (an attempt that keeps allocating, say)
EXIT_GRADER_FAILED = 70  # anything else

# -- records, child to parent (the "event" field) ----------------------------------
START = "start"
ATTEMPT_ERROR = "attempt_error"
ATTEMPT_LOADED = "attempt_loaded"
COLLECT_ERROR = "collect_error"
COLLECTED = "collected"
TEST_START = "test_start"
TEST = "test"
TAMPERING = "tampering"
STOPPED = "stopped"
LOCKED = "locked"
FINISHED = "finished"
BENCHMARK = "benchmark"

EVENTS = frozenset({START, ATTEMPT_ERROR, ATTEMPT_LOADED, COLLECT_ERROR, COLLECTED, TEST_START,
                    TEST, TAMPERING, STOPPED, LOCKED, FINISHED, BENCHMARK})
