"""Returns the right results, in order, but in a list subclass instead of a plain list.

Caught by: stage 1
"""

import asyncio
from collections.abc import Awaitable, Callable, Iterable
from typing import Any


class Results(list):
    pass


async def fan_out(items: Iterable[Any], worker: Callable[[Any], Awaitable[Any]], *,
                  limit: int = 10, timeout: float | None = None) -> list[Any]:
    if limit < 1:
        raise ValueError("limit")
    sem = asyncio.Semaphore(limit)

    async def run(x):
        async with sem:
            return await asyncio.wait_for(worker(x), timeout)
    return Results(await asyncio.gather(*(run(x) for x in items)))
