"""Retries by recursion instead of a loop: every retry adds stack frames, so a long run
(1,100 attempts) ends in RecursionError.

Caught by: stage 3
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
            d = base_delay * factor ** (k - 1)
        except OverflowError:
            d = float("inf")
        if max_delay is not None:
            d = min(d, max_delay)
        return random.uniform(0, d) if jitter else d

    def decorate(fn):
        if inspect.iscoroutinefunction(fn):
            async def go(k, args, kwargs):
                try:
                    return await fn(*args, **kwargs)
                except asyncio.CancelledError:
                    raise
                except retry_on as exc:
                    if k == attempts:
                        raise
                    d = delay_for(k)
                    if on_retry:
                        on_retry(k, exc, d)
                r = asyncio.sleep(d) if sleep is None else sleep(d)
                if inspect.isawaitable(r):
                    await r
                return await go(k + 1, args, kwargs)

            @functools.wraps(fn)
            async def aw(*args, **kwargs):
                return await go(1, args, kwargs)
            return aw

        def go(k, args, kwargs):
            try:
                return fn(*args, **kwargs)
            except retry_on as exc:
                if k == attempts:
                    raise
                d = delay_for(k)
                if on_retry:
                    on_retry(k, exc, d)
            (sleep or time.sleep)(d)
            return go(k + 1, args, kwargs)

        @functools.wraps(fn)
        def w(*args, **kwargs):
            return go(1, args, kwargs)
        return w
    return decorate
