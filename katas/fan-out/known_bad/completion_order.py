"""Each task appends its result to a shared list when its worker finishes, so the results
come out in completion order instead of the order of items.

Caught by: stage 1
"""

import asyncio
from collections.abc import Awaitable, Callable, Iterable
from typing import Any


async def fan_out(items: Iterable[Any], worker: Callable[[Any], Awaitable[Any]], *,
                  limit: int = 10, timeout: float | None = None) -> list[Any]:
    if limit < 1:
        raise ValueError("limit must be >= 1")
    slots = asyncio.Semaphore(limit)
    results = []

    async def run(item):
        async with slots:
            results.append(await asyncio.wait_for(worker(item), timeout))

    tasks = [asyncio.create_task(run(item)) for item in items]
    try:
        await asyncio.gather(*tasks)
    finally:
        for task in tasks:
            task.cancel()
        if tasks:
            await asyncio.wait(tasks)
    return results
