"""Stage 4: coroutine functions."""

import asyncio
import inspect
import time

import pytest
from retry import retry

pytestmark = pytest.mark.stage(4)

BACKOFF = "async: after failed attempt k it waits min(max_delay, base_delay * factor ** (k - 1))"
NEVER = (
    "asyncio.CancelledError raised during an attempt or a wait is never retried: "
    "it propagates at once"
)
ASYNC = (
    "decorating an async def function gives an async def function "
    "(inspect.iscoroutinefunction is true) with the same rules"
)
AWAITS = (
    "between attempts it awaits asyncio.sleep(delay) when sleep is None; a given sleep is "
    "called with the delay and its result awaited when it is awaitable"
)
ONLY = "a given sleep is the only way it waits: time.sleep and asyncio.sleep are then never called"


class Halt(BaseException):
    """A BaseException that is not an Exception."""


class Pause:
    """An awaitable that is not a coroutine: records the delay when awaited."""

    def __init__(self, log, delay):
        self.log, self.delay = log, delay

    def __await__(self):
        self.log.events.append(("sleep", self.delay))
        return iter(())


async def _settle(task, timeout=0.5):
    """Wait for task to finish; if it will not, cancel it until it does. Returns True if it
    finished within timeout on its own."""
    done, _ = await asyncio.wait({task}, timeout=timeout)
    for _ in range(10):
        if task.done():
            break
        task.cancel()
        await asyncio.wait({task}, timeout=0.2)
    if task.done() and not task.cancelled():
        task.exception()  # retrieved, so asyncio does not log "never retrieved"
    return bool(done)


async def _start(log, f, event, shown):
    """create_task(f()), then wait (up to 1 s) for `event`, or until the task ends without
    setting it; fails in the usual shape."""
    try:
        task = asyncio.create_task(f())
    except Exception as exc:
        log.report(ASYNC, shown, f"create_task(f()) raised {exc!r}")
    if event is not None:
        waiter = asyncio.ensure_future(event.wait())
        await asyncio.wait({waiter, task}, timeout=1, return_when=asyncio.FIRST_COMPLETED)
        if not waiter.done():
            waiter.cancel()
            if task.done():
                got = (
                    f"the task ended before its first call (or its first wait) got under way: "
                    f"{_state(task, True)}"
                )
            else:
                task.cancel()
                got = "after 1 s the function had not started its first call (or its first wait)"
            log.report(ASYNC, shown, got, expected="it starts at once")
    return task


def _state(task, finished):
    """How a task that was cancelled ended, for a message."""
    if not task.done():
        return "still running (cancelled again and again)"
    if task.cancelled():
        return "cancelled" + ("" if finished else " only after more cancels")
    error = task.exception()
    return f"done, raised {error!r}" if error else f"done, returned {task.result()!r}"


def test_decorating_async_def_gives_async_def(make_log):
    """inspect.iscoroutinefunction is true of the decorated coroutine function."""

    async def fetch(x):
        """Fetch x."""
        return x

    shown = 'retry()(fetch), where async def fetch(x): """Fetch x."""'
    decorated = make_log.build(retry, shown, fetch)
    if not inspect.iscoroutinefunction(decorated):
        make_log.report(
            ASYNC, shown, f"inspect.iscoroutinefunction(...) is False for {decorated!r}"
        )
    got = {
        name: getattr(decorated, name, None)
        for name in ("__name__", "__qualname__", "__doc__", "__wrapped__")
    }
    want = {
        "__name__": "fetch",
        "__qualname__": fetch.__qualname__,
        "__doc__": "Fetch x.",
        "__wrapped__": fetch,
    }
    for name, value in want.items():
        ok = got[name] is value if name == "__wrapped__" else got[name] == value
        if not ok:
            make_log.report(
                f"{ASYNC}: it keeps __name__, __qualname__, __doc__ and has __wrapped__",
                shown,
                f"{name} = {got[name]!r}",
                expected=f"{name} = {value!r}",
            )


def test_decorating_a_plain_function_still_gives_a_plain_function(log):
    """Async support does not change plain functions: the call returns the value directly."""
    result = log.Token("result")
    f = log.retried(retry, ValueError(), result, sleep=log.sleep)
    log.expect(
        not inspect.iscoroutinefunction(f),
        "decorating a plain function gives a plain function, not a coroutine function",
        got="inspect.iscoroutinefunction(retry(...)(f)) is True",
    )
    log.run(f)
    log.expect(
        log.returned(result),
        "calling a decorated plain function returns the result directly",
        expected=f"returned {result!r}",
    )


