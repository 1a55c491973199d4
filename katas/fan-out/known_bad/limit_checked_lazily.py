"""Checks limit only when it first has to wait for a slot: an empty input never raises,
and for limit=0 a task for the first item already exists when ValueError is raised.

Caught by: stage 2
"""

import asyncio
from collections.abc import Awaitable, Callable, Iterable
from typing import Any


async def fan_out(items: Iterable[Any], worker: Callable[[Any], Awaitable[Any]], *,
                  limit: int = 10, timeout: float | None = None) -> list[Any]:
    results = []
    running: dict[asyncio.Task, int] = {}

    async def collect(return_when):
        done, _ = await asyncio.wait(running, return_when=return_when)
        for task in done:
            results[running.pop(task)] = task.result()

    try:
        for item in items:
            results.append(None)
            running[asyncio.create_task(asyncio.wait_for(worker(item), timeout))] = len(results) - 1
            if len(running) >= limit:
                if limit < 1:
                    raise ValueError("limit must be >= 1")
                await collect(asyncio.FIRST_COMPLETED)
        while running:
            await collect(asyncio.FIRST_COMPLETED)
    finally:
        for task in running:
            task.cancel()
        if running:
            await asyncio.wait(running)
    return results
