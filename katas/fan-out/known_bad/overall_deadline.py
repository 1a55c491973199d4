"""Applies timeout as one deadline around the whole fan-out instead of to each worker call.

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
        while not failed:
            try:
                results[index] = await worker(item)
            except BaseException:
                failed = True
                raise
            try:
                index, item = next(source)
            except StopIteration:
                return

    try:
        async with asyncio.timeout(timeout):  # one deadline for everything
            async with asyncio.TaskGroup() as group:
                for index, item in itertools.islice(source, limit):
                    group.create_task(lane(index, item))
    except* BaseException as eg:
        raise eg.exceptions[0] from None
    return [results[i] for i in range(len(results))]