@pytest.mark.asyncio
@pytest.mark.usefixtures("instant_asyncio_sleep")
async def test_async_returns_first_result_and_passes_arguments(log):
    """Awaiting the decorated function returns the first result that did not raise."""
    result, arg, kwarg = log.Token("result"), log.Token("arg"), log.Token("kwarg")
    f = log.retried(
        retry,
        ValueError(),
        result,
        is_async=True,
        call="f(arg, key=kwarg)",
        attempts=3,
        sleep=log.sleep,
    )
    await log.arun(f, arg, key=kwarg)
    log.expect(
        log.returned(result) and log.calls == 2,
        f"{ASYNC}: it returns the first result that did not raise, the same object",
        expected=f"2 calls of f, then returned {result!r}",
    )
    for n, (_, args, kwargs) in enumerate((e for e in log.events if e[0] == "call"), start=1):
        ok = (
            len(args) == 1 and args[0] is arg and list(kwargs) == ["key"] and kwargs["key"] is kwarg
        )
        log.expect(
            ok,
            f"{ASYNC}: it passes its arguments through to the original",
            expected="every call gets (arg, key=kwarg), the same objects",
            got=f"call {n} got args {args!r}, kwargs {kwargs!r}",
        )


@pytest.mark.asyncio
@pytest.mark.usefixtures("instant_asyncio_sleep")
async def test_async_waits_and_on_retry_follow_the_rules_with_a_sync_sleep(log):
    """A sync sleep is called with each capped delay, after on_retry, never after the last."""
    errors = [ValueError("a"), KeyError("b"), OSError("c"), ValueError("d")]
    f = log.retried(
        retry,
        *errors,
        is_async=True,
        attempts=4,
        base_delay=0.25,
        factor=3,
        max_delay=2,
        sleep=log.sleep,
        on_retry=log.on_retry,
    )
    await log.arun(f)
    log.expect(
        log.raised(errors[-1]),
        f"{ASYNC}: when every attempt fails, the last attempt's exception is raised",
        expected=f"raised {errors[-1]!r}",
    )
    expected = ["call", "on_retry", "sleep"] * 3 + ["call"]
    log.expect(
        log.kinds() == expected,
        f"{ASYNC}: on_retry then a wait after each failed attempt but the last",
        expected=", ".join(expected),
        got=f"{log.order()} ({log.did()})",
    )
    log.check_waits([0.25, 0.75, 2], BACKOFF)
    for k, args in enumerate(log.retries, start=1):
        want = (k, errors[k - 1], log.waits[k - 1])
        ok = len(args) == 3 and log.is_number(args[0]) and args[0] == k
        ok = ok and args[1] is errors[k - 1] and log.is_number(args[2]) and args[2] == want[2]
        log.expect(
            ok,
            f"{ASYNC}: on_retry(attempt, exc, delay) gets the attempt that failed, "
            "its exception and the delay about to be waited",
            expected=f"on_retry{want!r}",
            got=f"on_retry called with {args!r}",
        )


@pytest.mark.asyncio
@pytest.mark.usefixtures("instant_asyncio_sleep")
async def test_async_awaits_an_async_sleep(log):
    """A given `async def` sleep is called with the delay and awaited."""
    f = log.retried(
        retry,
        ValueError(),
        is_async=True,
        attempts=3,
        base_delay=1,
        factor=2,
        sleep=log.async_sleep,
    )
    await log.arun(f)
    log.expect(
        log.kinds() == ["call", "sleep", "call", "sleep", "call"],
        AWAITS,
        expected="call, sleep, call, sleep, call (async_sleep records a wait when awaited)",
        got=f"{log.order()} ({log.did()})",
    )
    log.check_waits([1, 2], BACKOFF)


@pytest.mark.asyncio
@pytest.mark.timeout(3)
async def test_async_given_sleep_is_the_only_wait(make_log, monkeypatch):
    """Async with a given sleep: no asyncio.sleep or time.sleep besides it, however reached."""
    for async_sleep in [False, True]:
        log = make_log()
        sleep = log.async_sleep if async_sleep else log.sleep
        f = log.retried(
            retry, ValueError(), is_async=True, attempts=3, base_delay=0.001, sleep=sleep
        )
        with log.SleepSpy(monkeypatch) as spy:
            await log.arun(f)
        log.expect(
            not spy.calls, ONLY, expected="the given sleep alone", got=f"{log.did()}; and {spy}"
        )
        log.check_waits([0.001, 0.002], BACKOFF)


