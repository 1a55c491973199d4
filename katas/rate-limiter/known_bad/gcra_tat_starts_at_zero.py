"""GCRA with the theoretical arrival time (TAT) of a new key defaulting to 0.0 instead of now.

With a clock whose readings are positive and large, a TAT of 0 is far in the
past and the new bucket looks full. With a clock whose origin puts its readings
below 0, the new key's TAT lies in the future: its bucket starts partly or
wholly empty instead of full.

Caught by: stage 1
"""

import math
import threading
import time


class RateLimiter:
    def __init__(self, rate, burst, *, clock=None):
        if rate <= 0 or burst <= 0:
            raise ValueError("rate and burst must be positive")
        self.interval = 1.0 / rate  # seconds per token
        self.tau = burst / rate  # how far ahead of now the TAT may run
        self.rate = rate
        self.burst = burst
        self.clock = clock or time.monotonic
        self.tat = {}  # key -> theoretical arrival time
        self.seen = {}  # key -> latest time seen (a clock going back is clamped)
        self.lock = threading.Lock()

    def _now(self, key):
        now = self.clock()
        seen = max(now, self.seen.get(key, now))
        self.seen[key] = seen
        return now, seen

    def allow(self, key=None, cost=1.0):
        if cost <= 0:
            raise ValueError("cost must be positive")
        with self.lock:
            _, now = self._now(key)
            tat = max(self.tat.get(key, 0.0), now)
            new_tat = tat + cost / self.rate
            if new_tat - now > self.tau:
                return False
            self.tat[key] = new_tat
            return True

    def retry_after(self, key=None, cost=1.0):
        if cost <= 0:
            raise ValueError("cost must be positive")
        if cost > self.burst:
            return math.inf
        with self.lock:
            real, now = self._now(key)
            tat = max(self.tat.get(key, 0.0), now)
            wait = tat + cost / self.rate - now - self.tau
            if wait <= 0:
                return 0.0
            return (now - real) + wait
