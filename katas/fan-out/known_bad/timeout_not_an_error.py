"""Uses asyncio.wait(tasks, timeout=...) per batch and raises its own FanOutTimeout (an
Exception, not a TimeoutError) for what did not finish in time.

Caught by: stage 3
"""

import asyncio
from collections.abc import Awaitable, Callable, Iterable
from typing import Any


class FanOutTimeout(Exception):
    pass


async def fan_out(items: Iterable[Any], worker: Callable[[Any], Awaitable[Any]], *,
                  limit: int = 10, timeout: float | None = None) -> list[Any]:
    if limit < 1:
        raise ValueError("limit must be >= 1")
    results = []
    running: dict[asyncio.Task, int] = {}
    started_at: dict[asyncio.Task, float] = {}
    loop = asyncio.get_running_loop()
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
                task = asyncio.create_task(worker(item))
                running[task] = len(results) - 1
                started_at[task] = loop.time()
            if not running:
                return results
            wait = None
            if timeout is not None:
                wait = max(0.0, min(started_at[t] for t in running) + timeout - loop.time())
            done, _ = await asyncio.wait(running, timeout=wait, return_when=asyncio.FIRST_COMPLETED)
            if not done:
                raise FanOutTimeout(f"a worker ran longer than {timeout}s")
            for task in done:
                results[running.pop(task)] = task.result()
    finally:
        for task in running:
            task.cancel()
        if running:
            await asyncio.wait(running)
