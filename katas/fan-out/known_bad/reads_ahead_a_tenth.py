"""Lanes in a TaskGroup that keep a read-ahead of limit // 10 items taken from the iterator,
as streaming code often does: nothing for a small limit, but with limit=50 five items more
than limit are taken whose worker has not finished.

Caught by: stage 4
"""

import asyncio
from collections import deque
from collections.abc import Awaitable, Callable, Iterable
from typing import Any


async def fan_out(items: Iterable[Any], worker: Callable[[Any], Awaitable[Any]], *,
                  limit: int = 10, timeout: float | None = None) -> list[Any]:
    if limit < 1:
        raise ValueError(f"limit must be at least 1, got {limit}")
    source = enumerate(items)
    read_ahead = limit // 10
    ahead: deque = deque()
    results: dict[int, Any] = {}
    failed = False

    def take():
        while len(ahead) <= read_ahead:  # the item to start now, and read_ahead more
            pair = next(source, None)
            if pair is None:
                break
            ahead.append(pair)
        return ahead.popleft() if ahead else None

    async def lane():
        nonlocal failed
        while not failed and (pair := take()) is not None:
            index, item = pair
            try:
                async with asyncio.timeout(timeout):
                    results[index] = await worker(item)
            except BaseException:
                failed = True
                raise

    try:
        async with asyncio.TaskGroup() as group:
            for _ in range(limit):
                group.create_task(lane())
    except BaseExceptionGroup as errors:
        raise errors.exceptions[0] from None
    return [results[index] for index in range(len(results))]
