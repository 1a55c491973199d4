"""The benchmark workload of the fan-out kata (see harness/grading/benchmark.py)."""

import asyncio

WORKLOAD = "fan_out over n items with limit=10 and a worker that yields once"
SIZES = (200, 800, 3_200)


async def _worker(item):
    await asyncio.sleep(0)
    return item


def make(module, n):
    def run():
        asyncio.run(module.fan_out(range(n), _worker, limit=10))

    return run
