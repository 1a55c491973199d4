"""Stage 2: what to retry, a cap on the delay, on_retry."""

import pytest
from retry import retry

pytestmark = pytest.mark.stage(2)

RETRIED = (
    "an exception that is an instance of retry_on (one class or a tuple) is retried, "
    "whatever its type"
)
AT_ONCE = "any other exception propagates at once: no wait, no further attempt"
DEFAULT = (
    "with the default retry_on=Exception, a BaseException that is not an Exception "
    "(KeyboardInterrupt, SystemExit) propagates at once"
)
CAP = "max_delay, when given, caps every delay: min(max_delay, base_delay * factor ** (k - 1))"
HOOK = (
    "on_retry(attempt, exc, delay), when given, is called once before every wait, with the "
    "number of the attempt that failed, its exception, and the delay about to be waited"
)


class Halt(BaseException):
    """A BaseException that is not an Exception."""

    def __repr__(self):
        return "Halt()"


def test_an_instance_of_retry_on_is_retried(log):
    """With retry_on=ValueError, ValueErrors are retried until a success."""
    f = log.retried(
        retry, ValueError(), ValueError(), "ok", attempts=3, retry_on=ValueError, sleep=log.sleep
    )
    log.run(f)
    log.expect(
        log.returned("ok") and log.calls == 3, RETRIED, expected="3 calls of f, then returned 'ok'"
    )


def test_other_exception_propagates_at_once(log):
    """An exception that is not an instance of retry_on: no wait, no further attempt."""
    error = TypeError("not retryable")
    f = log.retried(
        retry, error, "ok", attempts=5, retry_on=ValueError, sleep=log.sleep, on_retry=log.on_retry
    )
    log.run(f)
    log.expect(
        log.raised(error) and log.calls == 1 and log.kinds() == ["call"],
        AT_ONCE,
        expected="1 call of f, slept [], no on_retry, then raised TypeError('not retryable')",
    )


def test_a_tuple_retry_on_retries_each_of_its_classes(log):
    """retry_on=(ValueError, KeyError) retries both classes."""
    f = log.retried(
        retry,
        KeyError("k"),
        ValueError("v"),
        KeyError("k2"),
        "ok",
        attempts=4,
        retry_on=(ValueError, KeyError),
        sleep=log.sleep,
    )
    log.run(f)
    log.expect(
        log.returned("ok") and log.calls == 4, RETRIED, expected="4 calls of f, then returned 'ok'"
    )


def test_a_tuple_retry_on_lets_other_exceptions_through(log):
    """retry_on=(ValueError, KeyError): an OSError propagates at once."""
    error = OSError("disk")
    f = log.retried(
        retry,
        ValueError(),
        error,
        "ok",
        attempts=4,
        retry_on=(ValueError, KeyError),
        sleep=log.sleep,
    )
    log.run(f)
    log.expect(
        log.raised(error) and log.calls == 2,
        AT_ONCE,
        expected="2 calls of f, slept [0.1], then raised OSError('disk')",
    )
    log.check_waits(
        [0.1], f"{AT_ONCE}; only the retryable failure of attempt 1 is followed by a wait"
    )


def test_subclasses_of_retry_on_are_retried(make_log):
    """An instance of a subclass of retry_on is an instance of retry_on, so it is retried."""
    for retry_on, errors in [
        (LookupError, [KeyError("k"), IndexError(3)]),
        (OSError, [ConnectionResetError(), TimeoutError()]),
        (
            (ArithmeticError, ValueError),
            [ZeroDivisionError(), UnicodeDecodeError("utf-8", b"", 0, 1, "x")],
        ),
    ]:
        log = make_log()
        f = log.retried(retry, *errors, "ok", attempts=3, retry_on=retry_on, sleep=log.sleep)
        log.run(f)
        log.expect(
            log.returned("ok"),
            f"{RETRIED}; an instance of a subclass is an instance",
            expected="3 calls of f, then returned 'ok'",
        )


def test_base_exception_propagates_at_once_with_default_retry_on(make_log):
    """KeyboardInterrupt, SystemExit: not an Exception, so never retried by default."""
    for error_type in [KeyboardInterrupt, SystemExit, Halt]:
        log = make_log()
        error = error_type()
        f = log.retried(retry, error, "ok", attempts=3, sleep=log.sleep, on_retry=log.on_retry)
        log.run(f)
        log.expect(
            log.raised(error) and log.calls == 1 and log.kinds() == ["call"],
            DEFAULT,
            expected=f"1 call of f, slept [], no on_retry, then raised {error!r}",
        )


