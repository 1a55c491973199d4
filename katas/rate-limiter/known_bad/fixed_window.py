"""A fixed window instead of a token bucket: the full burst comes back at once.

Each window lasts burst / rate seconds; at the start of a new window the
bucket is full again, and nothing refills inside a window.

Caught by: stage 1
"""

import math
import threading
import time


class RateLimiter:
    def __init__(self, rate, burst, *, clock=None):
        if rate <= 0 or burst <= 0:
            raise ValueError("rate and burst must be positive")
        self.rate = rate
        self.burst = burst
        self.window = burst / rate
        self.clock = clock or time.monotonic
        self.windows = {}  # key -> [window start, tokens left]
        self.lock = threading.Lock()

    def _current(self, key):
        now = self.clock()
        w = self.windows.get(key)
        if w is None or now >= w[0] + self.window:
            w = self.windows[key] = [now, self.burst]
        return w, now

    def allow(self, key=None, cost=1.0):
        if cost <= 0:
            raise ValueError("cost must be positive")
        with self.lock:
            w, _ = self._current(key)
            if w[1] >= cost:
                w[1] -= cost
                return True
            return False

    def retry_after(self, key=None, cost=1.0):
        if cost <= 0:
            raise ValueError("cost must be positive")
        if cost > self.burst:
            return math.inf
        with self.lock:
            w, now = self._current(key)
            if w[1] >= cost:
                return 0.0
            return float(w[0] + self.window - now)
