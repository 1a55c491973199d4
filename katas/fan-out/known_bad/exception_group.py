"""Uses a TaskGroup of bounded lanes but lets its ExceptionGroup escape: the caller gets an
ExceptionGroup wrapping the worker's exception, not the exception itself.

Caught by: stage 3
"""

import asyncio
import itertools
from collections.abc import Awaitable, Callable, Iterable
from typing import Any


async def fan_out(items: Iterable[Any], worker: Callable[[Any], Awaitable[Any]], *,
                  limit: int = 10, timeout: float | None = None) -> list[Any]:
    if limit < 1:
        raise ValueError("limit must be >= 1")
    source = enumerate(items)
    results = {}
    failed = False

    async def lane(index, item):
        nonlocal failed
        while True:
            try:
                async with asyncio.timeout(timeout):
                    results[index] = await worker(item)
            except BaseException:
                failed = True
                raise
            if failed:
                return
            try:
                index, item = next(source)
            except StopIteration:
                return

    async with asyncio.TaskGroup() as group:
        for index, item in itertools.islice(source, limit):
            group.create_task(lane(index, item))
    return [results[i] for i in range(len(results))]
