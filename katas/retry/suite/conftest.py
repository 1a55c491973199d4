"""Shared fixtures for the retry suite: a recorder of calls, waits and on_retry calls, a spy
on the real sleeps, and one shape for every failure message."""

import asyncio
import random
import sys
import time

import pytest

# Stage 4 has async tests; the grader loads only the pytest plugins a suite asks for.
pytest_plugins = ["pytest_asyncio.plugin"]

# Taken before any test patches them: the objects a name bound at import refers to.
_TIME_SLEEP = time.sleep
_ASYNCIO_SLEEP_CODE = asyncio.sleep.__code__

# The comparison of int and float; a subclass must keep these to count as a number.
_COMPARISON = ("__eq__", "__ne__", "__lt__", "__le__", "__gt__", "__ge__", "__hash__")


def is_number(x):
    """A number read from the attempt: an int or a float, or a subclass of one that keeps
    int's or float's own comparison (tenacity passes its own float subclass to sleep). A
    subclass that overrides comparison could answer == with anything: it is no number."""
    kind = type(x)
    if kind is float or kind is int:
        return True
    for base in (float, int):
        if isinstance(x, base):
            return all(getattr(kind, name) is getattr(base, name) for name in _COMPARISON)
    return False


def report(rule, input, got, expected=None):
    """Fail with the rule, the input, what was expected and what the attempt did."""
    lines = [rule, f"input: {input}"]
    if expected is not None:
        lines.append(f"expected: {expected}")
    lines.append(f"got: {got}")
    pytest.fail("\n".join(lines), pytrace=False)


def show(values, limit=12):
    """A list, shortened in the middle when long: [1, 2, 3, ... (1093 more), 1, 1]."""
    values = list(values)
    if len(values) <= limit:
        return repr(values)
    head = ", ".join(map(repr, values[:6]))
    tail = ", ".join(map(repr, values[-3:]))
    return f"[{head}, ... ({len(values) - 9} more), {tail}]"


class Token:
    """A result to return from a scripted function: compared by identity, short repr."""

    def __init__(self, name):
        self.name = name

    def __repr__(self):
        return f"<{self.name}>"


class Recorder(list):
    """An on_retry that records its calls in itself: a list, so falsy while empty. Each entry
    is the tuple of positional arguments (with a dict of keyword arguments, if any, appended)."""

    def __call__(self, *args, **kwargs):
        self.append((*args, kwargs) if kwargs else args)


class SleepSpy:
    """Records every call of time.sleep and asyncio.sleep inside a `with` block, however the
    attempt reaches them: through the module attribute (patched with a recorder) or through
    a name bound at import (seen by a profile hook). `real=True` lets time.sleep really sleep."""

    def __init__(self, monkeypatch, real=False):
        self.calls = []  # ("time.sleep" | "asyncio.sleep", delay or "?")
        self._frames = []
        self._real = real
        spy = self

        def time_sleep(delay, /):
            spy.calls.append(("time.sleep", delay))
            if real:
                _TIME_SLEEP(delay)

        self._patched_code = time_sleep.__code__
        monkeypatch.setattr(time, "sleep", time_sleep)

    def _profile(self, frame, event, arg):
        if event == "c_call" and arg is _TIME_SLEEP and frame.f_code is not self._patched_code:
            self.calls.append(("time.sleep", "?"))  # a C call: its argument is not visible
        elif (
            event == "call"
            and frame.f_code is _ASYNCIO_SLEEP_CODE
            and not any(f is frame for f in self._frames)  # a resumed coroutine calls again
        ):
            self._frames.append(frame)
            self.calls.append(("asyncio.sleep", frame.f_locals.get("delay", "?")))

    def __enter__(self):
        self._previous = sys.getprofile()
        sys.setprofile(self._profile)
        return self

    def __exit__(self, *exc_info):
        sys.setprofile(self._previous)
        self._frames.clear()

    def of(self, name):
        return [delay for called, delay in self.calls if called == name]

    def __str__(self):
        if not self.calls:
            return "time.sleep and asyncio.sleep were never called"
        return ", ".join(f"{name}({delay})" for name, delay in self.calls) + " were called"


