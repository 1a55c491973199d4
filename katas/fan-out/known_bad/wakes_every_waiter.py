"""A task per item behind a hand-made gate: a task that finds limit calls running waits for
an Event, but checks only once (`if`, not `while`), so one freed slot wakes every waiting
task and they all start.

Caught by: stage 2
"""

import asyncio
from collections.abc import Awaitable, Callable, Iterable
from typing import Any


async def fan_out(items: Iterable[Any], worker: Callable[[Any], Awaitable[Any]], *,
                  limit: int = 10, timeout: float | None = None) -> list[Any]:
    if limit < 1:
        raise ValueError(f"limit must be at least 1, got {limit}")
    results: list[Any] = []
    running = 0
    freed = asyncio.Event()

    async def run(index, item):
        nonlocal running
        if running >= limit:
            freed.clear()
            await freed.wait()
        running += 1
        try:
            async with asyncio.timeout(timeout):
                results[index] = await worker(item)
        finally:
            running -= 1
            freed.set()

    try:
        async with asyncio.TaskGroup() as group:
            for index, item in enumerate(items):
                results.append(None)
                group.create_task(run(index, item))
    except BaseExceptionGroup as errors:
        raise errors.exceptions[0] from None
    return results
