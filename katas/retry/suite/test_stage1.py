"""Stage 1: retry and back off."""

import inspect
import time

import pytest
from retry import retry

pytestmark = pytest.mark.stage(1)

BACKOFF = (
    "after failed attempt k (counting from 1) that is not the last, it waits by calling "
    "sleep(delay) with delay = base_delay * factor ** (k - 1)"
)
RESULT = "it returns the first result that did not raise: the same object"
LAST = "when every attempt fails, the last attempt's exception is raised: the same exception object"
NO_EXTRA = "it never waits before the first attempt or after the last"
ONLY = "a given sleep is the only way it waits: time.sleep and asyncio.sleep are then never called"


def test_returns_first_result_that_did_not_raise(log):
    """The first result that did not raise is returned: the very same object."""
    result = log.Token("result")
    f = log.retried(retry, ValueError("1"), ValueError("2"), result, attempts=3, sleep=log.sleep)
    log.run(f)
    log.expect(log.returned(result), RESULT, expected=f"returned {result!r}")
    log.expect(
        log.calls == 3,
        "it calls the original until one call does not raise",
        expected="3 calls of f",
    )


def test_arguments_and_keyword_arguments_are_passed_through(log):
    """Every attempt gets the very same positional and keyword arguments."""
    a, b, c = log.Token("a"), [1], {"k": "v"}
    f = log.retried(
        retry,
        ValueError(),
        ValueError(),
        "ok",
        attempts=3,
        sleep=log.sleep,
        call="f(a, [1], key={'k': 'v'})",
    )
    log.run(f, a, b, key=c)
    rule = "the decorated function passes its arguments through to the original"
    log.expect(log.returned("ok"), RESULT, expected="returned 'ok'")
    calls = [e for e in log.events if e[0] == "call"]
    log.expect(len(calls) == 3, rule, expected="3 calls of f")
    for n, (_, args, kwargs) in enumerate(calls, start=1):
        ok = len(args) == 2 and args[0] is a and args[1] is b
        ok = ok and list(kwargs) == ["key"] and kwargs["key"] is c
        log.expect(
            ok,
            rule,
            expected="every call gets (a, [1], key={'k': 'v'}), the same objects",
            got=f"call {n} got args {args!r}, kwargs {kwargs!r}",
        )


def test_a_falsy_result_is_a_success(make_log):
    """A result that is None, 0 or empty did not raise: it is returned at once."""
    for result in [None, 0, False, "", []]:
        log = make_log()
        f = log.retried(retry, result, "other", attempts=3, sleep=log.sleep)
        log.run(f)
        log.expect(
            log.returned(result) and log.calls == 1 and log.waits == [],
            f"{RESULT}, even a falsy one: no wait, no further attempt",
            expected=f"1 call of f, slept [], then returned {result!r}",
        )


def test_success_on_first_attempt_calls_once_and_never_waits(log):
    """A first attempt that succeeds is the only call, with no wait at all."""
    result = log.Token("result")
    f = log.retried(retry, result, attempts=5, sleep=log.sleep)
    log.run(f)
    log.expect(
        log.returned(result) and log.calls == 1 and log.waits == [],
        f"{RESULT}; {NO_EXTRA}",
        expected=f"1 call of f, slept [], then returned {result!r}",
    )


def test_calls_at_most_attempts_times(log):
    """A function that always fails is called exactly `attempts` times in all."""
    f = log.retried(retry, ValueError(), attempts=4, base_delay=1, sleep=log.sleep)
    log.run(f)
    log.expect(
        log.calls == 4,
        "it calls the original up to `attempts` times in all",
        expected="4 calls of f",
    )


def test_waits_follow_base_delay_times_factor_power(make_log):
    """The wait after failed attempt k is base_delay * factor ** (k - 1), factor 1.5 included."""
    for base_delay, factor, waits in [
        (0.25, 3, [0.25, 0.75, 2.25, 6.75]),
        (1.0, 1.5, [1.0, 1.5, 2.25, 3.375]),
    ]:
        log = make_log()
        f = log.retried(
            retry, ValueError(), attempts=5, base_delay=base_delay, factor=factor, sleep=log.sleep
        )
        log.run(f)
        log.check_waits(waits, BACKOFF)


