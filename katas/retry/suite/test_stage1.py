"""Stage 1: retry and back off."""

import inspect
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from retry import retry

pytestmark = pytest.mark.stage(1)

BACKOFF = "after failed attempt k (not the last) it waits sleep(base_delay * factor ** (k - 1))"


def test_returns_first_result_that_did_not_raise(log):
    """The first result that did not raise is returned: the very same object."""
    result = object()
    f = retry(attempts=3, sleep=log.sleep)(log.script(ValueError("1"), ValueError("2"), result))
    outcome = log.run(f)
    assert outcome[0] == "returned", (
        "the decorated function returns the first result that did not raise; "
        f"it raised {outcome[1]!r}"
    )
    assert outcome[1] is result, (
        "the decorated function returns the first result that did not raise: the same object"
    )
    assert log.calls == 3, f"two failures then a success take 3 calls, got {log.calls}"


def test_arguments_and_keyword_arguments_are_passed_through(log):
    """Every attempt gets the very same positional and keyword arguments."""
    a, b, c = object(), [1], {"k": "v"}
    f = retry(attempts=3, sleep=log.sleep)(log.script(ValueError(), ValueError(), "ok"))
    assert log.run(f, a, b, key=c)[1] == "ok", (
        "the third attempt succeeds and its result is returned"
    )
    calls = [e for e in log.events if e[0] == "call"]
    assert len(calls) == 3, f"expected 3 calls, got {len(calls)}"
    for n, (_, args, kwargs) in enumerate(calls, start=1):
        assert len(args) == 2 and args[0] is a and args[1] is b, (
            f"the decorated function passes its positional arguments through to the original "
            f"(attempt {n})"
        )
        assert list(kwargs) == ["key"] and kwargs["key"] is c, (
            f"the decorated function passes its keyword arguments through to the original "
            f"(attempt {n})"
        )


@pytest.mark.parametrize("result", [None, 0, False, "", []], ids=repr)
def test_a_falsy_result_is_a_success(log, result):
    """A result that is None, 0 or empty did not raise: it is returned at once."""
    f = retry(attempts=3, sleep=log.sleep)(log.script(result, "other"))
    outcome = log.run(f)
    assert outcome[0] == "returned" and outcome[1] is result, (
        f"the first result that did not raise is returned, even a falsy one like {result!r}; "
        f"got {outcome[0]} {outcome[1]!r}"
    )
    assert log.calls == 1 and log.waits == [], (
        f"a call that returns {result!r} did not fail: no wait, no further attempt"
    )


def test_success_on_first_attempt_calls_once_and_never_waits(log):
    """A first attempt that succeeds is the only call, with no wait at all."""
    result = object()
    f = retry(attempts=5, sleep=log.sleep)(log.script(result))
    assert log.run(f) == ("returned", result), "a first attempt that succeeds returns its result"
    assert log.calls == 1, f"a first attempt that succeeds is the only call, got {log.calls} calls"
    assert log.waits == [], f"it never waits before the first attempt, got waits {log.waits}"


def test_calls_at_most_attempts_times(log):
    """A function that always fails is called exactly `attempts` times in all."""
    f = retry(attempts=4, base_delay=1, sleep=log.sleep)(log.script(ValueError()))
    log.run(f)
    assert log.calls == 4, f"it calls the original up to attempts=4 times in all, got {log.calls}"


def test_waits_follow_base_delay_times_factor_power(log):
    """The wait after failed attempt k is base_delay * factor ** (k - 1)."""
    f = retry(attempts=5, base_delay=0.25, factor=3, sleep=log.sleep)(log.script(ValueError()))
    log.run(f)
    log.check_waits([0.25, 0.75, 2.25, 6.75], BACKOFF)


def test_waits_with_a_fractional_factor(log):
    """A factor of 1.5 gives waits 1, 1.5, 2.25, 3.375 from base_delay=1."""
    f = retry(attempts=5, base_delay=1.0, factor=1.5, sleep=log.sleep)(log.script(ValueError()))
    log.run(f)
    log.check_waits([1.0, 1.5, 2.25, 3.375], BACKOFF)


