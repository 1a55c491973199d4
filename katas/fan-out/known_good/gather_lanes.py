"""Correct: limit worker loops awaited with asyncio.gather, no TaskGroup.

gather raises the first failure as is; on any exception, including the caller's
cancellation, the loops are cancelled and awaited before it propagates. A stop
flag keeps loops from taking new items once anything failed.
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
            except BaseException:
                stop = True
                raise

    lanes = [asyncio.ensure_future(lane()) for _ in range(limit)]
    try:
        await asyncio.gather(*lanes)
    except BaseException:
        stop = True
        for t in lanes:
            t.cancel()
        await asyncio.wait(lanes)
        raise
    return [results[i] for i in range(len(results))]
