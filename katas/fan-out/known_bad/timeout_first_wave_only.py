"""Applies the timeout only to the first `limit` calls (the ones started up front).

Caught by: stage 3
"""

import asyncio


async def fan_out(items, worker, *, limit=10, timeout=None):
    if limit < 1:
        raise ValueError("limit must be at least 1")
    source = enumerate(items)
    results = {}
    failed = False

    async def lane(index, item, first):
        nonlocal failed
        while True:
            try:
                if first and timeout is not None:
                    async with asyncio.timeout(timeout):
                        results[index] = await worker(item)
                else:
                    results[index] = await worker(item)
            except BaseException:
                failed = True
                raise
            first = False
            if failed:
                return
            try:
                index, item = next(source)
            except StopIteration:
                return

    try:
        async with asyncio.TaskGroup() as group:
            for _ in range(limit):
                try:
                    index, item = next(source)
                except StopIteration:
                    break
                group.create_task(lane(index, item, True))
    except BaseExceptionGroup as error:
        raise error.exceptions[0] from None
    return [results[i] for i in range(len(results))]
