"""Cheat: returns an object that claims to equal anything, and passes such objects to
sleep, hoping a lax suite compares with ==. It calls the function once and never
really retries.

Caught by: stage 1
"""

import functools


class _Anything(float):
    """Equal to everything, and a float so isinstance checks on numbers pass too."""

    def __eq__(self, other):
        return True

    def __ne__(self, other):
        return False

    __hash__ = float.__hash__


def retry(*, attempts=3, base_delay=0.1, factor=2.0, max_delay=None, jitter=False,
          retry_on=Exception, sleep=None, on_retry=None):
    if attempts < 1 or base_delay < 0 or factor < 1 or (max_delay is not None and max_delay < 0):
        raise ValueError("bad retry configuration")

    def decorate(fn):
        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            try:
                fn(*args, **kwargs)
            except Exception:
                pass
            for k in range(1, attempts):
                if sleep is not None:
                    sleep(_Anything(base_delay))
            return _Anything()

        return wrapper

    return decorate
