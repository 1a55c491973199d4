"""Stage 3: validation, full jitter, long runs."""

import math

import pytest
from retry import retry

pytestmark = pytest.mark.stage(3)

VALIDATION = (
    "retry(...) itself raises ValueError (before any function is decorated or called) when "
    "attempts < 1, base_delay < 0, factor < 1, or max_delay < 0"
)
LONG = (
    "any number of attempts works: with max_delay every delay from the cap on is exactly "
    "max_delay, with no OverflowError; without max_delay, every delay is still "
    "base_delay * factor ** (k - 1) for as long as that is a finite float"
)
FULL_JITTER = "jitter=True uses full jitter: every wait is drawn uniformly from [0, capped delay]"


def test_invalid_arguments_raise_value_error_at_retry_time(make_log):
    """retry(...) raises ValueError for attempts < 1, base_delay < 0, factor < 1, max_delay < 0."""
    for name, value in [
        ("attempts", 0),
        ("attempts", -3),
        ("base_delay", -0.1),
        ("base_delay", -1),
        ("factor", 0.99),
        ("factor", 0),
        ("max_delay", -1),
        ("max_delay", -0.001),
    ]:
        try:
            decorator = retry(**{name: value})
        except ValueError:
            continue
        except Exception as exc:
            make_log.report(
                VALIDATION,
                f"retry({name}={value!r})",
                f"raised {exc!r}",
                expected="raises ValueError",
            )
        make_log.report(
            VALIDATION,
            f"retry({name}={value!r})",
            f"returned {decorator!r}",
            expected="raises ValueError",
        )


def test_boundary_values_are_accepted(make_log):
    """attempts=1, base_delay=0, factor=1 and max_delay=0 are valid and work."""
    rule = (
        "attempts=1, base_delay=0, factor=1 and max_delay=0 are valid: only attempts < 1, "
        "base_delay < 0, factor < 1, max_delay < 0 are rejected"
    )
    for kwargs, calls, waits in [
        ({"attempts": 1}, 1, []),
        ({"base_delay": 0}, 3, [0, 0]),
        ({"factor": 1}, 3, [0.1, 0.1]),
        ({"factor": 1.0, "base_delay": 0.5, "attempts": 4}, 4, [0.5, 0.5, 0.5]),
        ({"max_delay": 0}, 3, [0, 0]),
        ({"attempts": 1, "base_delay": 0, "factor": 1, "max_delay": 0}, 1, []),
        ({"attempts": 3, "base_delay": 0, "factor": 1, "max_delay": 0}, 3, [0, 0]),
    ]:
        log = make_log()
        log.script(ValueError())
        log.given({**kwargs, "sleep": log.sleep})
        try:
            decorator = retry(sleep=log.sleep, **kwargs)
        except Exception as exc:
            log.fail(rule, expected="no exception", got=f"retry(...) raised {exc!r}")
        log.run(decorator(log.script(ValueError())))
        log.expect(log.calls == calls, rule, expected=f"{calls} calls of f, slept {waits}")
        log.check_waits(waits, rule)


def test_validation_happens_before_anything_is_decorated(make_log):
    """The ValueError comes from retry(...) itself, not from decorating or calling."""
    try:
        decorator = retry(attempts=0)
    except ValueError:
        return
    except Exception as exc:
        make_log.report(
            VALIDATION, "retry(attempts=0)", f"raised {exc!r}", expected="raises ValueError"
        )
    got = "retry(attempts=0) returned a decorator"
    try:
        decorator(lambda: None)()
    except ValueError:
        got += "; the ValueError came only when the function was decorated or called"
    except Exception as exc:
        got += f"; decorating and calling raised {exc!r}"
    make_log.report(
        VALIDATION,
        "retry(attempts=0), then decorating and calling a function",
        got,
        expected="retry(attempts=0) itself raises ValueError",
    )


def _jittered_runs(log, runs, **kwargs):
    """Run an always-failing function `runs` times; return the waits of each run."""
    f = log.retried(
        retry,
        ValueError(),
        jitter=True,
        sleep=log.sleep,
        **kwargs,
        call="f()" if runs == 1 else f"f() {runs} times",
    )
    per_run = []
    for _ in range(runs):
        before = len(log.events)
        log.run(f)
        per_run.append([e[1] for e in log.events[before:] if e[0] == "sleep"])
    return per_run