@pytest.mark.asyncio
@pytest.mark.usefixtures("instant_asyncio_sleep")
async def test_async_awaits_any_awaitable_that_sleep_returns(log):
    """A sleep that returns an awaitable that is not a coroutine: the result is awaited."""

    def pause(delay):
        return Pause(log, delay)

    f = log.retried(
        retry, ValueError(), is_async=True, attempts=3, base_delay=1, factor=2, sleep=pause
    )
    await log.arun(f)
    log.check_waits([1, 2], f"{AWAITS} (any awaitable, not only a coroutine)")


@pytest.mark.asyncio
@pytest.mark.timeout(5)
async def test_async_sleep_none_awaits_asyncio_sleep_without_blocking(log):
    """With sleep=None it really waits, and another task makes progress during the wait."""
    ticks = 0

    async def ticker():
        nonlocal ticks
        while True:
            ticks += 1
            await asyncio.sleep(0)

    seen = []

    async def fails():
        seen.append(ticks)
        raise ValueError("down")

    shown = (
        "retry(attempts=3, base_delay=0.002, factor=2)(f), then await f(), where async def f "
        "raises ValueError('down') on every call, while another task ticks"
    )
    f = log.build(retry, shown, fails, attempts=3, base_delay=0.002, factor=2)

    task = asyncio.create_task(ticker())
    start = time.monotonic()
    try:
        kind, value = await log.arun(f)
    finally:
        elapsed = time.monotonic() - start
        task.cancel()
    got = (
        f"{len(seen)} calls of f (the other task had ticked {seen} times at each), the run "
        f"took {elapsed:.4f} s, then {kind} {value!r}"
    )
    if not (kind == "raised" and type(value) is ValueError and len(seen) == 3):
        log.report(AWAITS, shown, got, expected="3 calls, then raised ValueError('down')")
    if elapsed < 0.006 - 1e-4:
        log.report(
            f"{AWAITS}: the waits really last 0.002 s then 0.004 s",
            shown,
            got,
            expected="at least 0.006 s in all",
        )
    if not seen[0] < seen[1] < seen[2]:
        log.report(
            f"{AWAITS}: asyncio.sleep does not block the event loop (time.sleep does)",
            shown,
            got,
            expected="the other task makes progress during each wait",
        )


@pytest.mark.asyncio
@pytest.mark.usefixtures("instant_asyncio_sleep")
async def test_async_only_retries_instances_of_retry_on(log):
    """Async: subclasses of retry_on are retried; other exceptions propagate at once."""
    f = log.retried(
        retry,
        KeyError(),
        IndexError(),
        "ok",
        is_async=True,
        attempts=4,
        retry_on=LookupError,
        sleep=log.sleep,
    )
    await log.arun(f)
    log.expect(
        log.returned("ok"),
        f"{ASYNC}: an exception that is an instance of retry_on (a subclass counts) is retried",
        expected="3 calls of f, then returned 'ok'",
    )
    log.events.clear()
    log.calls = 0
    error = TypeError("no")
    g = log.retried(
        retry, KeyError(), error, is_async=True, attempts=4, retry_on=LookupError, sleep=log.sleep
    )
    await log.arun(g)
    log.expect(
        log.raised(error) and log.kinds() == ["call", "sleep", "call"],
        f"{ASYNC}: any other exception propagates at once, no wait, no further attempt",
        expected="call, sleep, call, then raised TypeError('no')",
        got=f"{log.order()} ({log.did()})",
    )


@pytest.mark.asyncio
@pytest.mark.usefixtures("instant_asyncio_sleep")
async def test_async_base_exception_is_not_retried_by_default(log):
    """Async, default retry_on=Exception: a BaseException that is not an Exception propagates."""
    error = Halt()
    f = log.retried(retry, error, "ok", is_async=True, attempts=3, sleep=log.sleep)
    await log.arun(f)
    log.expect(
        log.raised(error) and log.calls == 1,
        f"{ASYNC}: with the default retry_on=Exception, a BaseException that is not an "
        "Exception propagates at once",
        expected=f"1 call of f, then raised {error!r}",
    )


