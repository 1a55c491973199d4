"""Async fan-out with a concurrency limit.

Implement ``fan_out`` below. Run it with ``asyncio.run(...)`` or from your own
async tests; the grader imports ``fan_out`` from this file.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")


async def fan_out(items: Iterable[T], worker: Callable[[T], Awaitable[R]], *,
                  limit: int = 10, timeout: float | None = None) -> list[R]:
    """Await ``worker(item)`` for every item and return the results.

    Stage 1: return a plain ``list`` holding the results in the order of
    ``items`` (not the order in which the workers finish). ``items`` may be
    any iterable, including a generator; an empty one gives ``[]``.

    Later stages add to this: ``limit`` (how many worker calls may run at
    once), ``timeout`` (seconds per worker call), what happens when a worker
    fails or the caller is cancelled, and very large inputs. The interviewer
    will tell you when.
    """
    raise NotImplementedError
