"""Takes the next item from the iterator first and only then waits for a free slot, so
limit + 1 items are taken whose worker has not finished.

Caught by: stage 4
"""

import asyncio
from collections.abc import Awaitable, Callable, Iterable
from typing import Any


async def fan_out(items: Iterable[Any], worker: Callable[[Any], Awaitable[Any]], *,
                  limit: int = 10, timeout: float | None = None) -> list[Any]:
    if limit < 1:
        raise ValueError(f"limit must be positive: {limit}")
    slots = asyncio.Semaphore(limit)
    results: list[Any] = []

    async def run(index, item):
        try:
            async with asyncio.timeout(timeout):
                results[index] = await worker(item)
        finally:
            slots.release()

    try:
        async with asyncio.TaskGroup() as group:
            for index, item in enumerate(items):  # the item is taken here...
                await slots.acquire()  # ...before a slot is free
                results.append(None)
                group.create_task(run(index, item))
    except* BaseException as eg:
        raise eg.exceptions[0] from None
    return results