def _name(value, log):
    """How a keyword argument of retry(...) is written in an input line."""
    if getattr(value, "__self__", None) is log:
        return value.__name__  # sleep, async_sleep, on_retry
    if isinstance(value, Recorder):
        return "recorder"
    if isinstance(value, type):
        return value.__name__
    if isinstance(value, tuple):
        return (
            "(" + ", ".join(_name(v, log) for v in value) + ("," if len(value) == 1 else "") + ")"
        )
    if callable(value):
        return getattr(value, "__name__", type(value).__name__)
    return repr(value)


def describe(outcomes):
    """What a scripted function does, call after call, as a sentence."""

    def one(outcome):
        return (
            f"raises {outcome!r}" if isinstance(outcome, BaseException) else f"returns {outcome!r}"
        )

    if len(outcomes) == 1:
        return f"{one(outcomes[0])} on every call"
    firsts = ", then ".join(one(o) for o in outcomes[:-1])
    return f"{firsts}, then {one(outcomes[-1])} on every later call"


def build(retry, input, fn=None, **kwargs):
    """retry(**kwargs), applied to fn when given; fails in the usual shape if that raises."""
    try:
        decorator = retry(**kwargs)
        return decorator if fn is None else decorator(fn)
    except pytest.fail.Exception:
        raise
    except BaseException as exc:
        report(
            "retry(...) returns a decorator; applied to a function it gives the decorated function",
            input,
            f"{'retry(...)' if fn is None else 'retry(...)(fn)'} raised {exc!r}",
        )