@pytest.mark.asyncio
@pytest.mark.usefixtures("instant_asyncio_sleep")
async def test_async_jitter_stays_within_the_capped_delay(log, seeded_random):
    """Async with jitter: every wait lies in [0, capped delay], and waits vary."""
    f = log.retried(
        retry,
        ValueError(),
        is_async=True,
        attempts=41,
        base_delay=1,
        factor=2,
        max_delay=4,
        jitter=True,
        sleep=log.sleep,
    )
    await log.arun(f)
    waits = log.waits
    rule = (
        f"{ASYNC}: jitter=True uses full jitter, every wait drawn uniformly from "
        "[0, capped delay], so waits vary"
    )
    log.expect(len(waits) == 40, rule, expected="40 waits")
    for k, w in enumerate(waits, start=1):
        cap = min(4, 2 ** (k - 1))
        if not (log.is_number(w) and 0 <= w <= cap):
            log.fail(
                rule,
                expected=f"the wait after attempt {k} in [0, {cap}]",
                got=f"the wait after attempt {k} was {w!r} ({log.did()})",
            )
    log.expect(
        len(set(waits)) > 30 and min(waits[2:]) < 2 < max(waits[2:]),
        rule,
        expected="waits of different values, spread over the whole of [0, 4]",
    )


@pytest.mark.asyncio
@pytest.mark.usefixtures("instant_asyncio_sleep")
async def test_async_many_attempts_cap_without_overflow(log):
    """Async, attempts=1100, factor=2, max_delay=1: from the cap on every delay is exactly 1."""
    f = log.retried(
        retry, ValueError(), is_async=True, attempts=1100, factor=2, max_delay=1, sleep=log.sleep
    )
    _, value = await log.arun(f)
    rule = (
        f"{ASYNC}: any number of attempts works; with attempts=1100, factor=2, max_delay=1 "
        "every delay from the cap on is exactly 1, with no OverflowError"
    )
    log.expect(not isinstance(value, OverflowError), rule, expected="no OverflowError")
    log.check_waits([0.1, 0.2, 0.4, 0.8] + [1] * 1095, rule)


@pytest.mark.asyncio
@pytest.mark.usefixtures("instant_asyncio_sleep")
async def test_cancelled_error_raised_by_an_attempt_is_never_retried(make_log):
    """An attempt that raises CancelledError: it propagates at once, whatever retry_on says."""
    for retry_on in [
        Exception,
        BaseException,
        asyncio.CancelledError,
        (ValueError, asyncio.CancelledError),
    ]:
        log = make_log()
        error = asyncio.CancelledError()
        f = log.retried(
            retry,
            error,
            "ok",
            is_async=True,
            attempts=3,
            retry_on=retry_on,
            sleep=log.sleep,
            on_retry=log.on_retry,
        )
        await log.arun(f)
        log.expect(
            log.raised(error) and log.kinds() == ["call"],
            NEVER,
            expected=(
                "1 call of f, no wait, no on_retry, then raised CancelledError() (that object)"
            ),
            got=f"{log.order()} ({log.did()})",
        )


@pytest.mark.asyncio
@pytest.mark.timeout(5)
async def test_cancelling_the_task_during_an_attempt_propagates(log):
    """The task is cancelled while an attempt awaits: CancelledError, no further attempt."""
    started = asyncio.Event()
    calls = 0

    async def blocks():
        nonlocal calls
        calls += 1
        if calls == 1:
            started.set()
            await asyncio.Event().wait()  # blocks until cancelled
        return "ok"

    shown = (
        "task = create_task(f()) with f = retry(attempts=3, retry_on=BaseException, "
        "sleep=sleep)(async def f that blocks on its first call), then task.cancel() "
        "during that first call"
    )
    f = log.build(retry, shown, blocks, attempts=3, retry_on=BaseException, sleep=log.sleep)
    task = await _start(log, f, started, shown)
    task.cancel()
    finished = await _settle(task)
    got = (
        f"after 0.5 s the task was {_state(task, finished)}; {calls} calls of f, slept {log.waits}"
    )
    if not (finished and task.cancelled() and calls == 1 and log.waits == []):
        log.report(NEVER, shown, got, expected="the task cancelled at once, 1 call, no wait")


@pytest.mark.asyncio
@pytest.mark.timeout(5)
async def test_cancelling_the_task_during_a_given_sleep_propagates(log):
    """The task is cancelled while it awaits the given sleep: CancelledError, no more attempts."""
    waiting = asyncio.Event()

    async def slow_sleep(delay):
        log.events.append(("sleep", delay))
        if not waiting.is_set():
            waiting.set()
            await asyncio.Event().wait()  # the first wait lasts until cancelled

    shown = (
        "task = create_task(f()) with f = retry(attempts=3, retry_on=BaseException, "
        "sleep=slow_sleep, on_retry=on_retry)(async def f that raises ValueError()), then "
        "task.cancel() while the first wait (slow_sleep) is awaited"
    )
    f = log.build(
        retry,
        shown,
        log.ascript(ValueError()),
        attempts=3,
        retry_on=BaseException,
        sleep=slow_sleep,
        on_retry=log.on_retry,
    )
    task = await _start(log, f, waiting, shown)
    task.cancel()
    finished = await _settle(task)
    got = f"after 0.5 s the task was {_state(task, finished)}; {log.order()}"
    if not (finished and task.cancelled() and log.kinds() == ["call", "on_retry", "sleep"]):
        log.report(
            NEVER,
            shown,
            got,
            expected="the task cancelled at once after call, on_retry, sleep; no further call",
        )


