"""Treats timeout=None as "use a default of 30 s", so slow workers fail without a timeout.

Caught by: stage 3
"""

import asyncio
import itertools
from collections.abc import Awaitable, Callable, Iterable
from typing import Any


async def fan_out(items: Iterable[Any], worker: Callable[[Any], Awaitable[Any]], *,
                  limit: int = 10, timeout: float | None = None) -> list[Any]:
    if limit < 1:
        raise ValueError("limit")
    source = enumerate(items)
    results = {}
    failed = False

    async def lane(index, item):
        nonlocal failed
        while not failed:
            try:
                async with asyncio.timeout(timeout or 30):
                    results[index] = await worker(item)
            except BaseException:
                failed = True
                raise
            try:
                index, item = next(source)
            except StopIteration:
                return

    try:
        async with asyncio.TaskGroup() as g:
            for index, item in itertools.islice(source, limit):
                g.create_task(lane(index, item))
    except BaseExceptionGroup as eg:
        raise eg.exceptions[0] from None
    return [results[i] for i in range(len(results))]