def test_defaults_are_three_attempts_from_one_tenth_doubling(log):
    """retry() defaults to attempts=3, base_delay=0.1, factor=2: waits 0.1 then 0.2."""
    f = retry(sleep=log.sleep)(log.script(ValueError()))
    log.run(f)
    assert log.calls == 3, f"the default is attempts=3, got {log.calls} calls"
    log.check_waits([0.1, 0.2], "the defaults base_delay=0.1, factor=2.0 give waits 0.1 then 0.2")


def test_no_wait_before_first_attempt_or_after_last(log):
    """Calls and waits alternate: call, wait, call, wait, call; then the exception."""
    f = retry(attempts=3, base_delay=1, sleep=log.sleep)(log.script(ValueError()))
    log.run(f)
    assert log.kinds() == ["call", "sleep", "call", "sleep", "call"], (
        "it never waits before the first attempt or after the last: expected "
        f"call, sleep, call, sleep, call; got {', '.join(log.kinds())}"
    )


def test_waits_between_attempts_then_succeeds(log):
    """Two failures then a success: call, wait, call, wait, call, and the result."""
    f = retry(attempts=5, base_delay=1, sleep=log.sleep)(log.script(ValueError(), KeyError(), 7))
    assert log.run(f) == ("returned", 7), "the third attempt succeeds and its result is returned"
    assert log.kinds() == ["call", "sleep", "call", "sleep", "call"], (
        "after a success there is no further wait or call: expected "
        f"call, sleep, call, sleep, call; got {', '.join(log.kinds())}"
    )
    log.check_waits([1, 2], BACKOFF)


def test_raises_the_last_attempts_exception_object(log):
    """When every attempt fails, the last attempt's exception object itself is raised."""
    errors = [ValueError("first"), KeyError("second"), OSError("third")]
    f = retry(attempts=3, sleep=log.sleep)(log.script(*errors))
    kind, value = log.run(f)
    assert kind == "raised", "when every attempt fails, the last attempt's exception is raised"
    assert value is errors[-1], (
        "when every attempt fails, the last attempt's exception is raised: the same exception "
        f"object (expected the OSError('third') of attempt 3, got {value!r})"
    )


def test_single_attempt_calls_once_and_raises_without_waiting(log):
    """attempts=1 calls once, never waits, and raises that attempt's exception."""
    error = ValueError("only")
    f = retry(attempts=1, sleep=log.sleep)(log.script(error))
    kind, value = log.run(f)
    assert log.calls == 1, f"attempts=1 calls the original once, got {log.calls} calls"
    assert log.waits == [], f"it never waits after the last attempt, got waits {log.waits}"
    assert kind == "raised" and value is error, "the last attempt's exception object is raised"


def test_every_call_of_the_decorated_function_starts_afresh(log):
    """Each call of the decorated function gets all its attempts and waits from base_delay."""
    f = retry(attempts=3, base_delay=1, factor=2, sleep=log.sleep)(log.script(ValueError()))
    log.run(f)
    log.run(f)
    assert log.calls == 6, (
        f"every call of the decorated function makes up to attempts=3 calls; two calls of an "
        f"always-failing function make 6, got {log.calls}"
    )
    log.check_waits([1, 2, 1, 2], "every call of the decorated function backs off from base_delay")


def test_one_decorator_serves_several_functions(log):
    """The decorator that retry(...) returns can decorate several functions independently."""
    decorator = retry(attempts=2, base_delay=1, sleep=log.sleep)
    ok = decorator(log.script("ok"))
    bad = decorator(log.script(ValueError()))
    assert log.run(bad)[0] == "raised", "a function that always fails raises its exception"
    assert log.run(ok) == ("returned", "ok"), "a function that succeeds returns its result"
    assert log.calls == 3, (
        f"expected 2 calls of the failing function and 1 of the other, got {log.calls}"
    )