def _check_numbers(log, waits):
    for w in waits:
        if not log.is_number(w) or math.isnan(w):
            log.fail(
                f"{FULL_JITTER}; sleep(delay) gets an int or float (or a subclass that keeps "
                "their comparison)",
                got=f"sleep({w!r}) of type {type(w).__name__} ({log.did()})",
            )


def test_jitter_waits_lie_between_zero_and_the_capped_delay(log, seeded_random):
    """With jitter, the wait after attempt k is in [0, capped delay], over the whole range."""
    capped = [1, 2, 4, 6]
    runs = _jittered_runs(log, 200, attempts=5, base_delay=1, factor=2, max_delay=6)
    for waits in runs:
        _check_numbers(log, waits)
        log.expect(
            len(waits) == 4,
            f"{FULL_JITTER}; jitter changes the delays, not their number",
            expected="4 waits in each run",
            got=f"a run with waits {waits}",
        )
        for k, (w, cap) in enumerate(zip(waits, capped, strict=True), start=1):
            if not (0 <= w <= cap):
                log.fail(
                    FULL_JITTER,
                    expected=f"the wait after attempt {k} in [0, {cap}]",
                    got=f"a run with waits {waits}",
                )
    for k, cap in enumerate(capped, start=1):
        quarters = {min(3, int(4 * run[k - 1] / cap)) for run in runs}
        log.expect(
            quarters == {0, 1, 2, 3},
            FULL_JITTER,
            expected=f"over 200 runs, the waits after attempt {k} spread over all of [0, {cap}]",
            got=f"only these quarters of [0, {cap}] were hit: {sorted(quarters)} (lowest is 0)",
        )


def test_jitter_is_uniform_over_the_whole_range(log, seeded_random):
    """800 jittered waits fall evenly into the four quarters of [0, capped delay]."""
    (waits,) = _jittered_runs(log, 1, attempts=801, base_delay=0.5, factor=2, max_delay=1)
    _check_numbers(log, waits)
    log.expect(len(waits) == 800, FULL_JITTER, expected="800 waits")
    counts = [0, 0, 0, 0]
    for k, w in enumerate(waits, start=1):
        cap = 0.5 if k == 1 else 1
        if not (0 <= w <= cap):
            log.fail(
                FULL_JITTER,
                expected=f"the wait after attempt {k} in [0, {cap}]",
                got=f"the wait after attempt {k} was {w!r} ({log.did()})",
            )
        counts[min(3, int(4 * w / cap))] += 1
    # 200 expected in each quarter; 120..280 is more than 6 standard deviations either side.
    log.expect(
        all(120 <= c <= 280 for c in counts),
        FULL_JITTER,
        expected="of 800 waits, about 200 in each quarter of [0, capped delay]",
        got=f"{counts} waits in the quarters, lowest quarter first",
    )


def test_jitter_waits_vary_from_one_retry_to_the_next(log, seeded_random):
    """With jitter, equal capped delays still give different waits."""
    (waits,) = _jittered_runs(log, 1, attempts=21, base_delay=1, factor=1)
    _check_numbers(log, waits)
    log.expect(
        len(set(waits)) >= 15,
        f"{FULL_JITTER}, so waits vary from one retry to the next",
        expected="20 waits of (almost all) different values",
        got=f"only {len(set(waits))} different values ({log.did()})",
    )


def test_jitter_draws_differ_between_decorators_and_calls(log, seeded_random):
    """Two retry(jitter=True) decorators, or two calls of one, do not wait the same sequence."""
    first = _jittered_runs(log, 2, attempts=11, base_delay=1, factor=1)
    second = _jittered_runs(log, 1, attempts=11, base_delay=1, factor=1)
    runs = [*first, *second]
    for waits in runs:
        _check_numbers(log, waits)
    log.input = (
        "f() twice with f = retry(attempts=11, base_delay=1, factor=1, jitter=True, "
        "sleep=sleep)(g), then the same with a second, separately made retry(...), where "
        "g raises ValueError() on every call"
    )
    log.expect(
        runs[0] != runs[1],
        f"{FULL_JITTER}, so waits vary from one call to the next",
        expected="two calls draw different waits",
        got=f"both calls waited {log.show(runs[0])}",
    )
    log.expect(
        runs[0] != runs[2],
        f"{FULL_JITTER}, so two clients do not wait alike (no generator seeded with a constant)",
        expected="two separately made decorators draw different waits",
        got=f"both waited {log.show(runs[0])}",
    )


