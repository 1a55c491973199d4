"""On a failure (or the caller's cancellation) stops taking items but lets the running
workers finish their calls instead of cancelling them, then raises.

Caught by: stage 3
"""

import asyncio
from collections.abc import Awaitable, Callable, Iterable
from typing import Any


async def fan_out(items: Iterable[Any], worker: Callable[[Any], Awaitable[Any]], *,
                  limit: int = 10, timeout: float | None = None) -> list[Any]:
    if limit < 1:
        raise ValueError("limit")
    source = enumerate(items)
    results = {}
    stop = False

    async def lane():
        nonlocal stop
        while not stop:
            try:
                index, item = next(source)
            except StopIteration:
                return
            try:
                results[index] = await asyncio.wait_for(worker(item), timeout)
            except Exception:
                stop = True
                raise

    lanes = [asyncio.ensure_future(lane()) for _ in range(limit)]
    try:
        outcomes = await asyncio.shield(asyncio.gather(*lanes, return_exceptions=True))
    except asyncio.CancelledError:
        stop = True
        await asyncio.gather(*lanes, return_exceptions=True)
        raise
    for outcome in outcomes:
        if isinstance(outcome, BaseException):
            raise outcome
    return [results[i] for i in range(len(results))]
