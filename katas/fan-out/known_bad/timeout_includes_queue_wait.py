"""Wraps the semaphore wait AND the worker call in wait_for: time spent queued for a slot
counts against the per-call timeout, so later items time out though each call is quick.

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
    failed = False

    async def run(item):
        nonlocal failed
        async with slots:
            if failed:
                raise asyncio.CancelledError
            try:
                return await worker(item)
            except BaseException:
                failed = True
                raise

    try:
        async with asyncio.TaskGroup() as group:
            tasks = [group.create_task(asyncio.wait_for(run(item), timeout)) for item in items]
    except* BaseException as eg:
        raise eg.exceptions[0] from None
    return [task.result() for task in tasks]
