"""Stage 3: validation, full jitter, long runs."""

import math

import pytest
from retry import retry

pytestmark = pytest.mark.stage(3)

FULL_JITTER = "jitter=True uses full jitter: every wait is drawn uniformly from [0, capped delay]"


@pytest.mark.parametrize(
    "kwargs",
    [
        {"attempts": 0},
        {"attempts": -3},
        {"base_delay": -0.1},
        {"base_delay": -1},
        {"factor": 0.99},
        {"factor": 0},
        {"max_delay": -1},
        {"max_delay": -0.001},
    ],
    ids=lambda kw: ",".join(f"{k}={v}" for k, v in kw.items()),
)
def test_invalid_arguments_raise_value_error_at_retry_time(kwargs):
    """retry(...) raises ValueError for attempts < 1, base_delay < 0, factor < 1, max_delay < 0."""
    ((name, value),) = kwargs.items()
    try:
        retry(**kwargs)
    except ValueError:
        return
    except Exception as exc:
        pytest.fail(f"retry({name}={value!r}) should raise ValueError, raised {exc!r}")
    pytest.fail(
        f"retry({name}={value!r}) itself raises ValueError, before any function is decorated or "
        f"called (attempts < 1, base_delay < 0, factor < 1 or max_delay < 0)"
    )


@pytest.mark.parametrize(
    ("kwargs", "calls", "waits"),
    [
        ({"attempts": 1}, 1, []),
        ({"base_delay": 0}, 3, [0, 0]),
        ({"factor": 1}, 3, [0.1, 0.1]),
        ({"factor": 1.0, "base_delay": 0.5, "attempts": 4}, 4, [0.5, 0.5, 0.5]),
        ({"max_delay": 0}, 3, [0, 0]),
        ({"attempts": 1, "base_delay": 0, "factor": 1, "max_delay": 0}, 1, []),
        ({"attempts": 3, "base_delay": 0, "factor": 1, "max_delay": 0}, 3, [0, 0]),
    ],
    ids=lambda v: ",".join(f"{k}={x}" for k, x in v.items()) if isinstance(v, dict) else None,
)
def test_boundary_values_are_accepted(log, kwargs, calls, waits):
    """attempts=1, base_delay=0, factor=1 and max_delay=0 are valid and work."""
    shown = ", ".join(f"{k}={v!r}" for k, v in kwargs.items())
    try:
        decorator = retry(sleep=log.sleep, **kwargs)
    except ValueError as exc:
        pytest.fail(
            f"retry({shown}) is valid (only attempts < 1, base_delay < 0, factor < 1, "
            f"max_delay < 0 are rejected), raised {exc!r}"
        )
    log.run(decorator(log.script(ValueError())))
    assert log.calls == calls, (
        f"retry({shown}) should call an always-failing function {calls} times, got {log.calls}"
    )
    log.check_waits(waits, f"retry({shown}) should wait {waits}")


def test_validation_happens_before_anything_is_decorated():
    """The ValueError comes from retry(...) itself, not from decorating or calling."""
    decorated = []
    try:
        decorator = retry(attempts=0)
    except ValueError:
        return
    try:
        decorator(lambda: decorated.append(1))()
    except ValueError:
        pytest.fail(
            "retry(attempts=0) itself raises ValueError, before any function is "
            "decorated or called; here it raised only later"
        )
    pytest.fail("retry(attempts=0) raises ValueError")


def _jittered_runs(log, runs, **kwargs):
    """Run an always-failing function `runs` times; return the waits of each run."""
    f = retry(jitter=True, sleep=log.sleep, **kwargs)(log.script(ValueError()))
    per_run = []
    for _ in range(runs):
        before = len(log.waits)
        log.run(f)
        per_run.append(log.waits[before:])
    return per_run


def _check_numbers(waits):
    for w in waits:
        if type(w) not in (int, float) or math.isnan(w):
            pytest.fail(f"{FULL_JITTER}\nsleep(delay) must get an int or float, got {w!r}")


def test_jitter_waits_lie_between_zero_and_the_capped_delay(log, seeded_random):
    """With jitter, the wait after attempt k is in [0, capped delay], over the whole range."""
    capped = [1, 2, 4, 6]
    runs = _jittered_runs(log, 200, attempts=5, base_delay=1, factor=2, max_delay=6)
    for waits in runs:
        _check_numbers(waits)
        assert len(waits) == 4, (
            f"jitter changes the delays, not the number of waits: expected 4, got {len(waits)}"
        )
        for k, (w, cap) in enumerate(zip(waits, capped, strict=True), start=1):
            if not 0 <= w <= cap:
                pytest.fail(
                    f"{FULL_JITTER}\nthe wait after attempt {k} should be in [0, {cap}], got {w!r}"
                )
    for k, cap in enumerate(capped, start=1):
        quarters = {min(3, int(4 * run[k - 1] / cap)) for run in runs}
        if quarters != {0, 1, 2, 3}:
            pytest.fail(
                f"{FULL_JITTER}\nover 200 runs, the waits after attempt {k} should spread over the "
                f"whole of [0, {cap}]; only these quarters of it were hit: {sorted(quarters)}"
            )


