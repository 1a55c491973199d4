"""An anyio adapter: limit lanes in an anyio task group, anyio.fail_after around each call.

It looks right and passes most of the suite, but anyio's cancel scopes cancel a task
again and again until it leaves the scope: a cancelled worker whose finally block awaits
(closing a connection, say) has that await cancelled too, so its cleanup never completes.
The contract says "has finished" includes cleanup that itself awaits.

Caught by: stage 3
"""

import math
from collections.abc import Awaitable, Callable, Iterable
from typing import Any

import anyio


async def fan_out(items: Iterable[Any], worker: Callable[[Any], Awaitable[Any]], *,
                  limit: int = 10, timeout: float | None = None) -> list[Any]:
    if limit < 1:
        raise ValueError("limit must be at least 1")
    source = enumerate(items)
    results = {}
    failed = False

    async def lane():
        nonlocal failed
        for index, item in source:
            try:
                with anyio.fail_after(math.inf if timeout is None else timeout):
                    results[index] = await worker(item)
            except BaseException:
                failed = True
                raise
            if failed:
                return

    try:
        async with anyio.create_task_group() as group:
            for _ in range(limit):
                group.start_soon(lane)
    except BaseExceptionGroup as error:
        raise error.exceptions[0] from None
    return [results[i] for i in range(len(results))]
