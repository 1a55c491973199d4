"""Correct: one task per item, each finished call spawning its successor in a TaskGroup.

There is no loop per slot and no semaphore: the first limit items get a task each, and
a call that succeeds hands its slot on by taking the next item and creating its task
in the same group, so the window slides the moment a call ends. The TaskGroup cancels
and waits for the rest on a failure or on the caller's cancellation; a stop flag and
the task's own cancelling() count keep a finishing call from spawning once anything
went wrong.
"""

import asyncio
from collections.abc import Awaitable, Callable, Iterable
from typing import Any

_END = object()


async def fan_out(items: Iterable[Any], worker: Callable[[Any], Awaitable[Any]], *,
                  limit: int = 10, timeout: float | None = None) -> list[Any]:
    if limit < 1:
        raise ValueError(f"limit must be at least 1, got {limit}")
    source = iter(items)
    results: list[Any] = []
    stopped = False

    def spawn_next(group: asyncio.TaskGroup) -> None:
        if stopped or asyncio.current_task().cancelling():
            return
        item = next(source, _END)
        if item is _END:
            return
        results.append(None)
        group.create_task(run(group, len(results) - 1, item))

    async def run(group: asyncio.TaskGroup, index: int, item: Any) -> None:
        nonlocal stopped
        try:
            async with asyncio.timeout(timeout):  # armed when this call starts
                results[index] = await worker(item)
        except BaseException:
            stopped = True
            raise
        spawn_next(group)

    try:
        async with asyncio.TaskGroup() as group:
            for _ in range(limit):
                spawn_next(group)
    except BaseExceptionGroup as errors:
        raise errors.exceptions[0] from None
    return results
