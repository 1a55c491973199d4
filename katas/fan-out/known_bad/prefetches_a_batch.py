"""Lanes in a TaskGroup that pull from a buffer refilled with limit items whenever it runs
dry (to call next() less often): the refill happens while limit - 1 calls still run, so
up to 2 * limit - 1 items are taken whose worker has not finished.

Caught by: stage 4
"""

import asyncio
import itertools
from collections import deque
from collections.abc import Awaitable, Callable, Iterable
from typing import Any


async def fan_out(items: Iterable[Any], worker: Callable[[Any], Awaitable[Any]], *,
                  limit: int = 10, timeout: float | None = None) -> list[Any]:
    if limit < 1:
        raise ValueError(f"limit must be at least 1, got {limit}")
    source = enumerate(items)
    buffer: deque = deque()
    results: dict[int, Any] = {}
    failed = False

    def take():
        if not buffer:
            buffer.extend(itertools.islice(source, limit))  # a whole batch at a time
        return buffer.popleft() if buffer else None

    async def lane():
        nonlocal failed
        while not failed and (pair := take()) is not None:
            index, item = pair
            try:
                async with asyncio.timeout(timeout):
                    results[index] = await worker(item)
            except BaseException:
                failed = True
                raise

    try:
        async with asyncio.TaskGroup() as group:
            for _ in range(limit):
                group.create_task(lane())
    except BaseExceptionGroup as errors:
        raise errors.exceptions[0] from None
    return [results[index] for index in range(len(results))]
