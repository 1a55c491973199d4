"""One policy generator drives both wrappers: it is sent each failure and yields the
delay to wait, or stops when the exception must propagate. Jitter comes from
SystemRandom; the cap is checked in log space so the power is never computed
when it would be huge.
"""

import asyncio
import functools
import inspect
import math
import random
import time

_rng = random.SystemRandom()


def retry(*, attempts=3, base_delay=0.1, factor=2.0, max_delay=None, jitter=False,
          retry_on=Exception, sleep=None, on_retry=None):
    for name, value, low in (("attempts", attempts, 1), ("base_delay", base_delay, 0),
                             ("factor", factor, 1)):
        if value < low:
            raise ValueError(f"{name} must be >= {low}, got {value!r}")
    if max_delay is not None and max_delay < 0:
        raise ValueError(f"max_delay must be >= 0, got {max_delay!r}")

    def backoff(k):
        if base_delay == 0 or max_delay == 0:
            return 0.0
        if max_delay is None:
            return base_delay * factor ** (k - 1)
        # Compare exponents first: past the cap, factor ** (k - 1) may not fit in a float.
        if (k - 1) * math.log(factor) >= math.log(max_delay / base_delay):
            return max_delay
        return min(max_delay, base_delay * factor ** (k - 1))

    def policy():
        """Receives (attempt, exc) for each failure; yields the delay, or returns to give up."""
        attempt, exc = yield
        while attempt < attempts and isinstance(exc, retry_on) and not isinstance(
                exc, asyncio.CancelledError):
            delay = backoff(attempt)
            if jitter:
                delay = _rng.uniform(0, delay)
            if on_retry is not None:
                on_retry(attempt, exc, delay)
            attempt, exc = yield delay

    def next_delay(plan, attempt, exc):
        try:
            return plan.send((attempt, exc))
        except StopIteration:
            return None

    def decorate(fn):
        if inspect.iscoroutinefunction(fn):
            async def run(*args, **kwargs):
                plan = policy()
                next(plan)
                attempt = 0
                while True:
                    attempt += 1
                    try:
                        return await fn(*args, **kwargs)
                    except BaseException as exc:
                        delay = next_delay(plan, attempt, exc)
                        if delay is None:
                            raise
                    waited = asyncio.sleep(delay) if sleep is None else sleep(delay)
                    if inspect.isawaitable(waited):
                        await waited
        else:
            def run(*args, **kwargs):
                plan = policy()
                next(plan)
                attempt = 0
                while True:
                    attempt += 1
                    try:
                        return fn(*args, **kwargs)
                    except BaseException as exc:
                        delay = next_delay(plan, attempt, exc)
                        if delay is None:
                            raise
                    if sleep is None:
                        time.sleep(delay)
                    else:
                        sleep(delay)
        return functools.wraps(fn)(run)

    return decorate
