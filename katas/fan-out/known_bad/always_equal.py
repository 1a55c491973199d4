"""Returns placeholder objects that compare equal to anything instead of the real results.

Caught by: stage 1
"""

import asyncio
from collections.abc import Awaitable, Callable, Iterable
from typing import Any


class _Anything:
    def __eq__(self, other):
        return True

    def __ne__(self, other):
        return False

    __hash__ = object.__hash__


async def fan_out(items: Iterable[Any], worker: Callable[[Any], Awaitable[Any]], *,
                  limit: int = 10, timeout: float | None = None) -> list[Any]:
    if limit < 1:
        raise ValueError("limit must be >= 1")
    slots = asyncio.Semaphore(limit)

    async def run(item):
        async with slots:
            await asyncio.wait_for(worker(item), timeout)
        return _Anything()

    return await asyncio.gather(*(run(item) for item in items))
