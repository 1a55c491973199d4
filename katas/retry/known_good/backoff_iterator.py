"""A Backoff iterator object yields the waits, multiplying step by step and pinning at
the cap once it is reached; `time.sleep` is bound at import; jitter comes from a
private, unseeded random.Random; the async wrapper checks for cancellation first.
"""

import asyncio
import functools
import inspect
import random
from dataclasses import dataclass, field
from time import sleep as blocking_sleep

_rng = random.Random()


@dataclass
class Backoff:
    base_delay: float
    factor: float
    max_delay: float | None
    jitter: bool
    _next: float = field(init=False)
    _pinned: bool = field(init=False, default=False)

    def __post_init__(self):
        self._next = self.base_delay

    def __iter__(self):
        return self

    def __next__(self):
        delay = self._next
        if self.max_delay is not None and (self._pinned or delay >= self.max_delay):
            self._pinned = True  # delays never shrink (factor >= 1): no need to grow further
            delay = self.max_delay
        else:
            self._next = delay * self.factor
        return _rng.uniform(0, delay) if self.jitter else delay


def retry(*, attempts=3, base_delay=0.1, factor=2.0, max_delay=None, jitter=False,
          retry_on=Exception, sleep=None, on_retry=None):
    if attempts < 1:
        raise ValueError("need at least one attempt")
    if base_delay < 0 or (max_delay is not None and max_delay < 0):
        raise ValueError("delays cannot be negative")
    if factor < 1:
        raise ValueError("factor below 1 would shrink the delays")

    def decorate(fn):
        if inspect.iscoroutinefunction(fn):
            @functools.wraps(fn)
            async def run_async(*args, **kwargs):
                waits = Backoff(base_delay, factor, max_delay, jitter)
                for attempt, delay in enumerate(waits, start=1):
                    try:
                        return await fn(*args, **kwargs)
                    except asyncio.CancelledError:
                        raise
                    except retry_on as exc:
                        if attempt == attempts:
                            raise
                        if on_retry is not None:
                            on_retry(attempt, exc, delay)
                    if sleep is None:
                        await asyncio.sleep(delay)
                    elif inspect.isawaitable(pending := sleep(delay)):
                        await pending
            return run_async

        @functools.wraps(fn)
        def run(*args, **kwargs):
            waits = Backoff(base_delay, factor, max_delay, jitter)
            for attempt, delay in enumerate(waits, start=1):
                try:
                    return fn(*args, **kwargs)
                except retry_on as exc:
                    if attempt == attempts:
                        raise
                    if on_retry is not None:
                        on_retry(attempt, exc, delay)
                (blocking_sleep if sleep is None else sleep)(delay)
        return run

    return decorate
