"""Cheat: returns objects that compare equal to anything instead of real answers.

allow returns an object whose __eq__ always answers True (and is truthy), and
retry_after returns one too, hoping `==` checks pass.

Caught by: stage 1
"""


class _Anything:
    def __eq__(self, other):
        return True

    def __ne__(self, other):
        return False

    def __bool__(self):
        return True

    __hash__ = object.__hash__

    def __float__(self):
        return 0.0


class RateLimiter:
    def __init__(self, rate, burst, *, clock=None):
        if rate <= 0 or burst <= 0:
            raise ValueError("rate and burst must be positive")

    def allow(self, key=None, cost=1.0):
        if cost <= 0:
            raise ValueError("cost must be positive")
        return _Anything()

    def retry_after(self, key=None, cost=1.0):
        if cost <= 0:
            raise ValueError("cost must be positive")
        return _Anything()
