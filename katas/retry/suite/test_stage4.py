"""Stage 4: coroutine functions."""

import asyncio
import inspect
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from retry import retry

pytestmark = pytest.mark.stage(4)

BACKOFF = "async: after failed attempt k it waits min(max_delay, base_delay * factor ** (k - 1))"
NEVER = "asyncio.CancelledError raised during an attempt or a wait is never retried"


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


def test_decorating_async_def_gives_async_def():
    """inspect.iscoroutinefunction is true of the decorated coroutine function."""

    async def fetch(x):
        """Fetch x."""
        return x

    decorated = retry()(fetch)
    assert inspect.iscoroutinefunction(decorated), (
        "decorating an async def function gives an async def function "
        "(inspect.iscoroutinefunction is true)"
    )
    assert decorated.__name__ == "fetch" and decorated.__qualname__ == fetch.__qualname__, (
        "the decorated coroutine function keeps the original's __name__ and __qualname__"
    )
    assert decorated.__doc__ == "Fetch x.", "the decorated coroutine function keeps __doc__"
    assert getattr(decorated, "__wrapped__", None) is fetch, (
        "the decorated coroutine function has __wrapped__, the original (as functools.wraps gives)"
    )


def test_decorating_a_plain_function_still_gives_a_plain_function(log):
    """Async support does not change plain functions: the call returns the value directly."""
    result = object()
    f = retry(sleep=log.sleep)(log.script(ValueError(), result))
    assert not inspect.iscoroutinefunction(f), (
        "decorating a plain function gives a plain function, not a coroutine function"
    )
    outcome = log.run(f)
    assert outcome[1] is result, (
        f"calling a decorated plain function returns the result directly, got {outcome[1]!r}"
    )


@pytest.mark.asyncio
async def test_async_returns_first_result_and_passes_arguments(log):
    """Awaiting the decorated function returns the first result that did not raise."""
    result, arg, kwarg = object(), object(), object()
    f = retry(attempts=3, sleep=log.sleep)(log.ascript(ValueError(), result))
    outcome = await log.arun(f, arg, key=kwarg)
    assert outcome[0] == "returned" and outcome[1] is result, (
        "awaiting the decorated coroutine function returns the first result that did not raise: "
        f"the same object (got {outcome[0]} {outcome[1]!r})"
    )
    for _, args, kwargs in (e for e in log.events if e[0] == "call"):
        assert len(args) == 1 and args[0] is arg and list(kwargs) == ["key"], (
            "the decorated coroutine function passes its arguments through to the original"
        )
        assert kwargs["key"] is kwarg, "keyword arguments are passed through unchanged"
    assert log.calls == 2, f"one failure then a success take 2 calls, got {log.calls}"


@pytest.mark.asyncio
async def test_async_waits_and_on_retry_follow_the_rules_with_a_sync_sleep(log):
    """A sync sleep is called with each capped delay, after on_retry, never after the last."""
    errors = [ValueError("a"), KeyError("b"), OSError("c"), ValueError("d")]
    f = retry(
        attempts=4, base_delay=0.25, factor=3, max_delay=2, sleep=log.sleep, on_retry=log.on_retry
    )(log.ascript(*errors))
    kind, value = await log.arun(f)
    assert kind == "raised" and value is errors[-1], (
        "async: when every attempt fails, the last attempt's exception object is raised "
        f"(got {kind} {value!r})"
    )
    expected = ["call", "on_retry", "sleep"] * 3 + ["call"]
    assert log.kinds() == expected, (
        f"async: on_retry then a wait after each failed attempt but the last: expected "
        f"{', '.join(expected)}; got {', '.join(log.kinds())}"
    )
    log.check_waits([0.25, 0.75, 2], BACKOFF)
    retries = log.retries
    for k, args in enumerate(retries, start=1):
        assert len(args) == 3 and args[0] == k and args[1] is errors[k - 1], (
            f"async: on_retry(attempt, exc, delay) should get attempt {k} and {errors[k - 1]!r}, "
            f"got {args!r}"
        )
        assert log.is_number(args[2]) and args[2] == log.waits[k - 1], (
            f"async: on_retry(attempt, exc, delay) should get ({k}, {errors[k - 1]!r}, "
            f"{log.waits[k - 1]!r}), got {args!r}"
        )


@pytest.mark.asyncio
async def test_async_awaits_an_async_sleep(log):
    """A given `async def` sleep is called with the delay and awaited."""
    f = retry(attempts=3, base_delay=1, factor=2, sleep=log.async_sleep)(log.ascript(ValueError()))
    await log.arun(f)
    assert log.kinds() == ["call", "sleep", "call", "sleep", "call"], (
        "a given sleep is called with the delay and its result awaited when it is awaitable: "
        f"expected call, sleep, call, sleep, call; got {', '.join(log.kinds())}"
    )
    log.check_waits([1, 2], BACKOFF)


