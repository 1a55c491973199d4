"""Gathers every worker call at once and ignores the limit (only validates it).

Caught by: stage 2
"""

import asyncio
from collections.abc import Awaitable, Callable, Iterable
from typing import Any


async def fan_out(items: Iterable[Any], worker: Callable[[Any], Awaitable[Any]], *,
                  limit: int = 10, timeout: float | None = None) -> list[Any]:
    if limit < 1:
        raise ValueError("limit must be >= 1")
    return list(await asyncio.gather(*(asyncio.wait_for(worker(item), timeout) for item in items)))
