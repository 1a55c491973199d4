"""Correct: callback-driven. Each finished task's done callback stores its result and
starts the next item; a future resolves when all are done or one failed. The
running tasks are cancelled and awaited in a finally.
"""

import asyncio
from collections.abc import Awaitable, Callable, Iterable
from typing import Any


async def fan_out(items: Iterable[Any], worker: Callable[[Any], Awaitable[Any]], *,
                  limit: int = 10, timeout: float | None = None) -> list[Any]:
    if limit < 1:
        raise ValueError("limit")
    loop = asyncio.get_running_loop()
    iterator = enumerate(items)
    results = {}
    running = set()
    finished = loop.create_future()
    state = {"exhausted": False}

    async def call(item):
        async with asyncio.timeout(timeout):
            return await worker(item)

    def start_next():
        if finished.done() or state["exhausted"]:
            return
        try:
            index, item = next(iterator)
        except StopIteration:
            state["exhausted"] = True
            return
        task = loop.create_task(call(item))
        running.add(task)
        task.add_done_callback(lambda t, i=index: on_done(t, i))

    def on_done(task, index):
        running.discard(task)
        if finished.done():
            return
        if task.cancelled():
            return
        if task.exception() is not None:
            finished.set_exception(task.exception())
            return
        results[index] = task.result()
        start_next()
        if not running and state["exhausted"]:
            finished.set_result(None)

    for _ in range(limit):
        start_next()
    if not running:
        return []
    try:
        await finished
    finally:
        pending = list(running)
        for t in pending:
            t.cancel()
        if pending:
            await asyncio.wait(pending)
    return [results[i] for i in range(len(results))]