@pytest.mark.asyncio
@pytest.mark.timeout(3)
async def test_async_given_sleep_is_the_only_wait(log):
    """Async with a given sleep: no asyncio.sleep besides it (delays of 100 s finish at once)."""
    f = retry(attempts=3, base_delay=100, sleep=log.sleep)(log.ascript(ValueError()))
    try:
        await asyncio.wait_for(log.arun(f), 1)
    except TimeoutError:
        pytest.fail(
            "async: a given sleep is called with the delay instead of asyncio.sleep; with "
            "delays of 100 s and a recording sleep the call should finish at once"
        )
    log.check_waits([100, 200], BACKOFF)


@pytest.mark.asyncio
async def test_async_awaits_any_awaitable_that_sleep_returns(log):
    """A sleep that returns an awaitable that is not a coroutine: the result is awaited."""
    f = retry(attempts=3, base_delay=1, factor=2, sleep=lambda d: Pause(log, d))(
        log.ascript(ValueError())
    )
    await log.arun(f)
    log.check_waits(
        [1, 2],
        "a given sleep is called with the delay and its result awaited when it is awaitable "
        "(any awaitable, not only a coroutine)",
    )


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

    @retry(attempts=3, base_delay=0.002, factor=2)
    async def f():
        seen.append(ticks)
        raise ValueError("down")

    task = asyncio.create_task(ticker())
    start = time.monotonic()
    try:
        kind, value = await log.arun(f)
    finally:
        elapsed = time.monotonic() - start
        task.cancel()
    assert kind == "raised" and type(value) is ValueError, "the last ValueError is raised"
    assert len(seen) == 3, f"expected 3 calls, got {len(seen)}"
    assert elapsed >= 0.006 - 1e-4, (
        "async with sleep=None awaits asyncio.sleep(delay): waits of 0.002 s and 0.004 s should "
        f"take at least 0.006 s, took {elapsed:.6f} s"
    )
    assert seen[0] < seen[1] < seen[2], (
        "async with sleep=None awaits asyncio.sleep(delay), which does not block the event loop: "
        "another task should make progress during each wait (time.sleep blocks it)"
    )


@pytest.mark.asyncio
async def test_async_only_retries_instances_of_retry_on(log):
    """Async: subclasses of retry_on are retried; other exceptions propagate at once."""
    f = retry(attempts=4, retry_on=LookupError, sleep=log.sleep)(
        log.ascript(KeyError(), IndexError(), "ok")
    )
    assert await log.arun(f) == ("returned", "ok"), (
        "async: an exception that is an instance of retry_on (a subclass counts) is retried"
    )
    log.events.clear()
    log.calls = 0
    error = TypeError("no")
    g = retry(attempts=4, retry_on=LookupError, sleep=log.sleep)(log.ascript(KeyError(), error))
    kind, value = await log.arun(g)
    assert kind == "raised" and value is error, (
        "async: an exception that is not an instance of retry_on propagates at once"
    )
    assert log.kinds() == ["call", "sleep", "call"], (
        "async: a non-retryable exception propagates with no wait and no further attempt; "
        f"got {', '.join(log.kinds())}"
    )


@pytest.mark.asyncio
async def test_async_base_exception_is_not_retried_by_default(log):
    """Async, default retry_on=Exception: a BaseException that is not an Exception propagates."""
    error = Halt()
    f = retry(attempts=3, sleep=log.sleep)(log.ascript(error, "ok"))
    kind, value = await log.arun(f)
    assert kind == "raised" and value is error and log.calls == 1, (
        "async: with the default retry_on=Exception, a BaseException that is not an Exception "
        "propagates at once"
    )


@pytest.mark.asyncio
async def test_async_jitter_stays_within_the_capped_delay(log, seeded_random):
    """Async with jitter: every wait lies in [0, capped delay], and waits vary."""
    f = retry(attempts=41, base_delay=1, factor=2, max_delay=4, jitter=True, sleep=log.sleep)(
        log.ascript(ValueError())
    )
    await log.arun(f)
    waits = log.waits
    assert len(waits) == 40, f"attempts=41 makes 40 waits, got {len(waits)}"
    for k, w in enumerate(waits, start=1):
        cap = min(4, 2 ** (k - 1))
        if not (log.is_number(w) and 0 <= w <= cap):
            pytest.fail(
                f"async, jitter=True: the wait after attempt {k} should be in [0, {cap}], got {w!r}"
            )
    assert len(set(waits)) > 30, "async, jitter=True: waits vary from one retry to the next"
    assert min(waits[2:]) < 2 < max(waits[2:]), (
        "async, jitter=True: waits are drawn uniformly from the whole of [0, capped delay]"
    )


@pytest.mark.asyncio
async def test_async_many_attempts_cap_without_overflow(log):
    """Async, attempts=1100, factor=2, max_delay=1: from the cap on every delay is exactly 1."""
    f = retry(attempts=1100, factor=2, max_delay=1, sleep=log.sleep)(log.ascript(ValueError()))
    _, value = await log.arun(f)
    assert not isinstance(value, OverflowError), (
        f"async: any number of attempts works, but attempts=1100 raised OverflowError ({value})"
    )
    log.check_waits([0.1, 0.2, 0.4, 0.8] + [1] * 1095, "async: every delay from the cap on is 1")