@pytest.mark.timeout(5)
def test_sleep_none_really_waits_with_time_sleep():
    """With sleep=None the waits really happen (time.sleep): a few milliseconds in all."""
    calls = []

    @retry(attempts=3, base_delay=0.002, factor=2)
    def f():
        calls.append(time.monotonic())
        raise ValueError

    start = time.monotonic()
    with pytest.raises(ValueError):
        f()
    elapsed = time.monotonic() - start
    assert len(calls) == 3, f"expected 3 calls, got {len(calls)}"
    assert elapsed >= 0.006 - 1e-4, (
        "with sleep=None it waits with time.sleep: waits of 0.002 s and 0.004 s should take at "
        f"least 0.006 s, took {elapsed:.6f} s"
    )
    gap = calls[2] - calls[1]
    assert gap >= 0.004 - 1e-4, (
        "with sleep=None it waits with time.sleep: the second wait should be 0.004 s, "
        f"was {gap:.6f} s"
    )


@pytest.mark.timeout(3)
def test_a_given_sleep_is_the_only_wait(log, monkeypatch):
    """With a given sleep, waits go to it alone: time.sleep is not called as well."""
    real_sleeps = []
    monkeypatch.setattr(time, "sleep", real_sleeps.append)
    f = retry(attempts=3, base_delay=100, sleep=log.sleep)(log.script(ValueError()))
    log.run(f)
    assert real_sleeps == [], (
        f"a given sleep replaces time.sleep: it waits by calling sleep(delay) only, but "
        f"time.sleep was called with {real_sleeps}"
    )
    log.check_waits([100, 200], BACKOFF)


def test_keeps_name_qualname_doc_and_wrapped():
    """The decorated function keeps __name__, __qualname__, __doc__ and has __wrapped__."""

    def fetch_user(user_id):
        """Fetch a user by id."""
        return user_id

    decorated = retry()(fetch_user)
    assert decorated.__name__ == "fetch_user", (
        "the decorated function keeps the original's __name__"
    )
    assert decorated.__qualname__ == fetch_user.__qualname__, (
        "the decorated function keeps the original's __qualname__"
    )
    assert decorated.__doc__ == "Fetch a user by id.", (
        "the decorated function keeps the original's __doc__"
    )
    assert getattr(decorated, "__wrapped__", None) is fetch_user, (
        "the decorated function has __wrapped__, the original function (as functools.wraps gives)"
    )


def test_decorated_plain_function_is_plain_and_returns_directly(log):
    """Decorating a plain function gives a plain function whose call returns the value."""
    result = object()
    f = retry(sleep=log.sleep)(log.script(result))
    assert not inspect.iscoroutinefunction(f), (
        "decorating a plain function gives a plain function, not a coroutine function"
    )
    assert log.run(f)[1] is result, "calling it returns the original's result directly"


@settings(max_examples=30)
@given(
    attempts=st.integers(1, 6),
    failures=st.integers(0, 7),
    base_delay=st.sampled_from([0.25, 0.5, 1, 3]),
    factor=st.sampled_from([1.5, 2, 3, 4.0]),
)
def test_calls_and_waits_follow_the_model(make_log, attempts, failures, base_delay, factor):
    """For any attempts and failures, calls, waits and outcome follow the stage-1 rules."""
    log = make_log()
    errors = [ValueError(i) for i in range(failures)]
    result = object()
    f = retry(attempts=attempts, base_delay=base_delay, factor=factor, sleep=log.sleep)(
        log.script(*errors, result)
    )
    kind, value = log.run(f)
    calls = min(attempts, failures + 1)
    assert log.calls == calls, (
        f"expected {calls} calls (attempts={attempts}, {failures} failures), got {log.calls}"
    )
    log.check_waits([base_delay * factor ** (k - 1) for k in range(1, calls)], BACKOFF)
    if failures < attempts:
        assert kind == "returned" and value is result, (
            "the first result that did not raise is returned"
        )
    else:
        assert kind == "raised" and value is errors[attempts - 1], (
            "when every attempt fails, the last attempt's exception object is raised"
        )
