"""The warm grader's spare collects the suite before the attempt exists, against
stand-ins for the attempt's names. It may only be used where that changes nothing: a
suite that uses those names at import, or keeps them anywhere but in a module's globals,
is collected after the attempt is loaded, as in a cold check."""

from __future__ import annotations

import textwrap

import pytest

from harness import catalog
from harness.grading.runner import Limits, check_attempt
from harness.grading.warm import WarmGrader

pytestmark = pytest.mark.slow

LIMITS = Limits(test_timeout_s=5, wall_timeout_s=60, benchmark=False)

KATA_TOML = '''
slug = "demo"
title = "Clamp a number"
level = "junior"
minutes = 8
topics = ["numbers"]
file = "demo.py"
interface = ["clamp"]
summary = "Clamp a number into a range."
mistakes = ["Swaps low and high."]
''' + "".join(f'''
[[stages]]
title = "Stage {n}"
minutes = 2
prompt = """Do stage {n}."""
hints = ["look", "think"]
strong = ["fast"]
weak = ["slow"]
''' for n in range(1, 5))

REFERENCE = "def clamp(x, low, high):\n    return min(max(x, low), high)\n"
WRONG = "def clamp(x, low, high):\n    return max(min(x, low), high)\n"

TESTS = '''
@pytest.mark.stage({n})
def test_stage_{n}():
    assert clamp({n}, 2, 3) == min(max({n}, 2), 3)
'''

SUITES = {
    # name: (what the suite does at import, whether a spare may serve it)
    "plain": ("from demo import clamp", True),
    "module_import": ("import demo\nclamp = lambda *a: demo.clamp(*a)", True),
    "called_at_import": ("from demo import clamp\nTRY = clamp(1, 2, 3)", False),
    "attribute_at_import": ("from demo import clamp\nNAME = clamp.__name__", False),
    "caught_at_import": ("from demo import clamp\ntry:\n    clamp(1, 2, 3)\n"
                         "except Exception:\n    pass", False),
    "kept_in_a_list": ("from demo import clamp\nKEPT = [clamp]", False),
    "default_argument": ("from demo import clamp\ndef use(f=clamp):\n    return f", False),
}


def _kata(folder, head: str) -> catalog.Kata:
    (folder / "suite").mkdir(parents=True)
    (folder / "kata.toml").write_text(KATA_TOML)
    (folder / "stub.py").write_text("def clamp(x, low, high):\n    raise NotImplementedError\n")
    (folder / "solution.py").write_text(REFERENCE)
    body = "".join(TESTS.format(n=n) for n in range(1, 5))
    (folder / "suite" / "test_demo.py").write_text(
        f"import pytest\n{textwrap.dedent(head)}\n{body}")
    return catalog.load_kata(folder)


def _verdict(report):
    return (report.passed, report.error,
            [(s.number, s.locked, [(t.name, t.outcome) for t in s.tests])
             for s in report.stages])


@pytest.mark.parametrize("suite", SUITES)
def test_a_spare_serves_only_a_suite_that_leaves_the_attempt_alone_at_import(suite, tmp_path):
    head, spare_allowed = SUITES[suite]
    kata = _kata(tmp_path / "demo", head)
    staged = Limits(**{**LIMITS.__dict__, "all_stages": False})
    attempts = [tmp_path / name for name in ("reference.py", "wrong.py")]
    attempts[0].write_text(REFERENCE)
    attempts[1].write_text(WRONG)
    with WarmGrader(kata) as grader:
        for round_ in range(2):
            for attempt, limits in ((attempts[0], LIMITS), (attempts[1], staged),
                                    (kata.stub_path, staged)):
                warm = grader.check(kata, attempt, limits)
                assert _verdict(warm) == _verdict(check_attempt(kata, attempt, limits)), (
                    suite, attempt.name, round_)
        assert not warm.passed  # the stub
        # Every check after the first one can have a spare, and uses it when allowed.
        assert grader.prepared_checks == (5 if spare_allowed else 0), suite


def test_every_kata_suite_is_collected_ahead(tmp_path):
    """The shipped suites bind the attempt's names only as module globals."""
    for kata in catalog.all_katas():
        with WarmGrader(kata) as grader:
            for _ in range(2):
                grader.check(kata, kata.stub_path, Limits(**{**LIMITS.__dict__,
                                                            "all_stages": False}))
        assert grader.prepared_checks == 1, kata.slug


MAGIC_SUITE = """
from hypothesis import given, settings, strategies as st
from demo import clamp

@pytest.mark.stage(1)
@settings(max_examples=300)
@given(st.integers())
def test_any_number_in_range(x):
    assert clamp(x, -(2 ** 62), 2 ** 62) == x, f"input: clamp({x!r}, ...)"
""" + "".join(TESTS.format(n=n) for n in range(2, 5))


def test_a_spare_draws_the_same_inputs_as_a_cold_check(tmp_path):
    """Hypothesis also draws inputs from the constants in the source of the modules
    loaded, the attempt's among them: here the only way to find this attempt's one wrong
    answer. A spare imports the suite before the attempt, a cold check after; the grader
    pins those constants to the suite's and the attempt's, so both find it."""
    folder = tmp_path / "demo"
    kata = _kata(folder, "")
    (folder / "suite" / "test_demo.py").write_text("import pytest\n" + MAGIC_SUITE)
    attempt = tmp_path / "demo.py"
    attempt.write_text("def clamp(x, low, high):\n"
                       "    if x == 9876543210123:\n        return 0\n"
                       "    return min(max(x, low), high)\n")
    with WarmGrader(kata) as grader:
        grader.check(kata, kata.stub_path, LIMITS)
        warm = grader.check(kata, attempt, LIMITS)
        assert grader.prepared_checks == 1
    cold = check_attempt(kata, attempt, LIMITS)
    for report in (warm, cold):
        caught = report.stages[0].tests[0]
        assert caught.outcome == "failed" and "clamp(9876543210123, ...)" in caught.message


def test_a_spare_that_does_not_fit_is_dropped_however_soon_the_next_check_comes():
    """Checks whose limits alternate never fit the spare made after the previous one: it is
    dropped at once, often before it has its own process group, and must still end (a
    spare that escaped its kill left the server waiting for it)."""
    kata = catalog.find_kata("flatten")
    short = Limits(**{**LIMITS.__dict__, "test_timeout_s": 4, "all_stages": False})
    with WarmGrader(kata) as grader:
        for n in range(12):
            report = grader.check(kata, kata.stub_path, short if n % 2 else LIMITS)
            assert not report.passed and report.error is None
        assert grader.prepared_checks == 0
