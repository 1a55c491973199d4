"""Shared helpers for the fan-out suite: a recording worker and a counting generator."""

from __future__ import annotations

import asyncio
import reprlib
import sys

import pytest

# The grader loads only the pytest plugins a suite asks for.
pytest_plugins = ["pytest_asyncio.plugin"]


class Tracker:
    """Wraps a worker body; records what started, returned, raised, was cancelled, ran its finally.

    ``log`` holds ``(event, item)`` pairs in the order they happened, with event one of
    "start", "return", "raise", "cancel", "finally"; on a VirtualTimeLoop ``times`` holds
    the clock time of each. ``running`` is the number of worker
    calls started and not yet finished; ``max_running`` its highest value.
    """

    def __init__(self) -> None:
        self.log: list[tuple[str, object]] = []
        self.times: list[float | None] = []  # virtual-clock time of each log entry, else None
        self.running = 0
        self.max_running = 0
        self.finished = 0  # worker calls whose finally has run
        self.taken = 0  # items pulled from a stream() generator
        self.max_in_flight = 0  # highest taken - finished seen at a pull
        self.calls = 0  # times the worker callable was called (coroutine created)
        self.max_unstarted = 0  # highest calls - started coroutines seen at a call
        self._clock = None  # the virtual loop's time(), or False on a real-time loop

    def note(self, event, item):
        self.log.append((event, item))
        clock = self._clock
        if clock is None:  # looked up once: a tracker lives in one event loop
            loop = asyncio.get_running_loop()
            clock = self._clock = loop.time if isinstance(loop, VirtualTimeLoop) else False
        self.times.append(clock() if clock else None)

    def worker(self, body):
        """Return an async worker that records its life and awaits ``body(item)``."""

        async def worker(item):
            self.note("start", item)
            self.running += 1
            if self.running > self.max_running:
                self.max_running = self.running
            try:
                result = await body(item)
            except asyncio.CancelledError:
                self.note("cancel", item)
                raise
            except BaseException:
                self.note("raise", item)
                raise
            finally:
                self.running -= 1
                self.finished += 1
                self.note("finally", item)
            self.note("return", item)
            return result

        return worker

    def items_with(self, event):
        return [item for name, item in self.log if name == event]

    @property
    def started(self):
        return self.items_with("start")

    def stream(self, n, give_up_above=None):
        """A generator of ``range(n)`` counting the items taken and in flight.

        With ``give_up_above``, it raises once more items than that are in flight, so an
        attempt that takes everything up front fails fast instead of taking all n.
        """
        for i in range(n):
            self.taken += 1
            in_flight = self.taken - self.finished
            if in_flight > self.max_in_flight:
                self.max_in_flight = in_flight
            if give_up_above is not None and in_flight > give_up_above:
                raise RuntimeError(f"{in_flight} items taken and not finished: giving up")
            yield i

    def problems_at_exit(self, failed=None, limit=None, failure="raise"):
        """What is wrong with the state at the moment fan_out returned or raised (empty if nothing).

        Every started worker must have run its finally; every one that neither returned
        nor raised by itself must have been cancelled. After the worker for ``failed``
        failed (its ``failure`` event: "raise", or "cancel" for a timeout), no further item
        may start: only items already in flight then (at most ``limit`` together with those
        still running) may still begin. On a virtual clock, no other worker may run on past
        the moment of the failure (it must be cancelled, not waited for).
        """
        problems = []
        started = self.started
        finals = self.items_with("finally")
        unfinished = [item for item in started if finals.count(item) < started.count(item)]
        if unfinished:
            problems.append(f"workers for items {unfinished} were still running "
                            "(their finally had not completed)")
        ended_alone = set(self.items_with("return")) | set(self.items_with("raise"))
        cancelled = self.items_with("cancel")
        not_cancelled = [item for item in started if item not in unfinished
                         and item not in ended_alone and item not in cancelled]
        if not_cancelled:
            problems.append(f"workers for items {not_cancelled} were not cancelled")
        if failed is not None and (failure, failed) in self.log:
            at = self.log.index((failure, failed))
            before = [name for name, _ in self.log[:at]]
            running = before.count("start") - before.count("finally")
            late = [item for name, item in self.log[at + 1:] if name == "start"]
            if late and running + len(late) > limit:
                problems.append(f"items {late} were started after the worker for {failed!r} failed "
                                f"(with {running} running then and limit={limit})")
            failed_at = self.times[at]
            ran_on = [item for (name, item), time in zip(self.log[at + 1:], self.times[at + 1:],
                                                         strict=True)
                      if name == "return" and failed_at is not None and time > failed_at]
            if ran_on:
                problems.append(f"workers for items {ran_on} were not cancelled: they ran to the "
                                f"end after the worker for {failed!r} failed")
        return problems


@pytest.fixture
def tracker():
    """A fresh Tracker."""
    return Tracker()


@pytest.fixture(scope="session")
def make_tracker():
    """The Tracker class, for tests that need several (e.g. one per Hypothesis example)."""
    return Tracker


async def _yields(n):
    for _ in range(n):
        await asyncio.sleep(0)


@pytest.fixture(scope="session")
def yields():
    """``await yields(n)``: give the event loop n turns without real time passing."""
    return _yields


async def _until(condition, turns=2000):
    for _ in range(turns):
        if condition():
            return True
        await asyncio.sleep(0)
    return condition()


@pytest.fixture(scope="session")
def until():
    """``await until(cond)``: yield to the loop until cond() holds; returns whether it did."""
    return _until


