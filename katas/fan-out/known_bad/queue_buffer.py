"""Producer/consumer with asyncio.Queue(maxsize=limit): the producer fills the queue while
limit consumers work, so up to 2 * limit + 1 items are taken and unfinished.

Caught by: stage 4
"""

import asyncio
from collections.abc import Awaitable, Callable, Iterable
from typing import Any

_DONE = object()


async def fan_out(items: Iterable[Any], worker: Callable[[Any], Awaitable[Any]], *,
                  limit: int = 10, timeout: float | None = None) -> list[Any]:
    if limit < 1:
        raise ValueError("limit must be >= 1")
    queue: asyncio.Queue = asyncio.Queue(maxsize=limit)
    results: dict[int, Any] = {}
    failed = False

    async def produce():
        for index, item in enumerate(items):
            await queue.put((index, item))
        for _ in range(limit):
            await queue.put(_DONE)

    async def consume():
        nonlocal failed
        while (job := await queue.get()) is not _DONE and not failed:
            index, item = job
            try:
                async with asyncio.timeout(timeout):
                    results[index] = await worker(item)
            except BaseException:
                failed = True
                raise

    try:
        async with asyncio.TaskGroup() as group:
            group.create_task(produce())
            for _ in range(limit):
                group.create_task(consume())
    except* BaseException as eg:
        raise eg.exceptions[0] from None
    return [results[i] for i in range(len(results))]
