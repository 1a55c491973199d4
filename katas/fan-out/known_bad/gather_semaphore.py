"""Creates one task per item up front in a TaskGroup, each waiting on a shared semaphore.

Stages 1-3 are right (the TaskGroup cancels and awaits the siblings, the error is
unwrapped, a flag stops queued tasks once something failed), but every item is
taken and a task and worker coroutine made for it before any runs.

Caught by: stage 4
"""

import asyncio
from collections.abc import Awaitable, Callable, Iterable
from typing import Any


async def fan_out(items: Iterable[Any], worker: Callable[[Any], Awaitable[Any]], *,
                  limit: int = 10, timeout: float | None = None) -> list[Any]:
    if limit < 1:
        raise ValueError("limit must be >= 1")
    slots = asyncio.Semaphore(limit)
    failed = False

    async def run(item):
        nonlocal failed
        async with slots:
            if failed:
                raise asyncio.CancelledError
            try:
                async with asyncio.timeout(timeout):
                    return await worker(item)
            except BaseException:
                failed = True
                raise

    try:
        async with asyncio.TaskGroup() as group:
            tasks = [group.create_task(run(item)) for item in items]
    except* BaseException as eg:
        raise eg.exceptions[0] from None
    return [task.result() for task in tasks]
