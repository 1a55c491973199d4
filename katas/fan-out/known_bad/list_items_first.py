"""Bounded lanes done right, but it starts with items = list(items): the whole input is
taken up front, which breaks on huge or endless generators.

Caught by: stage 4
"""

import asyncio
from collections.abc import Awaitable, Callable, Iterable
from typing import Any


async def fan_out(items: Iterable[Any], worker: Callable[[Any], Awaitable[Any]], *,
                  limit: int = 10, timeout: float | None = None) -> list[Any]:
    if limit < 1:
        raise ValueError("limit must be >= 1")
    items = list(items)
    results: list[Any] = [None] * len(items)
    next_index = 0
    failed = False

    async def lane():
        nonlocal next_index, failed
        while not failed and next_index < len(items):
            index = next_index
            next_index += 1
            try:
                async with asyncio.timeout(timeout):
                    results[index] = await worker(items[index])
            except BaseException:
                failed = True
                raise

    try:
        async with asyncio.TaskGroup() as group:
            for _ in range(min(limit, len(items))):
                group.create_task(lane())
    except* BaseException as eg:
        raise eg.exceptions[0] from None
    return results
