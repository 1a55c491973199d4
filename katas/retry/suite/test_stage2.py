"""Stage 2: what to retry, a cap on the delay, on_retry."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from retry import retry

pytestmark = pytest.mark.stage(2)

CAP = "max_delay caps every delay: min(max_delay, base_delay * factor ** (k - 1))"


class Halt(BaseException):
    """A BaseException that is not an Exception."""


def test_an_instance_of_retry_on_is_retried(log):
    """With retry_on=ValueError, ValueErrors are retried until a success."""
    f = retry(attempts=3, retry_on=ValueError, sleep=log.sleep)(
        log.script(ValueError(), ValueError(), "ok")
    )
    assert log.run(f) == ("returned", "ok"), (
        "an exception that is an instance of retry_on is retried"
    )
    assert log.calls == 3, f"expected 3 calls, got {log.calls}"


def test_other_exception_propagates_at_once(log):
    """An exception that is not an instance of retry_on: no wait, no further attempt."""
    error = TypeError("not retryable")
    f = retry(attempts=5, retry_on=ValueError, sleep=log.sleep, on_retry=log.on_retry)(
        log.script(error, "ok")
    )
    kind, value = log.run(f)
    assert kind == "raised" and value is error, (
        "an exception that is not an instance of retry_on propagates at once: the same object"
    )
    assert log.calls == 1, (
        f"an exception not in retry_on gets no further attempt, got {log.calls} calls"
    )
    assert log.waits == [], (
        f"an exception not in retry_on propagates with no wait, got waits {log.waits}"
    )
    assert log.retries == [], "on_retry is called only before a wait; there is none here"


def test_a_tuple_retry_on_retries_each_of_its_classes(log):
    """retry_on=(ValueError, KeyError) retries both classes."""
    f = retry(attempts=4, retry_on=(ValueError, KeyError), sleep=log.sleep)(
        log.script(KeyError("k"), ValueError("v"), KeyError("k2"), "ok")
    )
    assert log.run(f) == ("returned", "ok"), (
        "retry_on may be a tuple: an instance of any of its classes is retried"
    )
    assert log.calls == 4, f"expected 4 calls, got {log.calls}"


def test_a_tuple_retry_on_lets_other_exceptions_through(log):
    """retry_on=(ValueError, KeyError): an OSError propagates at once."""
    error = OSError("disk")
    f = retry(attempts=4, retry_on=(ValueError, KeyError), sleep=log.sleep)(
        log.script(ValueError(), error, "ok")
    )
    kind, value = log.run(f)
    assert kind == "raised" and value is error, (
        "an exception that is not an instance of retry_on propagates at once: the same object"
    )
    assert log.calls == 2, (
        "a non-retryable exception on attempt 2 gets no further attempt: expected 2 calls, "
        f"got {log.calls}"
    )
    log.check_waits([0.1], "only the retryable failure of attempt 1 is followed by a wait")


@pytest.mark.parametrize(
    ("retry_on", "errors"),
    [
        (LookupError, [KeyError("k"), IndexError(3)]),
        (OSError, [ConnectionResetError(), TimeoutError()]),
        (
            (ArithmeticError, ValueError),
            [ZeroDivisionError(), UnicodeDecodeError("utf-8", b"", 0, 1, "x")],
        ),
    ],
    ids=["LookupError", "OSError", "tuple"],
)
def test_subclasses_of_retry_on_are_retried(log, retry_on, errors):
    """An instance of a subclass of retry_on is an instance of retry_on, so it is retried."""
    f = retry(attempts=3, retry_on=retry_on, sleep=log.sleep)(log.script(*errors, "ok"))
    outcome = log.run(f)
    assert outcome == ("returned", "ok"), (
        f"only an exception that is an instance of retry_on is retried, and a subclass counts: "
        f"{', '.join(type(e).__name__ for e in errors)} with retry_on={retry_on!r} "
        "should be retried; "
        f"got {outcome[0]} {outcome[1]!r}"
    )


@pytest.mark.parametrize("error_type", [KeyboardInterrupt, SystemExit, Halt])
def test_base_exception_propagates_at_once_with_default_retry_on(log, error_type):
    """KeyboardInterrupt, SystemExit: not an Exception, so never retried by default."""
    error = error_type()
    f = retry(attempts=3, sleep=log.sleep, on_retry=log.on_retry)(log.script(error, "ok"))
    kind, value = log.run(f)
    assert kind == "raised" and value is error, (
        f"with the default retry_on=Exception, a {error_type.__name__} propagates at once: "
        f"the same object (got {kind} {value!r})"
    )
    assert log.calls == 1, (
        f"with the default retry_on=Exception, a {error_type.__name__} gets no further attempt, "
        f"got {log.calls} calls"
    )
    assert log.waits == [] and log.retries == [], (
        f"with the default retry_on=Exception, a {error_type.__name__} propagates with no wait"
    )


def test_retry_on_base_exception_retries_any_exception(log):
    """With retry_on=BaseException, a BaseException subclass is retried like any other."""
    f = retry(attempts=3, retry_on=BaseException, sleep=log.sleep)(log.script(Halt(), "ok"))
    assert log.run(f) == ("returned", "ok"), (
        "an exception that is an instance of retry_on is retried: Halt(BaseException) with "
        "retry_on=BaseException"
    )


def test_max_delay_caps_every_delay(log):
    """base_delay=1, factor=2, max_delay=5: waits 1, 2, 4, 5, 5, 5."""
    f = retry(attempts=7, base_delay=1, factor=2, max_delay=5, sleep=log.sleep)(
        log.script(ValueError())
    )
    log.run(f)
    log.check_waits([1, 2, 4, 5, 5, 5], CAP)


def test_max_delay_below_base_delay_caps_the_first_wait(log):
    """base_delay=2, max_delay=0.5: every wait is 0.5, the first one included."""
    f = retry(attempts=3, base_delay=2, max_delay=0.5, sleep=log.sleep)(log.script(ValueError()))
    log.run(f)
    log.check_waits([0.5, 0.5], CAP)


def test_max_delay_zero_caps_every_delay_to_zero(log):
    """max_delay=0 is a cap like any other: every wait is 0 (sleep(0) is still called)."""
    f = retry(attempts=4, base_delay=1, factor=2, max_delay=0, sleep=log.sleep)(
        log.script(ValueError())
    )
    log.run(f)
    log.check_waits([0, 0, 0], CAP + "; max_delay=0 gives waits of 0")


def test_max_delay_with_a_fractional_cap(log):
    """base_delay=0.5, factor=3, max_delay=1.25: waits 0.5, 1.25, 1.25."""
    f = retry(attempts=4, base_delay=0.5, factor=3, max_delay=1.25, sleep=log.sleep)(
        log.script(ValueError())
    )
    log.run(f)
    log.check_waits([0.5, 1.25, 1.25], CAP)


def test_no_max_delay_means_no_cap(log):
    """max_delay=None: waits grow without bound, 1, 10, 100, 1000."""
    f = retry(attempts=5, base_delay=1, factor=10, sleep=log.sleep)(log.script(ValueError()))
    log.run(f)
    log.check_waits([1, 10, 100, 1000], "without max_delay, delays are not capped")


def test_on_retry_is_called_before_every_wait(log):
    """on_retry(attempt, exc, delay) comes right before each wait, never after the last attempt."""
    errors = [ValueError("a"), KeyError("b"), OSError("c")]
    f = retry(attempts=3, base_delay=1, factor=2, sleep=log.sleep, on_retry=log.on_retry)(
        log.script(*errors)
    )
    log.run(f)
    expected = ["call", "on_retry", "sleep", "call", "on_retry", "sleep", "call"]
    assert log.kinds() == expected, (
        "on_retry is called once before every wait: expected "
        f"{', '.join(expected)}; got {', '.join(log.kinds())}"
    )
    retries = log.retries
    for k, args in enumerate(retries, start=1):
        assert len(args) == 3, (
            f"on_retry is called as on_retry(attempt, exc, delay), got {len(args)} arguments"
        )
        attempt, exc, delay = args
        assert isinstance(attempt, int) and attempt == k, (
            f"on_retry gets the number of the attempt that failed, counting from 1: expected {k}, "
            f"got {attempt!r}"
        )
        assert exc is errors[k - 1], (
            f"on_retry gets the exception of the attempt that failed: the same object "
            f"(expected {errors[k - 1]!r}, got {exc!r})"
        )
        assert log.is_number(delay) and delay == 2 ** (k - 1), (
            f"on_retry gets the delay about to be waited: expected {2 ** (k - 1)}, got {delay!r}"
        )


def test_on_retry_gets_the_capped_delay(log):
    """on_retry's delay is the capped delay, the same as the wait that follows."""
    f = retry(
        attempts=4, base_delay=1, factor=4, max_delay=3, sleep=log.sleep, on_retry=log.on_retry
    )(log.script(ValueError()))
    log.run(f)
    delays = [args[2] for args in log.retries]
    assert delays == [1, 3, 3] and all(log.is_number(d) for d in delays), (
        "on_retry gets the delay about to be waited, capped by max_delay: expected [1, 3, 3], "
        f"got {delays}"
    )


