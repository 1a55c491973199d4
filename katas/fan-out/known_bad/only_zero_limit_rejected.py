"""Rejects limit == 0 only: a negative limit starts no worker loops and returns [].

Caught by: stage 2
"""

import asyncio
import itertools
from collections.abc import Awaitable, Callable, Iterable
from typing import Any


async def fan_out(items: Iterable[Any], worker: Callable[[Any], Awaitable[Any]], *,
                  limit: int = 10, timeout: float | None = None) -> list[Any]:
    if limit == 0:
        raise ValueError("limit")
    source = enumerate(items)
    results = {}
    failed = False

    async def lane(index, item):
        nonlocal failed
        while not failed:
            try:
                async with asyncio.timeout(timeout):
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
            for index, item in itertools.islice(source, max(limit, 0)):
                g.create_task(lane(index, item))
    except BaseExceptionGroup as eg:
        raise eg.exceptions[0] from None
    return [results[i] for i in range(len(results))]
