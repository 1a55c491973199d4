"""Takes the semaphore only while creating each task, not while the worker runs: every
item runs at once.

Caught by: stage 2
"""

from __future__ import annotations

import asyncio


async def fan_out(items, worker, *, limit=10, timeout=None):
    if limit < 1:
        raise ValueError(f"limit must be at least 1, got {limit!r}")
    semaphore = asyncio.Semaphore(limit)

    async def call(item):
        if timeout is None:
            return await worker(item)
        async with asyncio.timeout(timeout):
            return await worker(item)

    tasks = []
    try:
        async with asyncio.TaskGroup() as group:
            for item in items:
                async with semaphore:
                    tasks.append(group.create_task(call(item)))
    except BaseExceptionGroup as error:
        raise error.exceptions[0] from None
    return [task.result() for task in tasks]