def test_on_retry_is_not_called_when_nothing_is_waited(log):
    """No on_retry for a success on the first attempt, nor for a non-retryable exception."""
    f = retry(attempts=3, retry_on=KeyError, sleep=log.sleep, on_retry=log.on_retry)(
        log.script("ok")
    )
    log.run(f)
    g = retry(attempts=3, retry_on=KeyError, sleep=log.sleep, on_retry=log.on_retry)(
        log.script(ValueError())
    )
    log.run(g)
    assert log.retries == [], "on_retry is called only before a wait, and there was none"


@settings(max_examples=40)
@given(
    attempts=st.integers(1, 6),
    script=st.lists(st.sampled_from(["retryable", "other", "ok"]), min_size=1, max_size=7),
    base_delay=st.sampled_from([0.25, 1, 3]),
    factor=st.sampled_from([1.5, 2, 4]),
    max_delay=st.sampled_from([None, 0, 0.5, 2, 5]),
    retry_on=st.sampled_from([KeyError, LookupError, (KeyError, OSError), (OSError, LookupError)]),
)
def test_every_run_follows_the_model(
    make_log, model, attempts, script, base_delay, factor, max_delay, retry_on
):
    """Calls, on_retry calls, waits and outcome follow the stage-1 and stage-2 rules."""
    log = make_log()
    kwargs = {
        "attempts": attempts,
        "base_delay": base_delay,
        "factor": factor,
        "max_delay": max_delay,
    }
    outcomes = model.outcomes(script)
    f = retry(retry_on=retry_on, sleep=log.sleep, on_retry=log.on_retry, **kwargs)(
        log.script(*outcomes)
    )
    kind, value = log.run(f)
    model.check(log, outcomes, kwargs, kind, value)