def test_defaults_are_three_attempts_from_one_tenth_doubling(log):
    """retry() defaults to attempts=3, base_delay=0.1, factor=2: waits 0.1 then 0.2."""
    f = log.retried(retry, ValueError(), sleep=log.sleep)
    log.run(f)
    rule = "the defaults are attempts=3, base_delay=0.1, factor=2.0"
    log.expect(log.calls == 3, rule, expected="3 calls of f")
    log.check_waits([0.1, 0.2], rule)


def test_no_wait_before_first_attempt_or_after_last(make_log):
    """Calls and waits alternate: call, wait, call, wait, call; then the exception, or the
    result and no further wait or call."""
    log = make_log()
    f = log.retried(retry, ValueError(), attempts=3, base_delay=1, sleep=log.sleep)
    log.run(f)
    want = ["call", "sleep", "call", "sleep", "call"]
    log.expect(
        log.kinds() == want, NO_EXTRA, expected=", ".join(want), got=f"{log.order()} ({log.did()})"
    )
    log = make_log()
    f = log.retried(retry, ValueError(), KeyError(), 7, attempts=5, base_delay=1, sleep=log.sleep)
    log.run(f)
    want = ["call", "sleep", "call", "sleep", "call"]
    log.expect(
        log.returned(7) and log.kinds() == want,
        f"{RESULT}; after it, no further wait or call",
        expected=f"{', '.join(want)}, then returned 7",
        got=f"{log.order()} ({log.did()})",
    )
    log.check_waits([1, 2], BACKOFF)


def test_raises_the_last_attempts_exception_object(make_log):
    """When every attempt fails, the last attempt's exception object itself is raised,
    whatever its type: StopIteration and friends come out as themselves, not a RuntimeError."""
    log = make_log()
    errors = [ValueError("first"), KeyError("second"), OSError("third")]
    f = log.retried(retry, *errors, attempts=3, sleep=log.sleep)
    log.run(f)
    log.expect(
        log.raised(errors[-1]), LAST, expected=f"raised {errors[-1]!r} (the object of attempt 3)"
    )
    for last in [
        StopIteration("done"),
        StopIteration(),
        StopAsyncIteration("done"),
        ExceptionGroup("several", [ValueError(1), KeyError(2)]),
        NeedsTwo(503, "busy"),
        RecursionError("deep"),
    ]:
        log = make_log()
        f = log.retried(retry, ValueError("first"), last, attempts=3, sleep=log.sleep)
        log.run(f)
        log.expect(
            log.raised(last),
            f"{LAST}, whatever its type (StopIteration included)",
            expected=f"raised {last!r} (the object of attempt 3)",
        )
        log.expect(
            log.calls == 3,
            "it calls the original up to `attempts` times in all",
            expected="3 calls of f",
        )


class NeedsTwo(Exception):
    """An exception whose constructor takes two arguments: it cannot be re-made from args."""

    def __init__(self, code, reason):
        super().__init__(f"{code} {reason}")
        self.code = code


def test_single_attempt_calls_once_and_raises_without_waiting(log):
    """attempts=1 calls once, never waits, and raises that attempt's exception."""
    error = ValueError("only")
    f = log.retried(retry, error, attempts=1, sleep=log.sleep)
    log.run(f)
    log.expect(
        log.calls == 1 and log.waits == [] and log.raised(error),
        f"{LAST}; {NO_EXTRA}",
        expected="1 call of f, slept [], then raised ValueError('only')",
    )


def test_every_call_of_the_decorated_function_starts_afresh(log):
    """Each call of the decorated function gets all its attempts and waits from base_delay."""
    f = log.retried(
        retry, ValueError(), attempts=3, base_delay=1, factor=2, sleep=log.sleep, call="f() twice"
    )
    log.run(f)
    log.run(f)
    rule = (
        "every call of the decorated function makes up to `attempts` calls, "
        "backing off from base_delay"
    )
    log.expect(log.calls == 6, rule, expected="6 calls of f")
    log.check_waits([1, 2, 1, 2], rule)


