"""Remembers only the first failure and raises it at the end, instead of the last
attempt's exception.

Caught by: stage 1
"""

import asyncio
import functools
import inspect
import random
import time


def retry(*, attempts=3, base_delay=0.1, factor=2.0, max_delay=None, jitter=False,
          retry_on=Exception, sleep=None, on_retry=None):
    if attempts < 1 or base_delay < 0 or factor < 1:
        raise ValueError("invalid retry settings")
    if max_delay is not None and max_delay < 0:
        raise ValueError("max_delay must be >= 0")

    def delays():
        delay = base_delay
        while True:
            capped = delay if max_delay is None else min(delay, max_delay)
            yield random.uniform(0, capped) if jitter else capped
            if max_delay is None or delay < max_delay:
                delay *= factor

    def decorate(fn):
        if inspect.iscoroutinefunction(fn):
            @functools.wraps(fn)
            async def async_wrapper(*args, **kwargs):
                first_error = None
                waits = delays()
                for attempt in range(1, attempts + 1):
                    try:
                        return await fn(*args, **kwargs)
                    except asyncio.CancelledError:
                        raise
                    except retry_on as exc:
                        first_error = first_error or exc
                        if attempt == attempts:
                            break
                        delay = next(waits)
                        if on_retry:
                            on_retry(attempt, exc, delay)
                    pause = asyncio.sleep(delay) if sleep is None else sleep(delay)
                    if inspect.isawaitable(pause):
                        await pause
                raise first_error
            return async_wrapper

        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            first_error = None
            waits = delays()
            for attempt in range(1, attempts + 1):
                try:
                    return fn(*args, **kwargs)
                except retry_on as exc:
                    first_error = first_error or exc
                    if attempt == attempts:
                        break
                    delay = next(waits)
                    if on_retry:
                        on_retry(attempt, exc, delay)
                (sleep or time.sleep)(delay)
            raise first_error

        return wrapper

    return decorate
