"""Stores results in a dict keyed by the item itself, then looks them up in input order.

Breaks on unhashable items and on equal items at different positions.

Caught by: stage 1
"""

import asyncio
from collections.abc import Awaitable, Callable, Iterable
from typing import Any


async def fan_out(items: Iterable[Any], worker: Callable[[Any], Awaitable[Any]], *,
                  limit: int = 10, timeout: float | None = None) -> list[Any]:
    if limit < 1:
        raise ValueError("limit must be >= 1")
    items = list(items)
    slots = asyncio.Semaphore(limit)
    results = {}

    async def run(item):
        async with slots:
            results[item] = await asyncio.wait_for(worker(item), timeout)

    async with asyncio.TaskGroup() as group:
        for item in items:
            group.create_task(run(item))
    return [results[item] for item in items]
