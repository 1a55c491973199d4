"""Correct: a main loop with asyncio.wait(FIRST_COMPLETED) and explicit cancellation.

One task per item, created only when a slot is free; results stored by index.
On the first failure (or when cancelled) the loop cancels the running tasks and
waits for them before re-raising.
"""

import asyncio
from collections.abc import Awaitable, Callable, Iterable
from typing import Any


async def fan_out(items: Iterable[Any], worker: Callable[[Any], Awaitable[Any]], *,
                  limit: int = 10, timeout: float | None = None) -> list[Any]:
    if limit < 1:
        raise ValueError("limit must be >= 1")

    async def call(item):
        return await asyncio.wait_for(worker(item), timeout)

    results = []
    running: dict[asyncio.Task, int] = {}
    iterator = iter(items)
    exhausted = False
    try:
        while True:
            # Fill the free slots; take an item only when a slot is free.
            while not exhausted and len(running) < limit:
                try:
                    item = next(iterator)
                except StopIteration:
                    exhausted = True
                    break
                results.append(None)
                running[asyncio.create_task(call(item))] = len(results) - 1
            if not running:
                break
            done, _ = await asyncio.wait(running, return_when=asyncio.FIRST_COMPLETED)
            for task in done:
                index = running.pop(task)
                results[index] = task.result()  # raises the worker's own exception
    finally:
        for task in running:
            task.cancel()
        if running:
            await asyncio.wait(running)
    return results
