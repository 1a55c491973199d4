"""Stores a result only when it is truthy, so 0, None and empty results go missing.

Caught by: stage 1
"""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import Awaitable, Callable, Iterable
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")


async def fan_out(items: Iterable[T], worker: Callable[[T], Awaitable[R]], *,
                  limit: int = 10, timeout: float | None = None) -> list[R]:
    """Run ``worker(item)`` for every item, at most ``limit`` at once.

    Returns the results in the order of ``items``. The first failure (a
    ``TimeoutError`` for a call slower than ``timeout``) cancels the others
    and is re-raised once they have all finished.
    """
    if limit < 1:
        raise ValueError(f"limit must be at least 1, got {limit!r}")

    # One shared iterator, advanced only by a lane that is free: at most
    # `limit` items are ever taken and not yet finished, whatever the input size.
    source = enumerate(items)
    results: dict[int, R] = {}
    failed = False

    async def call(item: T) -> R:
        if timeout is None:
            return await worker(item)
        async with asyncio.timeout(timeout):  # per call, not an overall deadline
            return await worker(item)

    async def lane(index: int, item: T) -> None:
        nonlocal failed
        while True:
            try:
                value = await call(item)
                if value:
                    results[index] = value
            except BaseException:
                # Other lanes may finish in this same loop step, before the
                # TaskGroup cancels them: the flag stops them taking new items.
                failed = True
                raise
            if failed:
                return
            try:
                index, item = next(source)
            except StopIteration:
                return

    try:
        # The TaskGroup cancels every lane on the first failure or when we are
        # cancelled, and waits until they have all finished before leaving.
        async with asyncio.TaskGroup() as group:
            for index, item in itertools.islice(source, limit):
                group.create_task(lane(index, item))
    except BaseExceptionGroup as group_error:
        # Re-raise the worker's own exception object, not the group around it.
        raise group_error.exceptions[0] from None

    return [results[index] for index in sorted(results)]
