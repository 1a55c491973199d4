"""Awaits the workers one after another: correct results, but never more than one runs at once.

Caught by: stage 2
"""

import asyncio
from collections.abc import Awaitable, Callable, Iterable
from typing import Any


async def fan_out(items: Iterable[Any], worker: Callable[[Any], Awaitable[Any]], *,
                  limit: int = 10, timeout: float | None = None) -> list[Any]:
    if limit < 1:
        raise ValueError("limit must be >= 1")
    results = []
    for item in items:
        results.append(await asyncio.wait_for(worker(item), timeout))
    return results
