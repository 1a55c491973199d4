"""With a timeout, waits for the workers through asyncio.wait with a deadline loop and
turns the caller's cancellation into a TimeoutError after cancelling the workers.

Caught by: stage 3
"""

import asyncio


async def fan_out(items, worker, *, limit=10, timeout=None):
    if limit < 1:
        raise ValueError("limit must be at least 1")
    source = enumerate(items)
    results = {}
    running = {}

    def start():
        try:
            index, item = next(source)
        except StopIteration:
            return False
        coro = worker(item)
        if timeout is not None:
            coro = asyncio.wait_for(coro, timeout)
        running[asyncio.ensure_future(coro)] = index
        return True

    for _ in range(limit):
        if not start():
            break
    try:
        while running:
            done, _ = await asyncio.wait(running, return_when=asyncio.FIRST_COMPLETED)
            for task in done:
                index = running.pop(task)
                error = task.exception()
                if error is not None:
                    raise error
                results[index] = task.result()
                start()
    except asyncio.CancelledError:
        for task in running:
            task.cancel()
        await asyncio.gather(*running, return_exceptions=True)
        if timeout is not None:
            raise TimeoutError("fan_out timed out") from None
        raise
    except BaseException:
        for task in running:
            task.cancel()
        await asyncio.gather(*running, return_exceptions=True)
        raise
    return [results[i] for i in range(len(results))]
