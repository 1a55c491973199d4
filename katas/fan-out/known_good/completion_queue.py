"""Correct: a supervisor fed by a completion queue, with a watchdog timer per call.

Every call runs in its own task, which reports (index, outcome) on a queue when it
ends; the supervisor refills that slot at once (a sliding window) and stops at the
first failure. The timeout is a loop.call_later watchdog armed when the call starts
and turned into TimeoutError by the call's own wrapper. On any exit, including the
caller's cancellation, the supervisor cancels the running tasks once and waits for
them (and their awaiting cleanup) to finish.
"""

import asyncio
from collections.abc import Awaitable, Callable, Iterable
from typing import Any

_END = object()


async def fan_out(items: Iterable[Any], worker: Callable[[Any], Awaitable[Any]], *,
                  limit: int = 10, timeout: float | None = None) -> list[Any]:
    if limit < 1:
        raise ValueError(f"limit must be at least 1, not {limit}")
    loop = asyncio.get_running_loop()
    finished: asyncio.Queue = asyncio.Queue()
    results: list[Any] = []
    running: set[asyncio.Task] = set()

    async def call(index: int, item: Any) -> None:
        me = asyncio.current_task()
        expired = False

        def expire() -> None:
            nonlocal expired
            expired = True
            me.cancel()

        watchdog = loop.call_later(timeout, expire) if timeout is not None else None
        try:
            value = await worker(item)
        except asyncio.CancelledError:
            if not expired:
                raise
            me.uncancel()
            finished.put_nowait((index, False, TimeoutError(f"item {index} timed out")))
        except Exception as error:
            finished.put_nowait((index, False, error))
        else:
            finished.put_nowait((index, True, value))
        finally:
            if watchdog is not None:
                watchdog.cancel()

    outstanding = 0  # calls started whose report the supervisor has not read yet

    def start(index: int, item: Any) -> None:
        nonlocal outstanding
        outstanding += 1
        task = loop.create_task(call(index, item))
        running.add(task)
        task.add_done_callback(running.discard)

    source = iter(items)
    try:
        for item in source:
            results.append(None)
            start(len(results) - 1, item)
            if outstanding == limit:
                break
        while outstanding:
            reports = [await finished.get()]
            while not finished.empty():  # every call that ended meanwhile, failures first
                reports.append(finished.get_nowait())
            outstanding -= len(reports)
            for _, ok, outcome in reports:
                if not ok:
                    raise outcome
            for index, _, value in reports:
                results[index] = value
            for _ in reports:  # one new item per slot that just freed
                item = next(source, _END)
                if item is _END:
                    break
                results.append(None)
                start(len(results) - 1, item)
    finally:
        pending = list(running)
        for task in pending:
            task.cancel()
        if pending:
            await asyncio.wait(pending)
    return results
