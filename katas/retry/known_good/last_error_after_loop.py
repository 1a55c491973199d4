"""Loop with the wait at the top (skipped for the first attempt), the last exception
kept in a variable and raised after the loop, retry_on checked with isinstance in a
broad handler, and the two wrappers built by one factory.
"""

import asyncio
import functools
import inspect
import random
import time


def retry(*, attempts=3, base_delay=0.1, factor=2.0, max_delay=None, jitter=False,
          retry_on=Exception, sleep=None, on_retry=None):
    problems = []
    if attempts < 1:
        problems.append("attempts < 1")
    if base_delay < 0:
        problems.append("base_delay < 0")
    if factor < 1:
        problems.append("factor < 1")
    if max_delay is not None and max_delay < 0:
        problems.append("max_delay < 0")
    if problems:
        raise ValueError("invalid retry(): " + ", ".join(problems))

    def capped(k):
        try:
            raw = base_delay * float(factor) ** (k - 1)
        except OverflowError:
            raw = float("inf") if base_delay else 0.0
        return raw if max_delay is None else min(raw, max_delay)

    def must_raise(exc):
        return isinstance(exc, asyncio.CancelledError) or not isinstance(exc, retry_on)

    def make(fn, is_async):
        def announce(k, exc):
            delay = capped(k)
            if jitter:
                delay = random.uniform(0.0, delay)
            if on_retry is not None:
                on_retry(k, exc, delay)
            return delay

        if is_async:
            async def wrapper(*args, **kwargs):
                last = None
                for k in range(1, attempts + 1):
                    if last is not None:
                        delay = announce(k - 1, last)
                        last = None
                        if sleep is None:
                            await asyncio.sleep(delay)
                        else:
                            maybe = sleep(delay)
                            if inspect.isawaitable(maybe):
                                await maybe
                    try:
                        return await fn(*args, **kwargs)
                    except BaseException as exc:
                        if must_raise(exc) or k == attempts:
                            raise
                        last = exc
        else:
            def wrapper(*args, **kwargs):
                last = None
                for k in range(1, attempts + 1):
                    if last is not None:
                        delay = announce(k - 1, last)
                        last = None
                        (time.sleep if sleep is None else sleep)(delay)
                    try:
                        return fn(*args, **kwargs)
                    except BaseException as exc:
                        if must_raise(exc) or k == attempts:
                            raise
                        last = exc
        return functools.wraps(fn)(wrapper)

    def decorate(fn):
        return make(fn, inspect.iscoroutinefunction(fn))

    return decorate
