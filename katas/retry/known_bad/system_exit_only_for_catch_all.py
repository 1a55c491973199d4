"""Lets SystemExit through unless retry_on is BaseException itself ("exit() means stop"):
retry_on=(OSError, SystemExit) names SystemExit, so it must be retried too.

Caught by: stage 2

"""

import asyncio
import functools
import inspect
import math
import random
import time
from collections.abc import Callable
from typing import Any


def retry(
    *,
    attempts: int = 3,
    base_delay: float = 0.1,
    factor: float = 2.0,
    max_delay: float | None = None,
    jitter: bool = False,
    retry_on: type[BaseException] | tuple[type[BaseException], ...] = Exception,
    sleep: Callable[[float], Any] | None = None,
    on_retry: Callable[[int, BaseException, float], Any] | None = None,
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Return a decorator that calls the function up to `attempts` times.

    After failed attempt k (not the last) it waits
    `min(max_delay, base_delay * factor ** (k - 1))` seconds, or a uniform draw
    from [0, that] with `jitter`. Instances of `retry_on` are retried, whatever
    their type, except that a coroutine function never retries
    `asyncio.CancelledError`; the last exception is re-raised unchanged, whatever
    its type. A given `sleep` is the only way it waits.
    """
    # Validate here, at retry(...) time, not when the function is decorated or called.
    if attempts < 1:
        raise ValueError(f"attempts must be at least 1, got {attempts!r}")
    if base_delay < 0:
        raise ValueError(f"base_delay must be >= 0, got {base_delay!r}")
    if factor < 1:
        raise ValueError(f"factor must be >= 1, got {factor!r}")
    if max_delay is not None and max_delay < 0:
        raise ValueError(f"max_delay must be >= 0, got {max_delay!r}")

    def delay_after(attempt: int, exc: BaseException) -> float:
        """The wait after failed `attempt`; tells on_retry before anyone waits."""
        try:
            delay = base_delay * factor ** (attempt - 1)
        except OverflowError:  # factor ** (attempt - 1) is beyond float range
            delay = math.inf if base_delay else 0.0
        if max_delay is not None:
            delay = min(max_delay, delay)
        if jitter:  # "full jitter": anywhere in [0, delay], spreads out a herd of clients
            delay = random.uniform(0, delay)
        if on_retry is not None:
            on_retry(attempt, exc, delay)
        return delay

    def decorate(fn: Callable[..., Any]) -> Callable[..., Any]:
        if inspect.iscoroutinefunction(fn):

            @functools.wraps(fn)
            async def async_wrapper(*args: Any, **kwargs: Any) -> Any:
                for attempt in range(1, attempts):
                    try:
                        return await fn(*args, **kwargs)
                    except retry_on as exc:
                        if isinstance(exc, asyncio.CancelledError):
                            raise  # cancellation means "stop now", even if retry_on matches it
                        delay = delay_after(attempt, exc)
                    # Wait outside the except block: nothing raised while waiting is chained to exc.
                    pause = asyncio.sleep(delay) if sleep is None else sleep(delay)
                    if inspect.isawaitable(pause):
                        await pause
                return await fn(*args, **kwargs)  # the last attempt: whatever it raises propagates

            return async_wrapper

        @functools.wraps(fn)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            for attempt in range(1, attempts):
                try:
                    return fn(*args, **kwargs)
                except retry_on as exc:
                    if isinstance(exc, SystemExit) and retry_on is not BaseException:
                        raise  # exit() stops the program unless everything is retried
                    delay = delay_after(attempt, exc)
                # time.sleep is looked up at call time, so a monkeypatched one is used.
                (time.sleep if sleep is None else sleep)(delay)
            return fn(*args, **kwargs)

        return wrapper

    return decorate
