"""On a failure, cancels the other tasks and gives them a single loop turn (sleep(0))
instead of awaiting them: a finally block that awaits has not finished when fan_out raises.

Caught by: stage 3
"""

import asyncio


async def fan_out(items, worker, *, limit=10, timeout=None):
    if limit < 1:
        raise ValueError("limit must be at least 1")
    source = enumerate(items)
    results = {}
    running = {}

    async def call(item):
        if timeout is None:
            return await worker(item)
        async with asyncio.timeout(timeout):
            return await worker(item)

    def start():
        try:
            index, item = next(source)
        except StopIteration:
            return
        running[asyncio.ensure_future(call(item))] = index

    for _ in range(limit):
        start()
    try:
        while running:
            done, _ = await asyncio.wait(running, return_when=asyncio.FIRST_COMPLETED)
            for task in sorted(done, key=running.get):
                index = running.pop(task)
                if task.exception() is not None:
                    raise task.exception()
                results[index] = task.result()
            for _ in done:
                start()
    except BaseException:
        for task in running:
            task.cancel()
        await asyncio.sleep(0)  # let the cancellations land
        raise
    return [results[i] for i in range(len(results))]