def test_retry_on_base_exception_retries_any_exception(make_log):
    """retry_on=BaseException (or naming it) retries KeyboardInterrupt and SystemExit too."""
    for retry_on, error_type in [
        (BaseException, KeyboardInterrupt),
        (BaseException, SystemExit),
        (BaseException, GeneratorExit),
        (BaseException, Halt),
        (KeyboardInterrupt, KeyboardInterrupt),
        ((ValueError, KeyboardInterrupt), KeyboardInterrupt),
        ((OSError, SystemExit), SystemExit),
    ]:
        log = make_log()
        errors = [error_type(), error_type()]
        f = log.retried(
            retry,
            *errors,
            "ok",
            attempts=3,
            base_delay=1,
            retry_on=retry_on,
            sleep=log.sleep,
            on_retry=log.on_retry,
        )
        log.run(f)  # catches what the attempt raises, KeyboardInterrupt included
        log.expect(
            log.returned("ok") and log.calls == 3,
            f"{RETRIED} ({error_type.__name__} too)",
            expected="3 calls of f, slept [1, 2], then returned 'ok'",
        )
        log.check_waits([1, 2], f"{RETRIED} ({error_type.__name__} too)")


def test_retry_on_base_exception_raises_the_last_keyboard_interrupt(log):
    """retry_on=BaseException and KeyboardInterrupt on every attempt: the last one is raised."""
    errors = [KeyboardInterrupt("1"), KeyboardInterrupt("2"), KeyboardInterrupt("3")]
    f = log.retried(retry, *errors, attempts=3, retry_on=BaseException, sleep=log.sleep)
    log.run(f)  # catches what the attempt raises, KeyboardInterrupt included
    log.expect(
        log.raised(errors[-1]) and log.calls == 3,
        f"{RETRIED}; when every attempt fails, the last attempt's exception is raised",
        expected="3 calls of f, slept [0.1, 0.2], then raised KeyboardInterrupt('3')",
    )


def test_max_delay_caps_every_delay(make_log):
    """max_delay caps every wait, the first one included; max_delay=0 is a cap like any other
    (sleep(0) is still called); max_delay=None means no cap: 1, 10, 100, 1000."""
    for kwargs, waits, rule in [
        ({"attempts": 7, "base_delay": 1, "factor": 2, "max_delay": 5}, [1, 2, 4, 5, 5, 5], CAP),
        ({"attempts": 3, "base_delay": 2, "max_delay": 0.5}, [0.5, 0.5], CAP),
        (
            {"attempts": 4, "base_delay": 1, "factor": 2, "max_delay": 0},
            [0, 0, 0],
            f"{CAP}; max_delay=0 gives waits of 0",
        ),
        (
            {"attempts": 4, "base_delay": 0.5, "factor": 3, "max_delay": 1.25},
            [0.5, 1.25, 1.25],
            CAP,
        ),
        (
            {"attempts": 5, "base_delay": 1, "factor": 10},
            [1, 10, 100, 1000],
            "max_delay caps the delays only when it is given",
        ),
    ]:
        log = make_log()
        f = log.retried(retry, ValueError(), **kwargs, sleep=log.sleep)
        log.run(f)
        log.check_waits(waits, rule)


def test_on_retry_is_called_before_every_wait(log):
    """on_retry(attempt, exc, delay) comes right before each wait, never after the last attempt."""
    errors = [ValueError("a"), KeyError("b"), OSError("c")]
    f = log.retried(
        retry, *errors, attempts=3, base_delay=1, factor=2, sleep=log.sleep, on_retry=log.on_retry
    )
    log.run(f)
    expected = ["call", "on_retry", "sleep", "call", "on_retry", "sleep", "call"]
    log.expect(
        log.kinds() == expected,
        HOOK,
        expected=", ".join(expected),
        got=f"{log.order()} ({log.did()})",
    )
    for k, args in enumerate(log.retries, start=1):
        want = (k, errors[k - 1], 2 ** (k - 1))
        ok = len(args) == 3 and isinstance(args[0], int) and log.is_number(args[0])
        ok = ok and args[0] == k and args[1] is errors[k - 1] and log.is_number(args[2])
        log.expect(
            ok and args[2] == want[2],
            HOOK,
            expected=f"on_retry{want!r}",
            got=f"on_retry called with {args!r}",
        )


