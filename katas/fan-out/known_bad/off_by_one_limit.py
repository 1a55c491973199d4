"""Waits for a free slot only once MORE than limit tasks run: limit + 1 workers run at once.

Caught by: stage 2
"""

import asyncio
from collections.abc import Awaitable, Callable, Iterable
from typing import Any


async def fan_out(items: Iterable[Any], worker: Callable[[Any], Awaitable[Any]], *,
                  limit: int = 10, timeout: float | None = None) -> list[Any]:
    if limit < 1:
        raise ValueError("limit must be >= 1")
    results = []
    running: dict[asyncio.Task, int] = {}
    try:
        for item in items:
            results.append(None)
            running[asyncio.create_task(asyncio.wait_for(worker(item), timeout))] = len(results) - 1
            while len(running) > limit:  # should be >=
                done, _ = await asyncio.wait(running, return_when=asyncio.FIRST_COMPLETED)
                for task in done:
                    results[running.pop(task)] = task.result()
        while running:
            done, _ = await asyncio.wait(running, return_when=asyncio.FIRST_COMPLETED)
            for task in done:
                results[running.pop(task)] = task.result()
    finally:
        for task in running:
            task.cancel()
        if running:
            await asyncio.wait(running)
    return results