class Log:
    """Records, in order, every call of a scripted function, every sleep and every on_retry;
    knows the input of the test (for the message) and what the attempt did."""

    is_number = staticmethod(is_number)
    report = staticmethod(report)
    build = staticmethod(build)
    show = staticmethod(show)
    Token = Token
    Recorder = Recorder
    SleepSpy = SleepSpy

    def __init__(self):
        self.events = []
        self.calls = 0  # calls of the scripted function so far
        # The input line is only written out when a message needs it: what given() saw.
        self._input = None
        self._given = None
        self._plan = None  # the outcomes of the last scripted function
        self.outcome = None  # ("returned", value) or ("raised", exception) of the last run

    # --- injected collaborators -------------------------------------------------------
    def sleep(self, delay, /):
        """A sync sleep: records the delay, waits for nothing, returns None."""
        self.events.append(("sleep", delay))

    async def async_sleep(self, delay, /):
        """An async sleep: records the delay only when it is awaited."""
        self.events.append(("sleep", delay))

    def on_retry(self, *args, **kwargs):
        self.events.append(("on_retry", args, kwargs))

    # --- functions to decorate ---------------------------------------------------------
    def _scripted(self, outcomes):
        """The body of a scripted function: its n-th call raises outcomes[n] if it is an
        exception, else returns it; the last outcome repeats."""
        made = 0

        def next_outcome(args, kwargs):
            nonlocal made
            outcome = outcomes[min(made, len(outcomes) - 1)]
            made += 1
            self.calls += 1
            self.events.append(("call", args, kwargs))
            if isinstance(outcome, BaseException):
                raise outcome.with_traceback(None)  # a repeated exception must not pile up frames
            return outcome

        return next_outcome

    def script(self, *outcomes):
        """A plain function that plays `outcomes` (see _scripted)."""
        body = self._scripted(outcomes)

        def scripted(*args, **kwargs):
            return body(args, kwargs)

        self._plan = outcomes
        return scripted

    def ascript(self, *outcomes):
        """Like script, but an `async def` function."""
        body = self._scripted(outcomes)

        async def scripted(*args, **kwargs):
            return body(args, kwargs)

        self._plan = outcomes
        return scripted

    def retried(self, retry, *outcomes, is_async=False, call="f()", **kwargs):
        """retry(**kwargs)(f) for a scripted f playing `outcomes`; sets the input line."""
        fn = self.ascript(*outcomes) if is_async else self.script(*outcomes)
        self.given(kwargs, call=call, is_async=is_async)
        try:
            return retry(**kwargs)(fn)
        except pytest.fail.Exception:
            raise
        except BaseException as exc:
            self.fail(
                "retry(...) returns a decorator; applied to f it gives the decorated function",
                got=f"retry(...)(f) raised {exc!r}",
            )

    def given(self, kwargs, call="f()", is_async=False):
        """Sets the input line for retry(**kwargs) applied to the scripted function."""
        self._input = None
        self._given = (kwargs, call, is_async, self._plan)

    @property
    def plan(self):
        """What the last scripted function does, as a sentence."""
        return "(not set)" if self._plan is None else describe(self._plan)

    @property
    def input(self):
        """The input line of a message: set by hand, or written out from given()."""
        if self._input is not None:
            return self._input
        if self._given is None:
            return "(not set)"
        kwargs, call, is_async, plan = self._given
        shown = ", ".join(f"{k}={_name(v, self)}" for k, v in kwargs.items())
        kind = "async def f" if is_async else "f"
        run = f"await {call}" if is_async else call
        where = "(not set)" if plan is None else describe(plan)
        return f"retry({shown})(f), then {run}, where {kind} {where}"

    @input.setter
    def input(self, line):
        self._input = line

    # --- running ----------------------------------------------------------------------
    def run(self, fn, *args, **kwargs):
        """Call fn; return ("returned", value) or ("raised", exception), catching anything
        the attempt raises (KeyboardInterrupt included) but not pytest's own failures."""
        try:
            self.outcome = "returned", fn(*args, **kwargs)
        except pytest.fail.Exception:
            raise
        except BaseException as exc:
            self.outcome = "raised", exc
        return self.outcome

    async def arun(self, fn, *args, **kwargs):
        """Like run, for a coroutine function."""
        try:
            self.outcome = "returned", await fn(*args, **kwargs)
        except pytest.fail.Exception:
            raise
        except BaseException as exc:
            self.outcome = "raised", exc
        return self.outcome

    def returned(self, value):
        """The last run returned this very object."""
        return (
            self.outcome is not None and self.outcome[0] == "returned" and self.outcome[1] is value
        )

    def raised(self, error):
        """The last run raised this very exception object."""
        return self.outcome is not None and self.outcome[0] == "raised" and self.outcome[1] is error

    # --- views -------------------------------------------------------------------------
    @property
    def waits(self):
        return [e[1] for e in self.events if e[0] == "sleep"]

    @property
    def retries(self):
        """The positional arguments of every on_retry call (its keyword arguments must be empty)."""
        for e in self.events:
            if e[0] == "on_retry" and e[2]:
                self.fail(
                    "on_retry(attempt, exc, delay) is called with positional arguments",
                    got=f"on_retry called with keyword arguments {sorted(e[2])}",
                )
        return [e[1] for e in self.events if e[0] == "on_retry"]

    def kinds(self):
        """The event kinds in order: 'call', 'on_retry', 'sleep'."""
        return [e[0] for e in self.events]

    def did(self):
        """What the attempt did: calls, waits, on_retry calls and how the run ended."""
        parts = [f"{self.calls} call{'s' if self.calls != 1 else ''} of f"]
        parts.append(f"slept {show(self.waits)}")
        retries = [e[1] for e in self.events if e[0] == "on_retry"]
        if retries:
            parts.append(f"on_retry got {show(retries, 6)}")
        if self.outcome is not None:
            kind, value = self.outcome
            parts.append(f"then {kind} {value!r}")
        return ", ".join(parts)

    def order(self):
        return ", ".join(self.kinds()) or "nothing"

    # --- failing -------------------------------------------------------------------------
    def fail(self, rule, expected=None, got=None):
        report(rule, self.input, self.did() if got is None else got, expected)

    def expect(self, ok, rule, expected=None, got=None):
        if not ok:
            self.fail(rule, expected, got)

    def check_waits(self, expected, rule):
        """Fail unless the recorded sleep delays are exactly `expected` (numbers)."""
        waits = self.waits
        for k, d in enumerate(waits, start=1):
            if not is_number(d):
                self.fail(
                    f"{rule}\n(sleep(delay) gets an int or float, or a subclass that keeps "
                    "their comparison)",
                    expected=f"waits {show(expected)}",
                    got=f"{self.did()}; the wait after attempt {k} is a {type(d).__name__}",
                )
        if len(waits) != len(expected):
            self.fail(rule, expected=f"{len(expected)} waits {show(expected)}")
        for k, (got, want) in enumerate(zip(waits, expected, strict=True), start=1):
            if got != want:
                self.fail(
                    rule,
                    expected=f"waits {show(expected)}",
                    got=f"{self.did()}; the wait after attempt {k} was {got!r}, not {want!r}",
                )


