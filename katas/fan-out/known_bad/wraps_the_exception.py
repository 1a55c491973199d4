"""Re-raises a worker failure wrapped in a new exception (with the original as __cause__)
instead of raising that same exception object.

Caught by: stage 3
"""

import asyncio
import itertools
from collections.abc import Awaitable, Callable, Iterable
from typing import Any


class FanOutError(Exception):
    pass


async def fan_out(items: Iterable[Any], worker: Callable[[Any], Awaitable[Any]], *,
                  limit: int = 10, timeout: float | None = None) -> list[Any]:
    if limit < 1:
        raise ValueError("limit must be >= 1")
    source = enumerate(items)
    results = {}
    failed = False

    async def lane(index, item):
        nonlocal failed
        while True:
            try:
                async with asyncio.timeout(timeout):
                    results[index] = await worker(item)
            except BaseException:
                failed = True
                raise
            if failed:
                return
            try:
                index, item = next(source)
            except StopIteration:
                return

    try:
        async with asyncio.TaskGroup() as group:
            for index, item in itertools.islice(source, limit):
                group.create_task(lane(index, item))
    except* TimeoutError as eg:
        raise TimeoutError(f"a worker timed out after {timeout}s") from eg.exceptions[0]
    except* Exception as eg:
        raise FanOutError(f"worker failed: {eg.exceptions[0]!r}") from eg.exceptions[0]
    return [results[i] for i in range(len(results))]
