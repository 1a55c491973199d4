"""Token-bucket rate limiter.

Implement `RateLimiter` below. Start with stage 1 (one token bucket); later
stages add per-key buckets and `retry_after`, validation and clocks that go
backwards, and thread safety. Keep the interface exactly as it is.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable


class RateLimiter:
    """Allows or denies requests with a token bucket.

    A bucket holds up to `burst` tokens. It starts full and refills
    continuously at `rate` tokens per second, never above `burst`.
    """

    def __init__(
        self, rate: float, burst: float, *, clock: Callable[[], float] | None = None
    ) -> None:
        """Set up the limiter.

        rate:  tokens added per second.
        burst: the bucket's capacity (and its content when it starts).
        clock: returns the current time in seconds; read each time `allow`
               (or `retry_after`) is called. With None, use time.monotonic().
        """
        raise NotImplementedError

    def allow(self, key: Hashable = None, cost: float = 1.0) -> bool:
        """Try to take `cost` tokens from the bucket.

        Refill the bucket for the time passed since it was last used, then:
        if it holds at least `cost` tokens (exactly `cost` is enough), remove
        them and return True; otherwise remove nothing and return False.
        (Stage 1 uses one bucket; `key` matters from stage 2 on.)
        """
        raise NotImplementedError

    def retry_after(self, key: Hashable = None, cost: float = 1.0) -> float:
        """Seconds until `allow(key, cost)` would return True (stage 2)."""
        raise NotImplementedError
