"""The benchmark workload of the lru-cache kata (see harness/grading/benchmark.py)."""

WORKLOAD = "2,000 mixed get and put calls on a full cache of capacity n"
SIZES = (100, 1_000, 10_000)
CALLS = 2_000


def make(module, n):
    cache = module.LRUCache(n)
    for key in range(n):
        cache.put(key, key)
    next_key = [n]

    def run():
        for i in range(CALLS):
            if i % 2:
                cache.get((i * 7919) % next_key[0])
            else:
                cache.put(next_key[0], i)
                next_key[0] += 1

    return run
