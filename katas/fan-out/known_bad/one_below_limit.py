"""Semaphore(limit - 1) from a muddled slot count: one fewer call than limit runs at once.

Caught by: stage 2
"""

import asyncio
from collections.abc import Awaitable, Callable, Iterable
from typing import Any


async def fan_out(items: Iterable[Any], worker: Callable[[Any], Awaitable[Any]], *,
                  limit: int = 10, timeout: float | None = None) -> list[Any]:
    if limit < 1:
        raise ValueError("limit")
    slots = asyncio.Semaphore(max(limit - 1, 1))
    results = []

    async def run(index, item):
        try:
            async with asyncio.timeout(timeout):
                results[index] = await worker(item)
        finally:
            slots.release()

    iterator = iter(items)
    try:
        async with asyncio.TaskGroup() as group:
            while True:
                await slots.acquire()
                try:
                    item = next(iterator)
                except StopIteration:
                    break
                results.append(None)
                group.create_task(run(len(results) - 1, item))
    except* BaseException as eg:
        raise eg.exceptions[0] from None
    return results
