"""Waits at the top of the loop, before every attempt, the first one included; the
delays are right otherwise, and there is no wait after the last attempt.

Caught by: stage 1
"""

import asyncio
import functools
import inspect
import random
import time


def retry(*, attempts=3, base_delay=0.1, factor=2.0, max_delay=None, jitter=False,
          retry_on=Exception, sleep=None, on_retry=None):
    if attempts < 1 or base_delay < 0 or factor < 1 or (max_delay is not None and max_delay < 0):
        raise ValueError("invalid retry settings")

    def delay_for(k):
        try:
            delay = base_delay * factor ** (k - 1)
        except OverflowError:
            delay = float("inf")
        if max_delay is not None:
            delay = min(delay, max_delay)
        return random.uniform(0, delay) if jitter else delay

    def decorate(fn):
        if inspect.iscoroutinefunction(fn):
            @functools.wraps(fn)
            async def async_wrapper(*args, **kwargs):
                error, delay = None, 0
                for attempt in range(1, attempts + 1):
                    pause = asyncio.sleep(delay) if sleep is None else sleep(delay)
                    if inspect.isawaitable(pause):
                        await pause
                    try:
                        return await fn(*args, **kwargs)
                    except asyncio.CancelledError:
                        raise
                    except retry_on as exc:
                        error = exc
                        if attempt < attempts:
                            delay = delay_for(attempt)
                            if on_retry:
                                on_retry(attempt, exc, delay)
                raise error
            return async_wrapper

        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            error, delay = None, 0
            for attempt in range(1, attempts + 1):
                (sleep or time.sleep)(delay)
                try:
                    return fn(*args, **kwargs)
                except retry_on as exc:
                    error = exc
                    if attempt < attempts:
                        delay = delay_for(attempt)
                        if on_retry:
                            on_retry(attempt, exc, delay)
            raise error

        return wrapper

    return decorate
