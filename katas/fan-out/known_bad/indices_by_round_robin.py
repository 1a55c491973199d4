"""Lanes that work out each result's position as if they took items in turns (lane k takes
items k, k + limit, k + 2 * limit, ...): right while every call takes equally long, wrong
once a quick lane takes an item out of turn.

Caught by: stage 1
"""

import asyncio
from collections.abc import Awaitable, Callable, Iterable
from typing import Any


async def fan_out(items: Iterable[Any], worker: Callable[[Any], Awaitable[Any]], *,
                  limit: int = 10, timeout: float | None = None) -> list[Any]:
    if limit < 1:
        raise ValueError(f"limit must be at least 1, got {limit}")
    source = iter(items)
    results: dict[int, Any] = {}
    failed = False
    done = object()

    async def lane(number: int):
        nonlocal failed
        rounds = 0
        while not failed and (item := next(source, done)) is not done:
            try:
                async with asyncio.timeout(timeout):
                    results[number + rounds * limit] = await worker(item)
            except BaseException:
                failed = True
                raise
            rounds += 1

    try:
        async with asyncio.TaskGroup() as group:
            for number in range(limit):
                group.create_task(lane(number))
    except BaseExceptionGroup as errors:
        raise errors.exceptions[0] from None
    return [results[index] for index in sorted(results)]
