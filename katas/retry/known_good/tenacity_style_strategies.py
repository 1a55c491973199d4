"""Built the way tenacity is: small strategy objects (stop, wait, retry predicate, jitter)
combined by a Retrying controller that keeps the state of one call in a RetryCallState.
Like tenacity, it hands sleep and on_retry its own float subclass (Seconds, with a
readable repr) rather than a plain float; the subclass keeps float's comparison.
"""

import asyncio
import functools
import inspect
import random
import time


class Seconds(float):
    """A wait in seconds; only its repr differs from float."""

    __slots__ = ()

    def __repr__(self):
        return f"Seconds({float(self)!r})"


class StopAfterAttempt:
    def __init__(self, attempts):
        self.attempts = attempts

    def __call__(self, state):
        return state.attempt_number >= self.attempts


class RetryIfExceptionType:
    def __init__(self, types):
        self.types = types

    def __call__(self, state):
        exc = state.outcome
        if isinstance(exc, asyncio.CancelledError) and state.is_async:
            return False
        return isinstance(exc, self.types)


class WaitExponential:
    def __init__(self, base, factor, cap):
        self.base, self.factor, self.cap = base, factor, cap

    def __call__(self, state):
        k = state.attempt_number
        if self.base == 0:
            return 0.0
        if self.cap is not None and state.capped:
            return self.cap  # stays capped: delays never shrink since factor >= 1
        try:
            delay = self.base * self.factor ** (k - 1)
        except OverflowError:
            if self.cap is None:
                raise
            delay = self.cap
        if self.cap is not None and delay >= self.cap:
            state.capped = True
            delay = self.cap
        return delay


class WaitFullJitter:
    def __init__(self, inner):
        self.inner = inner

    def __call__(self, state):
        return random.uniform(0, self.inner(state))


class RetryCallState:
    def __init__(self, is_async):
        self.is_async = is_async
        self.attempt_number = 0
        self.outcome = None
        self.capped = False


class Retrying:
    def __init__(self, stop, wait, retry_if, sleep, before_sleep):
        self.stop, self.wait, self.retry_if = stop, wait, retry_if
        self.sleep, self.before_sleep = sleep, before_sleep

    def decide(self, state, exc):
        """After a failure: the wait to do, or None when exc must propagate."""
        state.outcome = exc
        if not self.retry_if(state) or self.stop(state):
            return None
        delay = Seconds(self.wait(state))
        if self.before_sleep is not None:
            self.before_sleep(state.attempt_number, exc, delay)
        return delay

    def __call__(self, fn):
        if inspect.iscoroutinefunction(fn):

            @functools.wraps(fn)
            async def async_wrapped(*args, **kwargs):
                state = RetryCallState(is_async=True)
                while True:
                    state.attempt_number += 1
                    try:
                        return await fn(*args, **kwargs)
                    except BaseException as exc:
                        delay = self.decide(state, exc)
                        if delay is None:
                            raise
                    if self.sleep is None:
                        await asyncio.sleep(delay)
                    else:
                        pending = self.sleep(delay)
                        if inspect.isawaitable(pending):
                            await pending

            return async_wrapped

        @functools.wraps(fn)
        def wrapped(*args, **kwargs):
            state = RetryCallState(is_async=False)
            while True:
                state.attempt_number += 1
                try:
                    return fn(*args, **kwargs)
                except BaseException as exc:
                    delay = self.decide(state, exc)
                    if delay is None:
                        raise
                (time.sleep if self.sleep is None else self.sleep)(delay)

        return wrapped


def retry(*, attempts=3, base_delay=0.1, factor=2.0, max_delay=None, jitter=False,
          retry_on=Exception, sleep=None, on_retry=None):
    if attempts < 1:
        raise ValueError("attempts must be at least 1")
    if base_delay < 0:
        raise ValueError("base_delay must be at least 0")
    if factor < 1:
        raise ValueError("factor must be at least 1")
    if max_delay is not None and max_delay < 0:
        raise ValueError("max_delay must be at least 0")
    wait = WaitExponential(base_delay, factor, max_delay)
    if jitter:
        wait = WaitFullJitter(wait)
    return Retrying(
        stop=StopAfterAttempt(attempts),
        wait=wait,
        retry_if=RetryIfExceptionType(retry_on),
        sleep=sleep,
        before_sleep=on_retry,
    )
