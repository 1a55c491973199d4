"""The benchmark workload of the retry kata (see harness/grading/benchmark.py)."""

WORKLOAD = "a call that fails n - 1 times, then succeeds, with attempts=n and a no-op sleep"
SIZES = (100, 400, 1_600)


def make(module, n):
    calls = [0]

    def flaky():
        calls[0] += 1
        if calls[0] % n:
            raise ValueError("not yet")
        return calls[0]

    decorated = module.retry(attempts=n, base_delay=0.001, factor=2.0, max_delay=1.0,
                             sleep=lambda delay: None)(flaky)

    def run():
        calls[0] = 0
        decorated()

    return run
