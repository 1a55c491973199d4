"""Handles a timed-out call apart from other failures: remembers the TimeoutError, lets
the other running workers finish, and raises it only at the end.

Caught by: stage 3
"""

import asyncio
import itertools
from collections.abc import Awaitable, Callable, Iterable
from typing import Any


async def fan_out(items: Iterable[Any], worker: Callable[[Any], Awaitable[Any]], *,
                  limit: int = 10, timeout: float | None = None) -> list[Any]:
    if limit < 1:
        raise ValueError("limit")
    source = enumerate(items)
    results = {}
    timed_out = []
    failed = False

    async def lane(index, item):
        nonlocal failed
        while True:
            try:
                async with asyncio.timeout(timeout):
                    results[index] = await worker(item)
            except TimeoutError as e:
                timed_out.append(e)
                return
            except BaseException:
                failed = True
                raise
            if failed or timed_out:
                return
            try:
                index, item = next(source)
            except StopIteration:
                return

    try:
        async with asyncio.TaskGroup() as g:
            for index, item in itertools.islice(source, limit):
                g.create_task(lane(index, item))
    except BaseExceptionGroup as eg:
        raise eg.exceptions[0] from None
    if timed_out:
        raise timed_out[0]
    return [results[i] for i in range(len(results))]
