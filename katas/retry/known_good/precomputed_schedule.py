"""The schedule of capped delays is computed once per decorator, as a tuple, by
multiplying step by step and pinning at the cap; each call walks it with enumerate(),
the last attempt paired with None (no wait after it). Jitter is drawn per wait with
random.random(). One plain helper decides after a failure; two thin wrappers wait.
"""

import asyncio
import functools
import inspect
import random
import time


def _schedule(count, base_delay, factor, max_delay):
    delays = []
    delay = base_delay
    for _ in range(count):
        if max_delay is not None and delay >= max_delay:
            delays.extend([max_delay] * (count - len(delays)))
            break
        delays.append(delay)
        delay = delay * factor
    return tuple(delays)


def retry(*, attempts=3, base_delay=0.1, factor=2.0, max_delay=None, jitter=False,
          retry_on=Exception, sleep=None, on_retry=None):
    bad = [name for name, wrong in (
        ("attempts", attempts < 1),
        ("base_delay", base_delay < 0),
        ("factor", factor < 1),
        ("max_delay", max_delay is not None and max_delay < 0),
    ) if wrong]
    if bad:
        raise ValueError(f"invalid value for {', '.join(bad)}")
    schedule = _schedule(attempts - 1, base_delay, factor, max_delay)

    def after_failure(number, exc, delay, is_async):
        """The wait after failed attempt `number`, or None if exc must propagate."""
        if delay is None or not isinstance(exc, retry_on):
            return None
        if is_async and isinstance(exc, asyncio.CancelledError):
            return None
        if jitter:
            delay = random.random() * delay
        if on_retry is not None:
            on_retry(number, exc, delay)
        return delay

    def decorate(fn):
        if inspect.iscoroutinefunction(fn):

            @functools.wraps(fn)
            async def run_async(*args, **kwargs):
                for number, planned in enumerate((*schedule, None), start=1):
                    try:
                        return await fn(*args, **kwargs)
                    except BaseException as exc:
                        delay = after_failure(number, exc, planned, True)
                        if delay is None:
                            raise
                    waiting = asyncio.sleep(delay) if sleep is None else sleep(delay)
                    if inspect.isawaitable(waiting):
                        await waiting
                raise AssertionError("unreachable: the last attempt returns or raises")

            return run_async

        @functools.wraps(fn)
        def run(*args, **kwargs):
            for number, planned in enumerate((*schedule, None), start=1):
                try:
                    return fn(*args, **kwargs)
                except BaseException as exc:
                    delay = after_failure(number, exc, planned, False)
                    if delay is None:
                        raise
                if sleep is None:
                    time.sleep(delay)
                else:
                    sleep(delay)
            raise AssertionError("unreachable: the last attempt returns or raises")

        return run

    return decorate