@pytest.mark.asyncio
@pytest.mark.timeout(3)
async def test_cancelling_the_task_during_asyncio_sleep_propagates(log, monkeypatch):
    """With sleep=None, cancelling the task during asyncio.sleep cancels it at once."""
    blocking = []  # an attempt that waits with time.sleep would block here for 10 s
    monkeypatch.setattr(time, "sleep", blocking.append)
    shown = (
        "task = create_task(f()) with f = retry(attempts=3, base_delay=10, factor=1, "
        "retry_on=BaseException, on_retry=on_retry)(async def f that raises ValueError()), "
        "then task.cancel() during the first wait (asyncio.sleep(10))"
    )
    f = log.build(
        retry,
        shown,
        log.ascript(ValueError()),
        attempts=3,
        base_delay=10,
        factor=1,
        retry_on=BaseException,
        on_retry=log.on_retry,
    )
    task = await _start(log, f, None, shown)
    for _ in range(100):
        if log.calls:
            break
        await asyncio.sleep(0)
    if log.calls != 1:
        waited = f"; it waited with time.sleep{tuple(blocking)!r}" if blocking else ""
        log.report(
            NEVER,
            shown,
            f"{log.calls} calls of f before the cancel{waited}",
            expected="the first attempt runs, then the wait starts",
        )
    task.cancel()
    finished = await _settle(task)
    got = f"after 0.5 s the task was {_state(task, finished)}; {log.calls} calls of f"
    if not (finished and task.cancelled() and log.calls == 1):
        log.report(NEVER, shown, got, expected="the task cancelled at once, no further call")


# The async model test's values: every run shape (j retryable failures, then another exception,
# a result, or nothing more; j from 0 to attempts) with a sync and an async sleep, each with its
# own mix of base_delay, factor and max_delay; then every base_delay, factor and max_delay
# together over the longest run. Simplest first: the first run that goes wrong is small.
BASE_DELAYS = [0, 0.25, 1]
FACTORS = [1, 1.5, 2]
MAX_DELAYS = [None, 0, 0.5, 2]
SHAPES = [
    (attempts, ["retryable"] * failures + end)
    for attempts in range(1, 6)
    for failures in range(attempts + 1)
    for end in (["other"], ["ok"], [])
    if failures or end
]
MODEL_RUNS = [
    (
        attempts,
        script,
        BASE_DELAYS[n // 4 % 3],
        FACTORS[n // 12 % 3],
        MAX_DELAYS[n % 4],
        async_sleep,
    )
    for n, (attempts, script) in enumerate(SHAPES)
    for async_sleep in (False, True)
] + [
    (5, ["retryable"] * 5 + ["ok"], base_delay, factor, max_delay, async_sleep)
    for base_delay in BASE_DELAYS
    for factor in FACTORS
    for max_delay in MAX_DELAYS
    for async_sleep in (False, True)
]


@pytest.mark.asyncio
@pytest.mark.usefixtures("instant_asyncio_sleep")
async def test_async_runs_follow_the_same_rules(make_log, model):
    """Async: calls, on_retry calls, waits and outcome follow the same model as plain functions."""
    for attempts, script, base_delay, factor, max_delay, async_sleep in MODEL_RUNS:
        log = make_log()
        kwargs = {"attempts": attempts, "base_delay": base_delay, "factor": factor}
        kwargs["max_delay"] = max_delay
        outcomes = model.outcomes(script)
        sleep = log.async_sleep if async_sleep else log.sleep
        f = log.retried(
            retry,
            *outcomes,
            is_async=True,
            retry_on=KeyError,
            sleep=sleep,
            on_retry=log.on_retry,
            **kwargs,
        )
        log.expect(
            inspect.iscoroutinefunction(f),
            ASYNC,
            got="inspect.iscoroutinefunction(retry(...)(f)) is False",
        )
        kind, value = await log.arun(f)
        model.check(log, outcomes, kwargs, kind, value)