def test_one_decorator_serves_several_functions(log):
    """The decorator that retry(...) returns can decorate several functions independently."""
    log.input = (
        "d = retry(attempts=2, base_delay=1, sleep=sleep); d(g)() then d(f)(), where g "
        "raises ValueError() on every call and f returns <ok>"
    )
    decorator = log.build(retry, log.input, attempts=2, base_delay=1, sleep=log.sleep)
    result = log.Token("ok")
    ok = log.build(lambda: decorator, log.input, log.script(result))
    bad = log.build(lambda: decorator, log.input, log.script(ValueError()))
    first = log.run(bad)
    second = log.run(ok)
    log.expect(
        first[0] == "raised" and log.returned(result) and log.calls == 3,
        "every function the decorator decorates gets its own attempts",
        expected="d(g)() raises ValueError() after 2 calls; d(f)() returns <ok> after 1",
        got=f"d(g)() {first[0]} {first[1]!r}, d(f)() {second[0]} {second[1]!r}, "
        f"{log.calls} calls in all",
    )


class SleepList(list):
    """A recording sleep that is a list: falsy until it has recorded a wait."""

    def __call__(self, delay, /):
        self.append(delay)


def test_a_given_sleep_is_the_only_wait(make_log, monkeypatch):
    """With a given sleep, no time.sleep or asyncio.sleep besides it, however it is reached;
    a given sleep is the one that waits even when it is falsy (an empty list-like recorder)."""
    for base_delay in [0.001, 0]:
        log = make_log()
        with log.SleepSpy(monkeypatch) as spy:
            f = log.retried(retry, ValueError(), attempts=3, base_delay=base_delay, sleep=log.sleep)
            log.run(f)
        log.expect(
            not spy.calls,
            ONLY,
            expected="sleep(delay) alone, never time.sleep",
            got=f"{log.did()}; and {spy}",
        )
        log.check_waits([base_delay, 2 * base_delay], BACKOFF)
    log = make_log()
    recorder = SleepList()
    with log.SleepSpy(monkeypatch) as spy:
        f = log.retried(retry, ValueError(), attempts=3, base_delay=0.001, sleep=recorder)
        log.run(f)
    ok = len(recorder) == 2 and all(map(log.is_number, recorder)) and recorder == [0.001, 0.002]
    log.expect(
        ok and not spy.calls,
        f"{ONLY}; a given sleep is used even when it is falsy (here an empty list)",
        expected="recorder called with 0.001 then 0.002; time.sleep never called",
        got=f"recorder called with {list(recorder)}; {spy}",
    )


@pytest.mark.timeout(5)
def test_sleep_none_waits_with_time_sleep(make_log, monkeypatch):
    """With sleep=None the waits are calls of time.sleep (a few milliseconds in all)."""
    calls = []

    def fails():
        calls.append(time.monotonic())
        raise ValueError

    shown = (
        "retry(attempts=3, base_delay=0.002, factor=2)(f), then f(), where f raises "
        "ValueError() on every call"
    )
    f = make_log.build(retry, shown, fails, attempts=3, base_delay=0.002, factor=2)
    with make_log.SleepSpy(monkeypatch, real=True) as spy:
        start = time.monotonic()
        outcome = make_log().run(f)
        elapsed = time.monotonic() - start
    rule = "with sleep=None it waits with time.sleep"
    got = (
        f"{len(calls)} calls of f, {spy}; the run took {elapsed:.4f} s, "
        f"then {outcome[0]} {outcome[1]!r}"
    )
    slept = spy.of("time.sleep")  # "?" for a call through a name bound at import
    right = len(slept) == 2 and all(
        d == "?" or (make_log.is_number(d) and d == want)
        for d, want in zip(slept, [0.002, 0.004], strict=True)
    )
    if len(calls) != 3 or spy.of("asyncio.sleep") or not right:
        make_log.report(
            rule, shown, got, expected="3 calls, time.sleep(0.002) then time.sleep(0.004)"
        )
    if elapsed < 0.006 - 1e-4 or calls[2] - calls[1] < 0.004 - 1e-4:
        make_log.report(
            f"{rule}: the waits really last 0.002 s then 0.004 s",
            shown,
            got,
            expected="at least 0.006 s in all, 0.004 s between calls 2 and 3",
        )


