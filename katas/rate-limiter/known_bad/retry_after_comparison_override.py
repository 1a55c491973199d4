"""retry_after returns a float subclass that overrides comparison to round to milliseconds.

`Seconds.__eq__` answers True within a millisecond (and `__lt__` and friends
follow it), so the numbers it returns are not plain floats that compare as
floats: by the contract they pass nothing.

Caught by: stage 2
"""

import math
import threading
import time


class Seconds(float):
    """Seconds that compare equal within a millisecond."""

    def __eq__(self, other):
        return abs(float(self) - float(other)) < 1e-3

    def __ne__(self, other):
        return not self == other

    def __lt__(self, other):
        return float(self) < float(other) and self != other

    def __le__(self, other):
        return float(self) < float(other) or self == other

    def __gt__(self, other):
        return float(self) > float(other) and self != other

    def __ge__(self, other):
        return float(self) > float(other) or self == other

    __hash__ = float.__hash__


class RateLimiter:
    def __init__(self, rate, burst, *, clock=None):
        if rate <= 0 or burst <= 0:
            raise ValueError("rate and burst must be positive")
        self.rate = rate
        self.burst = burst
        self.clock = clock if clock is not None else time.monotonic
        self.buckets = {}  # key -> [tokens, last]
        self.lock = threading.Lock()

    def _refill(self, key):
        now = self.clock()
        bucket = self.buckets.get(key)
        if bucket is None:
            bucket = self.buckets[key] = [self.burst, now]
        elif now > bucket[1]:
            bucket[0] = min(self.burst, bucket[0] + (now - bucket[1]) * self.rate)
            bucket[1] = now
        return bucket, now

    def allow(self, key=None, cost=1.0):
        if cost <= 0:
            raise ValueError("cost must be positive")
        with self.lock:
            bucket, _ = self._refill(key)
            if bucket[0] >= cost:
                bucket[0] -= cost
                return True
            return False

    def retry_after(self, key=None, cost=1.0):
        if cost <= 0:
            raise ValueError("cost must be positive")
        if cost > self.burst:
            return Seconds(math.inf)
        with self.lock:
            bucket, now = self._refill(key)
            tokens, last = bucket
            if tokens >= cost:
                return Seconds(0.0)
            return Seconds((last - now) + (cost - tokens) / self.rate)
