"""Each finished call spawns the task of the next item; on a failure fan_out cancels and
awaits only the first limit tasks it started itself, so calls spawned later (in a later
wave) run on after fan_out has raised.

Caught by: stage 3
"""

import asyncio
from collections.abc import Awaitable, Callable, Iterable
from typing import Any


async def fan_out(items: Iterable[Any], worker: Callable[[Any], Awaitable[Any]], *,
                  limit: int = 10, timeout: float | None = None) -> list[Any]:
    if limit < 1:
        raise ValueError(f"limit must be at least 1, got {limit}")
    source = enumerate(items)
    results: dict[int, Any] = {}
    tasks: list[asyncio.Task] = []
    stopped = False

    def spawn():
        pair = next(source, None)
        if pair is not None:
            tasks.append(asyncio.create_task(call(*pair)))

    async def call(index, item):
        nonlocal stopped
        try:
            async with asyncio.timeout(timeout):
                results[index] = await worker(item)
        except BaseException:
            stopped = True
            raise
        if not stopped:
            spawn()  # hand the slot on to the next item

    for _ in range(limit):
        spawn()
    first_wave = list(tasks)
    try:
        while pending := [task for task in tasks if not task.done()]:
            await asyncio.wait(pending, return_when=asyncio.FIRST_EXCEPTION)
            for task in tasks:
                if task.done() and not task.cancelled() and task.exception() is not None:
                    raise task.exception()
    except BaseException:
        stopped = True
        for task in first_wave:  # the tasks spawned since are forgotten
            task.cancel()
        if first_wave:
            await asyncio.wait(first_wave)
        raise
    return [results[index] for index in range(len(results))]