def test_keeps_name_qualname_doc_and_wrapped(make_log):
    """The decorated function keeps __name__, __qualname__, __doc__ and has __wrapped__."""

    def fetch_user(user_id):
        """Fetch a user by id."""
        return user_id

    decorated = make_log.build(
        retry,
        'retry()(fetch_user), where def fetch_user(user_id): """Fetch a user by id."""',
        fetch_user,
    )
    got = {
        "__name__": getattr(decorated, "__name__", None),
        "__qualname__": getattr(decorated, "__qualname__", None),
        "__doc__": getattr(decorated, "__doc__", None),
        "__wrapped__": getattr(decorated, "__wrapped__", None),
    }
    want = {
        "__name__": "fetch_user",
        "__qualname__": fetch_user.__qualname__,
        "__doc__": "Fetch a user by id.",
        "__wrapped__": fetch_user,
    }
    for name, value in want.items():
        ok = got[name] is value if name == "__wrapped__" else got[name] == value
        if not ok:
            make_log.report(
                "the decorated function keeps the original's __name__, __qualname__, __doc__, "
                "and has __wrapped__ (as functools.wraps gives)",
                'retry()(fetch_user), where def fetch_user(user_id): """Fetch a user by id."""',
                f"{name} = {got[name]!r}",
                expected=f"{name} = {value!r}",
            )


def test_decorated_plain_function_is_plain_and_returns_directly(log):
    """Decorating a plain function gives a plain function whose call returns the value."""
    result = log.Token("result")
    f = log.retried(retry, result, sleep=log.sleep)
    log.expect(
        not inspect.iscoroutinefunction(f),
        "decorating a plain function gives a plain function, not a coroutine function",
        got="inspect.iscoroutinefunction(retry(...)(f)) is True",
    )
    log.run(f)
    log.expect(log.returned(result), RESULT, expected=f"returned {result!r}")


# Every value the model test draws from, and every run shape those values can make: for each
# number of attempts 1-6, 0 to attempts + 1 failures before the result (more than that runs
# like attempts + 1). Simplest first, so the first run that goes wrong is a small one.
BASE_DELAYS = [0.25, 0.5, 1, 3]
FACTORS = [1.5, 2, 3, 4.0]
MODEL_RUNS = [
    (attempts, failures, BASE_DELAYS[n], FACTORS[(n + attempts + failures) % 4])
    for attempts in range(1, 7)
    for failures in range(attempts + 2)
    for n in range(4)
] + [  # every base_delay with every factor, over the longest run: 5 waits, then the error
    (6, 7, base_delay, factor) for base_delay in BASE_DELAYS for factor in FACTORS
]


def test_calls_and_waits_follow_the_model(make_log):
    """For any attempts and failures, calls, waits and outcome follow the stage-1 rules."""
    for attempts, failures, base_delay, factor in MODEL_RUNS:
        log = make_log()
        errors = [ValueError(i) for i in range(failures)]
        result = log.Token("result")
        f = log.retried(
            retry,
            *errors,
            result,
            attempts=attempts,
            base_delay=base_delay,
            factor=factor,
            sleep=log.sleep,
        )
        log.run(f)
        calls = min(attempts, failures + 1)
        log.expect(
            log.calls == calls,
            "it calls the original up to `attempts` times in all, until one call does not raise",
            expected=f"{calls} calls of f",
        )
        log.check_waits([base_delay * factor ** (k - 1) for k in range(1, calls)], BACKOFF)
        if failures < attempts:
            log.expect(log.returned(result), RESULT, expected=f"returned {result!r}")
        else:
            last = errors[attempts - 1]
            log.expect(log.raised(last), LAST, expected=f"raised {last!r}")
