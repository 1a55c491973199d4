"""Cancels and awaits the other workers when one fails, but when the caller is
cancelled it only requests their cancellation and re-raises without awaiting them.

Caught by: stage 3
"""

import asyncio
from collections.abc import Awaitable, Callable, Iterable
from typing import Any


async def fan_out(items: Iterable[Any], worker: Callable[[Any], Awaitable[Any]], *,
                  limit: int = 10, timeout: float | None = None) -> list[Any]:
    if limit < 1:
        raise ValueError("limit")
    results = []
    running = {}
    iterator = iter(items)
    exhausted = False
    try:
        while True:
            while not exhausted and len(running) < limit:
                try:
                    item = next(iterator)
                except StopIteration:
                    exhausted = True
                    break
                results.append(None)
                running[asyncio.create_task(asyncio.wait_for(worker(item), timeout))] = len(results) - 1
            if not running:
                return results
            done, _ = await asyncio.wait(running, return_when=asyncio.FIRST_COMPLETED)
            for task in done:
                results[running.pop(task)] = task.result()
    except asyncio.CancelledError:
        for task in running:
            task.cancel()
        raise
    except BaseException:
        for task in running:
            task.cancel()
        await asyncio.wait(running)
        raise
