"""Makes sure the other workers are gone by cancelling them again until they are.

On a failure or its own cancellation it cancels the running tasks, waits briefly,
and cancels whatever is still running again, in a loop. A worker whose finally block
awaits (a cleanup that takes a while) gets that await cancelled too, so its cleanup
never completes; the contract says "has finished" includes such cleanup.

Caught by: stage 3
"""

import asyncio
from collections.abc import Awaitable, Callable, Iterable
from typing import Any


async def fan_out(items: Iterable[Any], worker: Callable[[Any], Awaitable[Any]], *,
                  limit: int = 10, timeout: float | None = None) -> list[Any]:
    if limit < 1:
        raise ValueError("limit must be at least 1")

    async def call(item):
        async with asyncio.timeout(timeout):
            return await worker(item)

    results: list[Any] = []
    running: dict[asyncio.Task, int] = {}
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
                running[asyncio.create_task(call(item))] = len(results) - 1
            if not running:
                return results
            done, _ = await asyncio.wait(running, return_when=asyncio.FIRST_COMPLETED)
            for task in done:
                results[running.pop(task)] = task.result()
    finally:
        pending = set(running)
        while pending:  # be sure: cancel until every task is really gone
            for task in pending:
                task.cancel()
            _, pending = await asyncio.wait(pending, timeout=0.05)
