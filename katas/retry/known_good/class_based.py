"""A class-based retry: the configuration is an object, delays come from a generator
that multiplies step by step and stops growing at the cap, jitter uses random.random().
"""

from __future__ import annotations

import asyncio
import functools
import inspect
import random
import time
from collections.abc import Callable, Iterator
from typing import Any


class _Retry:
    def __init__(self, attempts, base_delay, factor, max_delay, jitter, retry_on, sleep, on_retry):
        if attempts < 1:
            raise ValueError("attempts must be at least 1")
        if base_delay < 0:
            raise ValueError("base_delay must not be negative")
        if factor < 1:
            raise ValueError("factor must be at least 1")
        if max_delay is not None and max_delay < 0:
            raise ValueError("max_delay must not be negative")
        self.attempts = attempts
        self.base_delay = base_delay
        self.factor = factor
        self.max_delay = max_delay
        self.jitter = jitter
        self.retry_on = retry_on
        self.sleep = sleep
        self.on_retry = on_retry

    def _delays(self) -> Iterator[float]:
        """Capped delays after attempts 1, 2, ...; once capped, they stay at the cap."""
        delay = self.base_delay
        while True:
            if self.max_delay is not None and delay >= self.max_delay:
                while True:
                    yield self.max_delay
            yield delay
            delay *= self.factor

    def _retryable(self, exc: BaseException) -> bool:
        return isinstance(exc, self.retry_on) and not isinstance(exc, asyncio.CancelledError)

    def _plan(self, attempt: int, exc: BaseException, delays: Iterator[float]) -> float:
        delay = next(delays)
        if self.jitter:
            delay = random.random() * delay
        if self.on_retry is not None:
            self.on_retry(attempt, exc, delay)
        return delay

    def __call__(self, fn: Callable[..., Any]) -> Callable[..., Any]:
        if inspect.iscoroutinefunction(fn):
            return functools.wraps(fn)(self._async_wrapper(fn))
        return functools.wraps(fn)(self._sync_wrapper(fn))

    def _sync_wrapper(self, fn):
        def wrapper(*args, **kwargs):
            delays = self._delays()
            attempt = 1
            while True:
                try:
                    return fn(*args, **kwargs)
                except BaseException as exc:
                    if attempt >= self.attempts or not self._retryable(exc):
                        raise
                    delay = self._plan(attempt, exc, delays)
                (time.sleep if self.sleep is None else self.sleep)(delay)
                attempt += 1

        return wrapper

    def _async_wrapper(self, fn):
        async def wrapper(*args, **kwargs):
            delays = self._delays()
            attempt = 1
            while True:
                try:
                    return await fn(*args, **kwargs)
                except BaseException as exc:
                    if attempt >= self.attempts or not self._retryable(exc):
                        raise
                    delay = self._plan(attempt, exc, delays)
                if self.sleep is None:
                    await asyncio.sleep(delay)
                else:
                    result = self.sleep(delay)
                    if inspect.isawaitable(result):
                        await result
                attempt += 1

        return wrapper


def retry(*, attempts: int = 3, base_delay: float = 0.1, factor: float = 2.0,
          max_delay: float | None = None, jitter: bool = False,
          retry_on: type[BaseException] | tuple[type[BaseException], ...] = Exception,
          sleep: Callable[[float], Any] | None = None,
          on_retry: Callable[[int, BaseException, float], Any] | None = None):
    return _Retry(attempts, base_delay, factor, max_delay, jitter, retry_on, sleep, on_retry)
