"""Catches everything with a bare `except:` and retries it all: retry_on is never
looked at, so KeyboardInterrupt and SystemExit are retried too.

Caught by: stage 2
"""

import asyncio
import functools
import inspect
import random
import sys
import time


def retry(*, attempts=3, base_delay=0.1, factor=2.0, max_delay=None, jitter=False,
          retry_on=Exception, sleep=None, on_retry=None):
    if attempts < 1 or base_delay < 0 or factor < 1 or (max_delay is not None and max_delay < 0):
        raise ValueError("invalid retry settings")

    def wait_for(k):
        try:
            d = base_delay * factor ** (k - 1)
        except OverflowError:
            d = float("inf")
        if max_delay is not None:
            d = min(d, max_delay)
        return random.uniform(0, d) if jitter else d

    def decorate(fn):
        if inspect.iscoroutinefunction(fn):
            @functools.wraps(fn)
            async def async_wrapper(*args, **kwargs):
                for k in range(1, attempts + 1):
                    try:
                        return await fn(*args, **kwargs)
                    except asyncio.CancelledError:
                        raise
                    except:  # noqa: E722
                        if k == attempts:
                            raise
                        d = wait_for(k)
                        if on_retry:
                            on_retry(k, sys.exc_info()[1], d)
                    r = asyncio.sleep(d) if sleep is None else sleep(d)
                    if inspect.isawaitable(r):
                        await r
            return async_wrapper

        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            for k in range(1, attempts + 1):
                try:
                    return fn(*args, **kwargs)
                except:  # noqa: E722
                    if k == attempts:
                        raise
                    d = wait_for(k)
                    if on_retry:
                        on_retry(k, sys.exc_info()[1], d)
                (sleep or time.sleep)(d)

        return wrapper

    return decorate