class Model:
    """The rules of stages 1-2 as a model: which events a run makes and how it ends.

    A script is a list of "retryable" (KeyError), "other" (ValueError) and "ok" (a result);
    the function under test must be decorated with a retry_on that matches KeyError only.
    """

    @staticmethod
    def outcomes(script):
        made = {"retryable": KeyError, "other": ValueError, "ok": lambda: Token("result")}
        return [made[s]() for s in script]

    @staticmethod
    def check(log, outcomes, kwargs, kind, value):
        attempts, base_delay, factor = kwargs["attempts"], kwargs["base_delay"], kwargs["factor"]
        max_delay = kwargs["max_delay"]
        expected = []
        for k in range(1, attempts + 1):
            outcome = outcomes[min(k, len(outcomes)) - 1]
            expected.append(("call",))
            if not isinstance(outcome, KeyError) or k == attempts:
                break
            delay = base_delay * factor ** (k - 1)
            if max_delay is not None:
                delay = min(max_delay, delay)
            expected += [("on_retry", (k, outcome, delay)), ("sleep", delay)]
        want_kinds = [e[0] for e in expected]
        rule = (
            "up to `attempts` calls; after a failed attempt k that is an instance of retry_on "
            "and not the last: on_retry(k, exc, delay), then sleep(delay) with "
            "delay = min(max_delay, base_delay * factor ** (k - 1)); anything else ends the run"
        )
        log.expect(
            log.kinds() == want_kinds,
            rule,
            expected=", ".join(want_kinds),
            got=f"{log.order()} ({log.did()})",
        )
        for got, want in zip(log.events, expected, strict=True):
            if want[0] == "sleep" and not (is_number(got[1]) and got[1] == want[1]):
                log.fail(
                    rule, expected=f"sleep({want[1]!r})", got=f"sleep({got[1]!r}) ({log.did()})"
                )
            if want[0] == "on_retry":
                k, exc, delay = want[1]
                args = got[1]
                if (
                    got[2]
                    or len(args) != 3
                    or not (is_number(args[0]) and args[0] == k)
                    or args[1] is not exc
                    or not is_number(args[2])
                    or args[2] != delay
                ):
                    log.fail(
                        "on_retry(attempt, exc, delay) gets the number of the attempt that "
                        "failed, its exception (the same object) and the delay about to be waited",
                        expected=f"on_retry{(k, exc, delay)!r}",
                        got=f"on_retry called with {args!r} {got[2] or ''}".rstrip(),
                    )
        last = outcomes[min(want_kinds.count("call"), len(outcomes)) - 1]
        if isinstance(last, BaseException):
            log.expect(
                kind == "raised" and value is last,
                "the exception that ends the run is raised: the same object",
                expected=f"raised {last!r} (that very object)",
            )
        else:
            log.expect(
                kind == "returned" and value is last,
                "the first result that did not raise is returned: the same object",
                expected=f"returned {last!r}",
            )


@pytest.fixture(scope="session")
def model():
    """The stage 1-2 rules as a model (see Model)."""
    return Model


@pytest.fixture
def log():
    """A fresh recorder for one test."""
    return Log()


@pytest.fixture(scope="session")
def make_log():
    """A factory of fresh recorders, for Hypothesis tests (one recorder per example); its
    static helpers (report, is_number, Token, Recorder) serve tests that need no recorder."""
    return Log


@pytest.fixture
def instant_asyncio_sleep(monkeypatch):
    """asyncio.sleep, as looked up on the module, returns at once (and records its delays): a
    test that gives its own sleep does not wait in real time for an attempt that also awaits
    asyncio.sleep. (The test that a given sleep is the only wait catches that attempt.)"""
    delays = []

    async def instant(delay, result=None):
        delays.append(delay)
        return result

    monkeypatch.setattr(asyncio, "sleep", instant)
    return delays


@pytest.fixture
def seeded_random():
    """Seeds the global `random` generator (and restores it), so jitter draws repeat."""
    state = random.getstate()
    random.seed(20240611)
    yield
    random.setstate(state)
