"""gather() over one semaphore-guarded coroutine per item: on a failure gather raises at once
but the other tasks are neither cancelled nor awaited, and queued items keep starting.

Caught by: stage 3
"""

import asyncio
from collections.abc import Awaitable, Callable, Iterable
from typing import Any


async def fan_out(items: Iterable[Any], worker: Callable[[Any], Awaitable[Any]], *,
                  limit: int = 10, timeout: float | None = None) -> list[Any]:
    if limit < 1:
        raise ValueError("limit must be >= 1")
    slots = asyncio.Semaphore(limit)

    async def run(item):
        async with slots:
            return await asyncio.wait_for(worker(item), timeout)

    return list(await asyncio.gather(*(run(item) for item in items)))
