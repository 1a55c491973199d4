"""Correct: a class holding a fixed pool of worker loops that share one iterator.

No TaskGroup: the pool waits on its loops with FIRST_EXCEPTION, then cancels
and awaits the rest itself. A `stopped` flag keeps loops from taking items
once anything failed.
"""

import asyncio
from collections.abc import Awaitable, Callable, Iterable
from typing import Any


class _Pool:
    def __init__(self, items, worker, limit, timeout):
        self.source = enumerate(items)
        self.worker = worker
        self.limit = limit
        self.timeout = timeout
        self.results = {}
        self.stopped = False

    def take(self):
        if self.stopped:
            return None
        return next(self.source, None)

    async def loop(self):
        while (job := self.take()) is not None:
            index, item = job
            try:
                if self.timeout is None:
                    value = await self.worker(item)
                else:
                    value = await asyncio.wait_for(self.worker(item), self.timeout)
            except BaseException:
                self.stopped = True
                raise
            self.results[index] = value

    async def run(self):
        loops = [asyncio.ensure_future(self.loop()) for _ in range(self.limit)]
        try:
            await asyncio.wait(loops, return_when=asyncio.FIRST_EXCEPTION)
            for task in loops:
                if task.done() and task.exception() is not None:
                    raise task.exception()
        finally:
            self.stopped = True
            for task in loops:
                task.cancel()
            await asyncio.gather(*loops, return_exceptions=True)
        return [self.results[i] for i in range(len(self.results))]


async def fan_out(items: Iterable[Any], worker: Callable[[Any], Awaitable[Any]], *,
                  limit: int = 10, timeout: float | None = None) -> list[Any]:
    if limit < 1:
        raise ValueError("limit must be at least 1")
    return await _Pool(items, worker, limit, timeout).run()