def test_on_retry_gets_the_jittered_delay(log, seeded_random):
    """With jitter, on_retry gets the very delay that is then waited."""
    f = log.retried(
        retry,
        ValueError(),
        attempts=8,
        base_delay=1,
        factor=2,
        jitter=True,
        sleep=log.sleep,
        on_retry=log.on_retry,
    )
    log.run(f)
    told = [args[2] if len(args) == 3 else None for args in log.retries]
    waited = log.waits
    ok = len(told) == 7 and all(map(log.is_number, told + waited)) and told == waited
    log.expect(
        ok,
        "on_retry(attempt, exc, delay) gets the delay about to be waited: with "
        "jitter, the jittered one",
        expected="on_retry's delays equal the waits",
        got=f"on_retry got delays {told}, sleep got {waited}",
    )


def test_many_attempts_cap_without_overflow(make_log):
    """attempts=1100, factor=2, max_delay=1: waits 0.1, 0.2, 0.4, 0.8, then exactly 1."""
    for factor in [2, 2.0]:
        log = make_log()
        f = log.retried(
            retry, ValueError(), attempts=1100, factor=factor, max_delay=1, sleep=log.sleep
        )
        _, value = log.run(f)
        log.expect(
            not isinstance(value, OverflowError) and log.calls == 1100,
            LONG,
            expected="1100 calls of f, waits 0.1, 0.2, 0.4, 0.8, then exactly 1",
        )
        log.check_waits([0.1, 0.2, 0.4, 0.8] + [1] * 1095, LONG)


def test_other_long_runs_cap_without_overflow(make_log):
    """1100 attempts with other factors: every delay from the cap on is exactly max_delay."""
    for base_delay, factor, cap in [(0.25, 3.0, 2), (1e-3, 10.0, 0.5), (3, 1.5, 100.0)]:
        log = make_log()
        f = log.retried(
            retry,
            ValueError(),
            attempts=1100,
            base_delay=base_delay,
            factor=factor,
            max_delay=cap,
            sleep=log.sleep,
        )
        _, value = log.run(f)
        log.expect(
            not isinstance(value, OverflowError) and log.calls == 1100,
            LONG,
            expected=f"1100 calls of f, 1099 waits, exactly {cap} from the cap on",
        )
        waits = log.waits
        _check_numbers(log, waits)
        first_capped = next(k for k in range(1, 1100) if base_delay * factor ** (k - 1) >= cap)
        for k, w in enumerate(waits, start=1):
            if k < first_capped:
                ok = math.isclose(w, base_delay * factor ** (k - 1), rel_tol=1e-9)
            else:
                ok = w == cap
            if not ok:
                log.fail(
                    LONG,
                    expected=f"the wait after attempt {k} is min({cap}, {base_delay} * "
                    f"{factor} ** {k - 1})",
                    got=f"the wait after attempt {k} was {w!r} ({log.did()})",
                )


def test_many_attempts_from_zero_base_delay_all_wait_zero(make_log):
    """base_delay=0: with any number of attempts every delay is 0 * factor ** (k - 1) = 0."""
    for max_delay in [None, 5]:
        log = make_log()
        f = log.retried(
            retry,
            ValueError(),
            attempts=1100,
            base_delay=0,
            factor=2.0,
            max_delay=max_delay,
            sleep=log.sleep,
        )
        _, value = log.run(f)
        log.expect(
            not isinstance(value, OverflowError),
            LONG,
            expected="1099 waits of 0, no OverflowError",
        )
        log.check_waits([0] * 1099, f"{LONG}; with base_delay=0 every delay is 0")


def test_without_max_delay_delays_grow_for_as_long_as_they_are_finite(make_log):
    """No max_delay: every delay is exactly base_delay * factor ** (k - 1), up to 2 ** 1021."""
    for base_delay, factor, attempts in [
        (1, 10, 23),
        (3, 4.0, 511),
        (0.5, 2, 1024),
        (0.5, 2.0, 1024),
    ]:
        log = make_log()
        f = log.retried(
            retry,
            ValueError(),
            attempts=attempts,
            base_delay=base_delay,
            factor=factor,
            sleep=log.sleep,
        )
        log.run(f)
        # Every one of these powers is a finite float, exactly as the multiplications give it.
        log.check_waits([base_delay * factor ** (k - 1) for k in range(1, attempts)], LONG)
