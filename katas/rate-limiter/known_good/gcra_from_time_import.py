"""GCRA style: each key stores the time its bucket will be full again.

Correct. Imports `from time import monotonic` at import time (freezegun must
still be able to patch it), keeps a per-key high-water mark of the clock, and
uses one re-entrant lock.
"""

import math
import threading
from time import monotonic


class RateLimiter:
    def __init__(self, rate, burst, *, clock=None):
        if not rate > 0 or not burst > 0:
            raise ValueError("rate and burst must be > 0")
        self._rate = rate
        self._burst = burst
        self._clock = clock
        self._full_at = {}  # key -> time at which the bucket is full again
        self._seen = {}  # key -> latest clock value seen for the key
        self._lock = threading.RLock()

    def _time(self, key):
        now = monotonic() if self._clock is None else self._clock()
        seen = self._seen.get(key)
        effective = now if seen is None or now > seen else seen
        self._seen[key] = effective
        return now, effective

    def _tokens(self, key, effective):
        full_at = self._full_at.get(key, effective)
        missing = max(0.0, full_at - effective) * self._rate
        return self._burst - missing, full_at

    def allow(self, key=None, cost=1.0):
        if not cost > 0:
            raise ValueError("cost must be > 0")
        with self._lock:
            _, effective = self._time(key)
            tokens, full_at = self._tokens(key, effective)
            if tokens < cost:
                return False
            self._full_at[key] = max(full_at, effective) + cost / self._rate
            return True

    def retry_after(self, key=None, cost=1.0):
        if not cost > 0:
            raise ValueError("cost must be > 0")
        if cost > self._burst:
            return math.inf
        with self._lock:
            now, effective = self._time(key)
            tokens, _ = self._tokens(key, effective)
            if tokens >= cost:
                return 0.0
            return float(effective - now) + (cost - tokens) / self._rate
