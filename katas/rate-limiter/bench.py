"""The benchmark workload of the rate-limiter kata (see harness/grading/benchmark.py)."""

WORKLOAD = "2,000 allow and retry_after calls spread over n keys, on a moving fake clock"
SIZES = (100, 1_000, 10_000)
CALLS = 2_000


def make(module, n):
    now = [0.0]
    limiter = module.RateLimiter(rate=4.0, burst=8.0, clock=lambda: now[0])
    for key in range(n):
        limiter.allow(key)

    def run():
        for i in range(CALLS):
            now[0] += 0.001
            key = (i * 7919) % n
            if not limiter.allow(key):
                limiter.retry_after(key)

    return run
