"""Bounded workers gathered with return_exceptions=True, then the first exception is raised:
the other workers are not cancelled but run to the end, and more items keep starting.

Caught by: stage 3
"""

import asyncio
from collections.abc import Awaitable, Callable, Iterable
from typing import Any


async def fan_out(items: Iterable[Any], worker: Callable[[Any], Awaitable[Any]], *,
                  limit: int = 10, timeout: float | None = None) -> list[Any]:
    if limit < 1:
        raise ValueError("limit must be >= 1")
    source = enumerate(items)
    results = {}

    async def lane():
        for index, item in source:
            results[index] = await asyncio.wait_for(worker(item), timeout)

    outcomes = await asyncio.gather(*(lane() for _ in range(limit)), return_exceptions=True)
    for outcome in outcomes:
        if isinstance(outcome, BaseException):
            raise outcome
    return [results[i] for i in range(len(results))]
