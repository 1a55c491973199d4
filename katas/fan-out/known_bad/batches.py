"""Runs the items in batches of `limit`: the next batch starts only when the whole batch is done.

Caught by: stage 2
"""

import asyncio
import itertools


async def fan_out(items, worker, *, limit=10, timeout=None):
    if limit < 1:
        raise ValueError("limit must be at least 1")

    async def call(item):
        if timeout is None:
            return await worker(item)
        async with asyncio.timeout(timeout):
            return await worker(item)

    results = []
    source = iter(items)
    while True:
        batch = list(itertools.islice(source, limit))
        if not batch:
            return results
        try:
            async with asyncio.TaskGroup() as group:
                tasks = [group.create_task(call(item)) for item in batch]
        except BaseExceptionGroup as error:
            raise error.exceptions[0] from None
        results.extend(task.result() for task in tasks)