class _VirtualSelector:
    """Wraps the loop's selector: instead of blocking until the next timer, time jumps there."""

    def __init__(self, selector, loop):
        self._selector = selector
        self._loop = loop

    def select(self, timeout=None):
        if timeout is None:  # nothing scheduled at all: only real I/O could wake the loop
            return self._selector.select(None)
        events = self._selector.select(0)
        if not events and timeout > 0:
            self._loop.now += timeout
        return events

    def __getattr__(self, name):
        return getattr(self._selector, name)


class VirtualTimeLoop(asyncio.SelectorEventLoop):
    """An event loop on a virtual clock: sleeps, timeouts and call_later take no real time."""

    def __init__(self):
        super().__init__()
        self.now = 0.0
        self._selector = _VirtualSelector(self._selector, self)

    def time(self):
        return self.now


def _run_virtual(coroutine):
    with asyncio.Runner(loop_factory=VirtualTimeLoop) as runner:
        return runner.run(coroutine)


@pytest.fixture(scope="session")
def run_virtual():
    """``run_virtual(coro)``: run coro to completion on an event loop with a virtual clock.

    Sleeps and timeouts are exact and instant, so timing rules are checked without real waiting;
    ``asyncio.get_running_loop().time()`` reads the virtual clock.
    """
    return _run_virtual


RESULTS_RULE = "fan_out must return the worker results as a plain list, in the order of items"

_REPR = reprlib.Repr()
_REPR.maxlist = _REPR.maxtuple = _REPR.maxset = _REPR.maxdict = 8
_REPR.maxstring = 60
_REPR.maxother = 50
_REPR.maxlevel = 3


def _short(value):
    """A short repr: long lists keep their head and say how many items they hold."""
    if isinstance(value, Raised):
        return repr(value)
    if isinstance(value, BaseException):  # whole, so a group shows what it holds
        text = repr(value)
        return text if len(text) <= 200 else text[:197] + "..."
    try:
        text = _REPR.repr(value)
    except Exception as error:  # a repr that raises is the attempt's, not ours
        return f"<{type(value).__name__} whose repr raised {type(error).__name__}>"
    if isinstance(value, list | tuple) and len(value) > _REPR.maxlist:
        text += f" ({len(value)} items)"
    return text


def _describe_error(error):
    """'raised TypeError("...") at line 12 of fan_out.py', the line being the attempt's own."""
    attempt = getattr(sys.modules.get("fan_out"), "__file__", None)
    line = None
    tb = error.__traceback__
    while tb is not None:
        if attempt and tb.tb_frame.f_code.co_filename == attempt:
            line = tb.tb_lineno
        tb = tb.tb_next
    text = f"raised {_short(error)}"
    return text + (f" at line {line} of fan_out.py" if line else "")


class Raised:
    """What fan_out raised, where a result was expected (see ``attempt``)."""

    def __init__(self, error):
        self.error = error

    def __repr__(self):
        return _describe_error(self.error)


async def _attempt(awaitable):
    """Await ``awaitable``; return its result, or a Raised if it raised an Exception."""
    try:
        return await awaitable
    except Exception as error:
        return Raised(error)


@pytest.fixture(scope="session")
def attempt():
    """``await attempt(fan_out(...))``: the result, or Raised(error) if fan_out raised."""
    return _attempt


def _fail(rule, call, got, expected=None):
    """Fail with the suite's message shape: the rule, input, expected (optional) and got lines."""
    lines = [rule, f"input: {call}"]
    if expected is not None:
        lines.append(f"expected: {expected}")
    lines.append(f"got: {got}")
    pytest.fail("\n".join(lines), pytrace=False)


@pytest.fixture(scope="session")
def fail():
    """``fail(rule, call, got, expected=None)``: fail with rule, input:, expected:, got: lines."""
    return _fail


@pytest.fixture(scope="session")
def short():
    """``short(value)``: a repr kept short for messages."""
    return _short


def _returned(result):
    """How a got: line tells what fan_out gave back."""
    if isinstance(result, Raised):
        return repr(result)
    if type(result) is list:
        return f"returned {_short(result)}"
    return f"returned an object of type {type(result).__name__}, not a plain list: {_short(result)}"


def _check_results(result, expected, call, rule=RESULTS_RULE):
    """Fail unless result is a plain list of exactly the expected results, in order.

    Each result must be the expected object itself, or of exactly its type and equal to it,
    so a look-alike whose __eq__ always answers True does not pass. ``call`` is the input
    line: the call as a person would write it. Big lists are shortened in the message.
    """
    if isinstance(result, Raised) or type(result) is not list:
        got = _returned(result)
    elif len(result) != len(expected):
        got = f"returned {len(result)} results for {len(expected)} items: {_short(result)}"
    else:
        wrong = next(((index, got, want)
                      for index, (got, want) in enumerate(zip(result, expected, strict=True))
                      if got is not want and (type(got) is not type(want) or got != want)),
                     None)
        if wrong is None:
            return
        index, got_item, want = wrong
        kind = ""
        if type(got_item) is not type(want):
            kind = f" (a {type(got_item).__name__}, not the worker's {type(want).__name__})"
        got = (f"result[{index}] is {_short(got_item)}{kind} where {_short(want)} belongs; "
               f"returned {_short(result)}")
    _fail(rule, call, got, expected=_short(expected))


@pytest.fixture(scope="session")
def check_results():
    """``check_results(result, expected, call, rule=...)``: strict comparison (_check_results)."""
    return _check_results


class Boom(Exception):
    """The exception a failing test worker raises."""


@pytest.fixture(scope="session")
def boom_type():
    return Boom