def test_on_retry_gets_the_capped_delay(log):
    """on_retry's delay is the capped delay, the same as the wait that follows."""
    f = log.retried(
        retry,
        ValueError(),
        attempts=4,
        base_delay=1,
        factor=4,
        max_delay=3,
        sleep=log.sleep,
        on_retry=log.on_retry,
    )
    log.run(f)
    delays = [args[2] if len(args) == 3 else None for args in log.retries]
    ok = len(delays) == 3 and all(map(log.is_number, delays)) and delays == [1, 3, 3]
    log.expect(
        ok,
        f"{HOOK}; {CAP}",
        expected="on_retry delays [1, 3, 3]",
        got=f"on_retry delays {delays!r} ({log.did()})",
    )


def test_on_retry_is_not_called_when_nothing_is_waited(log):
    """No on_retry for a success on the first attempt, nor for a non-retryable exception."""
    f = log.retried(
        retry, "ok", attempts=3, retry_on=KeyError, sleep=log.sleep, on_retry=log.on_retry
    )
    log.run(f)
    log.expect(
        log.retries == [],
        f"{HOOK}; a first attempt that succeeds has no wait",
        expected="no on_retry call",
    )
    g = log.retried(
        retry, ValueError(), attempts=3, retry_on=KeyError, sleep=log.sleep, on_retry=log.on_retry
    )
    log.run(g)
    log.expect(log.retries == [], f"{HOOK}; {AT_ONCE}", expected="no on_retry call")


def test_an_on_retry_that_is_falsy_is_still_called(log):
    """A given on_retry is called even when it is falsy (an empty list-like recorder)."""
    hook = log.Recorder()
    errors = [ValueError("a"), ValueError("b")]
    f = log.retried(retry, *errors, "ok", attempts=3, base_delay=1, sleep=log.sleep, on_retry=hook)
    log.run(f)
    ok = len(hook) == 2 and all(len(args) == 3 for args in hook)
    ok = ok and all(
        args[0] == k
        and args[1] is errors[k - 1]
        and log.is_number(args[2])
        and args[2] == 2 ** (k - 1)
        for k, args in enumerate(hook, start=1)
        if ok
    )
    log.expect(
        ok,
        f"{HOOK}; it is called even when it is falsy (here an empty list)",
        expected=f"recorder called with {(1, errors[0], 1)!r}, then {(2, errors[1], 2)!r}",
        got=f"recorder called with {list(hook)!r} ({log.did()})",
    )


# The model test's values. A run's shape is what it does up to its end: j retryable failures
# (KeyError), then another exception (ValueError), a result, or nothing more (KeyError on
# every later call); j runs from 0 to attempts, so every shape ends in each possible way. Each
# shape gets its own mix of the other values; then every base_delay, factor and max_delay
# together back off over the longest run. Simplest first: the first run that goes wrong is small.
BASE_DELAYS = [0.25, 1, 3]
FACTORS = [1.5, 2, 4]
MAX_DELAYS = [None, 0, 0.5, 2, 5]
RETRY_ONS = [KeyError, LookupError, (KeyError, OSError), (OSError, LookupError)]
SHAPES = [
    (attempts, ["retryable"] * failures + end)
    for attempts in range(1, 7)
    for failures in range(attempts + 1)
    for end in (["other"], ["ok"], [])
    if failures or end
]
MODEL_RUNS = [
    (
        attempts,
        script,
        BASE_DELAYS[n // 5 % 3],
        FACTORS[n // 15 % 3],
        MAX_DELAYS[n % 5],
        RETRY_ONS[n % 4],
    )
    for n, (attempts, script) in enumerate(SHAPES)
] + [
    (6, ["retryable"] * 6 + ["ok"], base_delay, factor, max_delay, RETRY_ONS[n % 4])
    for n, (base_delay, factor, max_delay) in enumerate(
        (b, f, m) for b in BASE_DELAYS for f in FACTORS for m in MAX_DELAYS
    )
]


def test_every_run_follows_the_model(make_log, model):
    """Calls, on_retry calls, waits and outcome follow the stage-1 and stage-2 rules."""
    for attempts, script, base_delay, factor, max_delay, retry_on in MODEL_RUNS:
        log = make_log()
        kwargs = {
            "attempts": attempts,
            "base_delay": base_delay,
            "factor": factor,
            "max_delay": max_delay,
        }
        outcomes = model.outcomes(script)
        f = log.retried(
            retry, *outcomes, retry_on=retry_on, sleep=log.sleep, on_retry=log.on_retry, **kwargs
        )
        kind, value = log.run(f)
        model.check(log, outcomes, kwargs, kind, value)
