"""Keeps the attempt counter in the decorator's closure: it is never reset, so the
second call of the decorated function starts where the first one stopped.

Caught by: stage 1
"""

import asyncio
import functools
import inspect
import random
import time


def retry(*, attempts=3, base_delay=0.1, factor=2.0, max_delay=None, jitter=False,
          retry_on=Exception, sleep=None, on_retry=None):
    if attempts < 1:
        raise ValueError("attempts must be >= 1")
    if base_delay < 0:
        raise ValueError("base_delay must be >= 0")
    if factor < 1:
        raise ValueError("factor must be >= 1")
    if max_delay is not None and max_delay < 0:
        raise ValueError("max_delay must be >= 0")

    def decorate(fn):
        attempt = 0
        delay = base_delay

        def next_delay(exc):
            nonlocal delay
            wait = delay if max_delay is None else min(max_delay, delay)
            if max_delay is None or delay < max_delay:
                delay *= factor
            if jitter:
                wait = random.uniform(0, wait)
            if on_retry:
                on_retry(attempt, exc, wait)
            return wait

        if inspect.iscoroutinefunction(fn):
            @functools.wraps(fn)
            async def async_wrapper(*args, **kwargs):
                nonlocal attempt
                while True:
                    attempt += 1
                    try:
                        return await fn(*args, **kwargs)
                    except asyncio.CancelledError:
                        raise
                    except retry_on as exc:
                        if attempt >= attempts:
                            raise
                        wait = next_delay(exc)
                    result = asyncio.sleep(wait) if sleep is None else sleep(wait)
                    if inspect.isawaitable(result):
                        await result
            return async_wrapper

        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            nonlocal attempt
            while True:
                attempt += 1
                try:
                    return fn(*args, **kwargs)
                except retry_on as exc:
                    if attempt >= attempts:
                        raise
                    wait = next_delay(exc)
                (sleep or time.sleep)(wait)

        return wrapper

    return decorate