def test_jitter_is_uniform_over_the_whole_range(log, seeded_random):
    """800 jittered waits fall evenly into the four quarters of [0, capped delay]."""
    (waits,) = _jittered_runs(log, 1, attempts=801, base_delay=0.5, factor=2, max_delay=1)
    _check_numbers(waits)
    assert len(waits) == 800, f"attempts=801 makes 800 waits, got {len(waits)}"
    counts = [0, 0, 0, 0]
    for k, w in enumerate(waits, start=1):
        cap = 0.5 if k == 1 else 1
        if not 0 <= w <= cap:
            pytest.fail(
                f"{FULL_JITTER}\nthe wait after attempt {k} should be in [0, {cap}], got {w!r}"
            )
        counts[min(3, int(4 * w / cap))] += 1
    # 200 expected in each quarter; 120..280 is more than 6 standard deviations either side.
    if not all(120 <= c <= 280 for c in counts):
        pytest.fail(
            f"{FULL_JITTER}\nof 800 waits, about 200 should fall in each quarter of "
            "[0, capped delay]; "
            f"got {counts} (lowest quarter first)"
        )


def test_jitter_waits_vary_from_one_retry_to_the_next(log, seeded_random):
    """With jitter, equal capped delays still give different waits."""
    (waits,) = _jittered_runs(log, 1, attempts=21, base_delay=1, factor=1)
    _check_numbers(waits)
    assert len(set(waits)) >= 15, (
        f"{FULL_JITTER}, so waits vary from one retry to the next; 20 waits had only "
        f"{len(set(waits))} different values"
    )


def test_jitter_draws_differ_between_decorators_and_calls(log, seeded_random):
    """Two retry(jitter=True) decorators, or two calls of one, do not wait the same sequence."""
    first = _jittered_runs(log, 2, attempts=11, base_delay=1, factor=1)
    second = _jittered_runs(log, 1, attempts=11, base_delay=1, factor=1)
    runs = [*first, *second]
    for waits in runs:
        _check_numbers(waits)
    assert runs[0] != runs[1], (
        f"{FULL_JITTER}: two calls of the decorated function drew the very same waits"
    )
    assert runs[0] != runs[2], (
        f"{FULL_JITTER}: two separately made retry(jitter=True) decorators drew the very same "
        "waits (a generator seeded with a constant makes every client wait alike)"
    )


def test_on_retry_gets_the_jittered_delay(log, seeded_random):
    """With jitter, on_retry gets the very delay that is then waited."""
    f = retry(
        attempts=8, base_delay=1, factor=2, jitter=True, sleep=log.sleep, on_retry=log.on_retry
    )(log.script(ValueError()))
    log.run(f)
    told = [args[2] for args in log.retries]
    waited = log.waits
    assert len(told) == 7 and told == waited, (
        "on_retry(attempt, exc, delay) gets the delay about to be waited: with jitter, "
        f"the jittered one; on_retry got {told}, sleep got {waited}"
    )


@pytest.mark.parametrize("factor", [2, 2.0])
def test_many_attempts_cap_without_overflow(log, factor):
    """attempts=1100, factor=2, max_delay=1: waits 0.1, 0.2, 0.4, 0.8, then exactly 1."""
    f = retry(attempts=1100, factor=factor, max_delay=1, sleep=log.sleep)(log.script(ValueError()))
    _, value = log.run(f)
    assert not isinstance(value, OverflowError), (
        f"any number of attempts works: attempts=1100, factor={factor!r}, max_delay=1 raised "
        f"OverflowError ({value}) instead of capping at 1"
    )
    assert log.calls == 1100, (
        f"attempts=1100 calls an always-failing function 1100 times, got {log.calls}"
    )
    log.check_waits(
        [0.1, 0.2, 0.4, 0.8] + [1] * 1095,
        f"with attempts=1100, factor={factor!r}, max_delay=1 every delay from the cap on "
        "is exactly 1",
    )


@pytest.mark.parametrize(
    ("base_delay", "factor", "cap"), [(0.25, 3.0, 2), (1e-3, 10.0, 0.5), (3, 1.5, 100.0)]
)
def test_other_long_runs_cap_without_overflow(log, base_delay, factor, cap):
    """1100 attempts with other factors: every delay from the cap on is exactly max_delay."""
    f = retry(attempts=1100, base_delay=base_delay, factor=factor, max_delay=cap, sleep=log.sleep)(
        log.script(ValueError())
    )
    _, value = log.run(f)
    assert not isinstance(value, OverflowError), (
        f"any number of attempts works: attempts=1100, factor={factor!r}, max_delay={cap!r} raised "
        f"OverflowError ({value})"
    )
    waits = log.waits
    _check_numbers(waits)
    assert len(waits) == 1099, f"attempts=1100 makes 1099 waits, got {len(waits)}"
    first_capped = next(k for k in range(1, 1100) if base_delay * factor ** (k - 1) >= cap)
    for k, w in enumerate(waits, start=1):
        if k < first_capped:
            ok = math.isclose(w, base_delay * factor ** (k - 1), rel_tol=1e-9)
        else:
            ok = w == cap
        if not ok:
            pytest.fail(
                f"the wait after attempt {k} should be "
                f"min({cap}, {base_delay} * {factor} ** {k - 1}), "
                f"got {w!r}"
            )


@pytest.mark.parametrize("max_delay", [None, 5])
def test_many_attempts_from_zero_base_delay_all_wait_zero(log, max_delay):
    """base_delay=0: with any number of attempts every delay is 0 * factor ** (k - 1) = 0."""
    f = retry(attempts=1100, base_delay=0, factor=2.0, max_delay=max_delay, sleep=log.sleep)(
        log.script(ValueError())
    )
    _, value = log.run(f)
    assert not isinstance(value, OverflowError), (
        f"any number of attempts works: attempts=1100, base_delay=0 raised OverflowError ({value})"
    )
    log.check_waits(
        [0] * 1099, f"with base_delay=0 every delay is 0 (attempts=1100, max_delay={max_delay})"
    )
