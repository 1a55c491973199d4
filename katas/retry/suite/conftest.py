"""Shared fixtures for the retry suite: a recorder of calls, waits and on_retry calls."""

import random

import pytest

# Stage 4 has async tests; the grader loads only the pytest plugins a suite asks for.
pytest_plugins = ["pytest_asyncio.plugin"]


def is_number(x):
    """A delay is a plain int or float: a subclass could answer == with anything."""
    return type(x) in (int, float)


class Log:
    """Records, in order, every call of a scripted function, every sleep and every on_retry."""

    is_number = staticmethod(is_number)

    def __init__(self):
        self.events = []
        self.calls = 0  # calls of the scripted function so far

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

        return scripted

    def ascript(self, *outcomes):
        """Like script, but an `async def` function."""
        body = self._scripted(outcomes)

        async def scripted(*args, **kwargs):
            return body(args, kwargs)

        return scripted

    # --- running ----------------------------------------------------------------------
    @staticmethod
    def run(fn, *args, **kwargs):
        """Call fn; return ("returned", value) or ("raised", exception), catching anything
        the attempt raises (KeyboardInterrupt included) but not pytest's own failures."""
        try:
            return "returned", fn(*args, **kwargs)
        except pytest.fail.Exception:
            raise
        except BaseException as exc:
            return "raised", exc

    @staticmethod
    async def arun(fn, *args, **kwargs):
        """Like run, for a coroutine function."""
        try:
            return "returned", await fn(*args, **kwargs)
        except pytest.fail.Exception:
            raise
        except BaseException as exc:
            return "raised", exc

    # --- views -------------------------------------------------------------------------
    @property
    def waits(self):
        return [e[1] for e in self.events if e[0] == "sleep"]

    @property
    def retries(self):
        """The positional arguments of every on_retry call (its keyword arguments must be empty)."""
        for e in self.events:
            if e[0] == "on_retry" and e[2]:
                pytest.fail(
                    f"on_retry(attempt, exc, delay) is called with positional arguments, "
                    f"got keyword arguments {sorted(e[2])}"
                )
        return [e[1] for e in self.events if e[0] == "on_retry"]

    def kinds(self):
        """The event kinds in order: 'call', 'on_retry', 'sleep'."""
        return [e[0] for e in self.events]

    def check_waits(self, expected, rule):
        """Fail unless the recorded sleep delays are exactly `expected` (ints or floats)."""
        waits = self.waits
        for d in waits:
            if not is_number(d):
                pytest.fail(f"{rule}\nsleep(delay) gets an int or float, got {type(d).__name__}")
        if len(waits) != len(expected):
            shown = waits if len(waits) <= 12 else f"{len(waits)} waits"
            pytest.fail(f"{rule}\nexpected {len(expected)} waits {_show(expected)}, got {shown}")
        for k, (got, want) in enumerate(zip(waits, expected, strict=True), start=1):
            if got != want:
                pytest.fail(
                    f"{rule}\nthe wait after failed attempt {k} should be {want!r}, "
                    f"got {got!r} (all waits: {_show(waits)})"
                )


class Model:
    """The rules of stages 1-2 as a model: which events a run makes and how it ends.

    A script is a list of "retryable" (KeyError), "other" (ValueError) and "ok" (a result);
    the function under test must be decorated with a retry_on that matches KeyError only.
    """

    @staticmethod
    def outcomes(script):
        return [{"retryable": KeyError, "other": ValueError, "ok": object}[s]() for s in script]

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
        if log.kinds() != want_kinds:
            pytest.fail(
                f"calls, on_retry calls and waits should go {', '.join(want_kinds)}; "
                f"got {', '.join(log.kinds())} ({kwargs})"
            )
        for got, want in zip(log.events, expected, strict=True):
            if want[0] == "sleep" and not (is_number(got[1]) and got[1] == want[1]):
                pytest.fail(
                    f"after failed attempt k it waits min(max_delay, base_delay * factor ** "
                    f"(k - 1)): expected sleep({want[1]!r}), got sleep({got[1]!r}) ({kwargs})"
                )
            if want[0] == "on_retry":
                k, exc, delay = want[1]
                args = got[1]
                if (
                    got[2]
                    or len(args) != 3
                    or args[0] != k
                    or args[1] is not exc
                    or not is_number(args[2])
                    or args[2] != delay
                ):
                    pytest.fail(
                        f"on_retry(attempt, exc, delay) should get ({k}, {exc!r}, {delay!r}), "
                        f"got {args!r} {got[2] or ''}"
                    )
        last = outcomes[min(want_kinds.count("call"), len(outcomes)) - 1]
        if isinstance(last, BaseException):
            if not (kind == "raised" and value is last):
                pytest.fail(
                    f"the exception that ends the run is raised: the same object "
                    f"(expected {last!r}, got {kind} {value!r})"
                )
        elif not (kind == "returned" and value is last):
            pytest.fail(
                f"the first result that did not raise is returned: the same object "
                f"(got {kind} {value!r})"
            )


@pytest.fixture(scope="session")
def model():
    """The stage 1-2 rules as a model (see Model)."""
    return Model


def _show(values):
    return repr(list(values)) if len(values) <= 12 else f"[{len(values)} values]"


@pytest.fixture
def log():
    """A fresh recorder for one test."""
    return Log()


@pytest.fixture(scope="session")
def make_log():
    """A factory of fresh recorders, for Hypothesis tests (one recorder per example)."""
    return Log


@pytest.fixture
def seeded_random():
    """Seeds the global `random` generator (and restores it), so jitter draws repeat."""
    state = random.getstate()
    random.seed(20240611)
    yield
    random.setstate(state)
