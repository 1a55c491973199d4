"""Leaky-bucket meter: each key stores how full its meter is, which drains at `rate`.

Correct, in the "meter" picture of the same algorithm: a request of `cost`
pours `cost` into a meter of capacity `burst` that leaks `rate` per second;
it fits when `level + cost <= burst`. Each key has its own lock, created
under a registry lock; the default clock is `time.monotonic_ns()` in seconds.
"""

import math
import threading
import time


class _Meter:
    def __init__(self, now):
        self.level = 0.0  # burst - tokens: empty meter = full bucket
        self.seen = now  # the latest time this meter has seen
        self.lock = threading.Lock()


class RateLimiter:
    def __init__(self, rate, burst, *, clock=None):
        for name, value in (("rate", rate), ("burst", burst)):
            if value <= 0:
                raise ValueError(f"{name} must be > 0, got {value}")
        self.rate, self.burst = rate, burst
        self.clock = clock
        self.meters = {}
        self.registry = threading.Lock()

    def _now(self):
        if self.clock is None:
            return time.monotonic_ns() / 1e9
        return self.clock()

    def _meter(self, key, now):
        with self.registry:
            meter = self.meters.get(key)
            if meter is None:
                meter = self.meters[key] = _Meter(now)
            return meter

    @staticmethod
    def _drain(meter, now, rate):
        if now > meter.seen:
            meter.level = max(0.0, meter.level - (now - meter.seen) * rate)
            meter.seen = now

    def allow(self, key=None, cost=1.0):
        if cost <= 0:
            raise ValueError("cost must be > 0")
        if cost > self.burst:
            return False
        now = self._now()
        meter = self._meter(key, now)
        with meter.lock:
            self._drain(meter, now, self.rate)
            if meter.level + cost <= self.burst:
                meter.level += cost
                return True
            return False

    def retry_after(self, key=None, cost=1.0):
        if cost <= 0:
            raise ValueError("cost must be > 0")
        if cost > self.burst:
            return math.inf
        now = self._now()
        meter = self._meter(key, now)
        with meter.lock:
            self._drain(meter, now, self.rate)
            overflow = meter.level + cost - self.burst
            if overflow <= 0:
                return 0.0
            return (meter.seen - now) + overflow / self.rate