@pytest.mark.asyncio
@pytest.mark.parametrize(
    "retry_on",
    [Exception, BaseException, asyncio.CancelledError, (ValueError, asyncio.CancelledError)],
    ids=["Exception", "BaseException", "CancelledError", "tuple"],
)
async def test_cancelled_error_raised_by_an_attempt_is_never_retried(log, retry_on):
    """An attempt that raises CancelledError: it propagates at once, whatever retry_on says."""
    error = asyncio.CancelledError()
    f = retry(attempts=3, retry_on=retry_on, sleep=log.sleep, on_retry=log.on_retry)(
        log.ascript(error, "ok")
    )
    kind, value = await log.arun(f)
    assert kind == "raised" and value is error, (
        f"{NEVER}: it propagates at once (retry_on={retry_on!r}); got {kind} {value!r}"
    )
    assert log.kinds() == ["call"], (
        f"{NEVER}: no wait, no on_retry, no further attempt (retry_on={retry_on!r}); "
        f"got {', '.join(log.kinds())}"
    )


@pytest.mark.asyncio
@pytest.mark.timeout(5)
async def test_cancelling_the_task_during_an_attempt_propagates(log):
    """The task is cancelled while an attempt awaits: CancelledError, no further attempt."""
    started = asyncio.Event()
    calls = 0

    @retry(attempts=3, retry_on=BaseException, sleep=log.sleep)
    async def f():
        nonlocal calls
        calls += 1
        if calls == 1:
            started.set()
            await asyncio.Event().wait()  # blocks until cancelled
        return "ok"

    task = asyncio.create_task(f())
    await asyncio.wait_for(started.wait(), 1)
    task.cancel()
    finished = await _settle(task)
    assert finished and task.cancelled(), (
        f"{NEVER}: cancelling the task while an attempt runs cancels it, even with "
        "retry_on=BaseException"
    )
    assert calls == 1 and log.waits == [], (
        f"{NEVER}: no wait, no further attempt; got {calls} calls, waits {log.waits}"
    )


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

    f = retry(attempts=3, retry_on=BaseException, sleep=slow_sleep, on_retry=log.on_retry)(
        log.ascript(ValueError())
    )
    task = asyncio.create_task(f())
    await asyncio.wait_for(waiting.wait(), 1)
    task.cancel()
    finished = await _settle(task)
    assert finished and task.cancelled(), (
        f"{NEVER}: cancelling the task during a wait cancels it, even with retry_on=BaseException"
    )
    assert log.kinds() == ["call", "on_retry", "sleep"], (
        f"{NEVER}: after a cancelled wait, no further attempt; got {', '.join(log.kinds())}"
    )


@pytest.mark.asyncio
@pytest.mark.timeout(3)
async def test_cancelling_the_task_during_asyncio_sleep_propagates(log):
    """With sleep=None, cancelling the task during asyncio.sleep cancels it at once."""
    f = retry(attempts=3, base_delay=10, factor=1, retry_on=BaseException, on_retry=log.on_retry)(
        log.ascript(ValueError())
    )
    task = asyncio.create_task(f())
    for _ in range(100):
        if log.calls:
            break
        await asyncio.sleep(0)
    assert log.calls == 1, "the first attempt should have run"
    task.cancel()
    finished = await _settle(task)
    assert finished and task.cancelled(), (
        f"{NEVER}: cancelling the task during asyncio.sleep cancels it at once, even with "
        "retry_on=BaseException"
    )
    assert log.calls == 1, f"{NEVER}: no further attempt after a cancelled wait, got {log.calls}"


@settings(max_examples=25)
@given(
    attempts=st.integers(1, 5),
    script=st.lists(st.sampled_from(["retryable", "other", "ok"]), min_size=1, max_size=6),
    base_delay=st.sampled_from([0, 0.25, 1]),
    factor=st.sampled_from([1, 1.5, 2]),
    max_delay=st.sampled_from([None, 0, 0.5, 2]),
    async_sleep=st.booleans(),
)
def test_async_runs_follow_the_same_rules(
    make_log, model, attempts, script, base_delay, factor, max_delay, async_sleep
):
    """Async: calls, on_retry calls, waits and outcome follow the same model as plain functions."""
    log = make_log()
    kwargs = {"attempts": attempts, "base_delay": base_delay, "factor": factor}
    kwargs["max_delay"] = max_delay
    outcomes = model.outcomes(script)
    sleep = log.async_sleep if async_sleep else log.sleep
    f = retry(retry_on=KeyError, sleep=sleep, on_retry=log.on_retry, **kwargs)(
        log.ascript(*outcomes)
    )
    if not inspect.iscoroutinefunction(f):
        pytest.fail("decorating an async def function gives an async def function")
    kind, value = asyncio.run(log.arun(f))
    model.check(log, outcomes, kwargs, kind, value)
