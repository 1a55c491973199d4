"""Retry with exponential backoff.

Write `retry(...)`: it returns a decorator, always used with parentheses:

    @retry(attempts=5, base_delay=0.5)
    def fetch(url): ...

Stage 1 (this stage):
- The decorated function passes its arguments through to the original and calls
  it up to `attempts` times in all; it returns the first result that did not raise.
- After failed attempt k (counting from 1) that is not the last, it waits by
  calling `sleep(delay)` with `delay = base_delay * factor ** (k - 1)`, then tries
  again. It never waits before the first attempt or after the last.
- When every attempt fails, the last attempt's exception is raised: the same
  exception object, whatever its type (`StopIteration` included).
- With `sleep=None` it waits with `time.sleep`. A given `sleep` is the only
  way it waits: `time.sleep` and `asyncio.sleep` are then never called.
- The decorated function keeps the original's `__name__`, `__qualname__`,
  `__doc__`, and has `__wrapped__` (as `functools.wraps` gives).

Later stages give meaning to the other parameters (`retry_on`, `max_delay`,
`on_retry`, `jitter`) and add coroutine functions; the interviewer will ask.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


def retry(
    *,
    attempts: int = 3,
    base_delay: float = 0.1,
    factor: float = 2.0,
    max_delay: float | None = None,
    jitter: bool = False,
    retry_on: type[BaseException] | tuple[type[BaseException], ...] = Exception,
    sleep: Callable[[float], Any] | None = None,
    on_retry: Callable[[int, BaseException, float], Any] | None = None,
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Return a decorator that retries the decorated function with exponential backoff.

    attempts:   how many calls in all, the first one included.
    base_delay: seconds to wait after the first failed attempt.
    factor:     each further wait is `factor` times the one before:
                the wait after failed attempt k is `base_delay * factor ** (k - 1)`.
    max_delay:  a cap on every wait (a later stage).
    jitter:     randomize the waits (a later stage).
    retry_on:   the exception class, or tuple of classes, worth retrying (a later stage).
    sleep:      called as `sleep(delay)` to wait; None means `time.sleep`.
                Tests pass a recorder here instead of really sleeping.
    on_retry:   called as `on_retry(attempt, exc, delay)` before each wait (a later stage).
    """
    raise NotImplementedError
