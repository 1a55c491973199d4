"""Worker loops that fetch their next item before awaiting the current call: up to
2 * limit items are taken and unfinished, and with n close to limit some loops get no
item at all, so fewer than limit calls run together.

Caught by: stage 2
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
    failed = False
    END = object()

    async def lane():
        nonlocal failed
        job = next(source, END)
        while job is not END and not failed:
            upcoming = next(source, END)  # prefetch
            index, item = job
            try:
                async with asyncio.timeout(timeout):
                    results[index] = await worker(item)
            except BaseException:
                failed = True
                raise
            job = upcoming

    try:
        async with asyncio.TaskGroup() as g:
            for _ in range(limit):
                g.create_task(lane())
    except BaseExceptionGroup as eg:
        raise eg.exceptions[0] from None
    return [results[i] for i in range(len(results))]
