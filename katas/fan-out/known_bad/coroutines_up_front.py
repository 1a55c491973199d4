"""Calls worker(item) for every item up front to build the coroutines, then awaits them
through bounded lanes: one coroutine object per item exists before any runs.

Caught by: stage 4
"""

import asyncio
from collections.abc import Awaitable, Callable, Iterable
from typing import Any


async def fan_out(items: Iterable[Any], worker: Callable[[Any], Awaitable[Any]], *,
                  limit: int = 10, timeout: float | None = None) -> list[Any]:
    if limit < 1:
        raise ValueError("limit must be >= 1")
    jobs = [worker(item) for item in items]  # every coroutine created here
    results: list[Any] = [None] * len(jobs)
    queue = iter(enumerate(jobs))
    failed = False

    async def lane():
        nonlocal failed
        for index, job in queue:
            if failed:
                job.close()
                continue
            try:
                async with asyncio.timeout(timeout):
                    results[index] = await job
            except BaseException:
                failed = True
                raise

    try:
        async with asyncio.TaskGroup() as group:
            for _ in range(min(limit, len(jobs))):
                group.create_task(lane())
    except* BaseException as eg:
        for _, job in queue:
            job.close()
        raise eg.exceptions[0] from None
    return results
