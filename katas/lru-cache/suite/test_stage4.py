"""Stage 4, threads: one cache shared by 8 threads doing mixed get/put calls.

The contract speaks of 20,000 calls per thread; 2,500 each are enough here, because races are
made to show up: the interpreter switches threads as often as it can (sys.setswitchinterval),
and one key hash in 256 gives up the GIL (time.sleep(0)), so another thread runs in the middle
of a get or a put, right where an unguarded check-then-act breaks. That is twice as many
forced switches in all as one hash in 4,096 over 20,000 calls each: every unlocked attempt in
known_bad/ meets more errors per run than it did then, and is caught on every run. A cache
that holds one lock around each whole get and put is not affected: the other threads wait
for the lock.

len() is sampled by every thread after each of its calls. A size over capacity counts only
when it lasts while other threads complete calls, not when it is a put still in progress
under the cache's own lock (insert, then evict) glimpsed through an unlocked __len__.
"""

from __future__ import annotations

import itertools
import random
import sys
import threading
import time
from dataclasses import dataclass, field

import pytest
from lru_cache import LRUCache

pytestmark = pytest.mark.stage(4)

THREADS = 8
CALLS = 2_500  # per thread: see the module docstring
CAPACITY = 4
KEY_SPACE = 12  # three times the capacity: most puts of a new key evict
YIELD_EVERY = 256  # one __hash__ call in this many gives up the GIL
JOIN_SECONDS = 8.0

_hash_calls = itertools.count()


class Key:
    """A hashable key (one object per number) whose __hash__ sometimes lets other threads run."""

    __slots__ = ("n",)

    def __init__(self, n: int) -> None:
        self.n = n

    def __hash__(self) -> int:
        if next(_hash_calls) % YIELD_EVERY == 0:
            time.sleep(0)  # a thread switch right inside the cache's get or put
        return self.n

    def __eq__(self, other: object) -> bool:
        return type(other) is Key and other.n == self.n

    def __repr__(self) -> str:
        return f"Key({self.n})"


@dataclass
class Outcome:
    """What the shared-cache run observed."""

    errors: list = field(default_factory=list)
    error_count: int = 0
    max_len_seen: int = 0  # a size over capacity that lasted, else 0
    final_len: int = -1
    unreadable: list = field(default_factory=list)
    held: list = field(default_factory=list)  # keys that `in` reports afterwards
    foreign: list = field(default_factory=list)  # (key, value) read back but never put
    values: tuple = ()  # the value objects the workers put
    readback_error: BaseException | None = None
    hung: bool = False


def _run_shared_cache() -> Outcome:
    keys = [Key(n) for n in range(KEY_SPACE)]
    plans = []
    for index in range(THREADS):
        rng = random.Random(index)
        plans.append([(rng.random() < 0.5, keys[rng.randrange(KEY_SPACE)]) for _ in range(CALLS)])
    cache = LRUCache(CAPACITY)
    outcome = Outcome()
    lock = threading.Lock()  # guards outcome: the suite's own bookkeeping
    start = threading.Barrier(THREADS + 1)  # the workers and this thread
    progress = [0] * THREADS  # calls completed, per worker
    over_capacity = threading.Event()
    confirming = threading.Lock()  # one thread at a time confirms a size over capacity

    def record(exc: BaseException) -> None:
        with lock:
            outcome.error_count += 1
            if len(outcome.errors) < 3:
                outcome.errors.append(exc)

    def check_len() -> None:
        """Samples len(); a size over capacity counts once it outlasts other threads' calls.

        A put still running under the cache's own lock may add its entry just before it
        evicts, and an unlocked __len__ can see that for an instant: that is not counted.
        Still over capacity after each of 4 rounds in which the other threads completed
        16 more calls: that is the cache's state, and it counts.
        """
        size = len(cache)
        if size <= CAPACITY or over_capacity.is_set():
            return
        if not confirming.acquire(blocking=False):
            return  # another thread is already confirming
        try:
            for _ in range(4):
                mark = sum(progress) + 16
                give_up = time.monotonic() + 0.5
                while sum(progress) < mark:
                    if time.monotonic() > give_up:
                        return  # the others are done or stuck: the final check decides
                    time.sleep(0.0002)
                size = len(cache)
                if size <= CAPACITY:
                    return
            with lock:
                outcome.max_len_seen = max(outcome.max_len_seen, size)
            over_capacity.set()
        finally:
            confirming.release()

    values = [(index,) for index in range(THREADS)]

    def worker(plan: list, index: int) -> None:
        value = values[index]
        try:
            start.wait()
        except threading.BrokenBarrierError:
            return
        for is_put, key in plan:
            try:
                if is_put:
                    cache.put(key, value)
                else:
                    cache.get(key)
                progress[index] += 1
                check_len()
            except BaseException as exc:  # any raise breaks the contract
                record(exc)

    workers = [
        threading.Thread(target=worker, args=(plan, index), daemon=True)
        for index, plan in enumerate(plans)
    ]
    old_interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    try:
        for thread in workers:
            thread.start()
        start.wait(timeout=JOIN_SECONDS)
        deadline = time.monotonic() + JOIN_SECONDS
        for thread in workers:
            thread.join(max(0.0, deadline - time.monotonic()))
        outcome.hung = any(thread.is_alive() for thread in workers)
    finally:
        sys.setswitchinterval(old_interval)
    if outcome.hung:
        return outcome
    missing = object()
    outcome.values = tuple(values)
    try:
        outcome.final_len = len(cache)
        for key in keys:
            if key in cache:
                outcome.held.append(key)
                got = cache.get(key, missing)
                if got is missing:
                    outcome.unreadable.append(key)
                elif not any(got is value for value in outcome.values):
                    outcome.foreign.append((key, got))
    except BaseException as exc:
        outcome.readback_error = exc
    return outcome


@pytest.fixture(scope="module")
def shared_run() -> Outcome:
    """One run of 8 threads x 2,500 calls on one cache, shared by the tests of this stage."""
    return _run_shared_cache()


INPUT = (
    f"cache = LRUCache({CAPACITY}); {THREADS} threads start at once, thread i does {CALLS:,} "
    f"calls, each cache.put(Key(n), (i,)) or cache.get(Key(n)) at random, n in "
    f"0..{KEY_SPACE - 1}; then len(cache), and `Key(n) in cache` and cache.get(Key(n)) for "
    "each n"
)


def _fail(rule: str, got: str, expected: str | None = None) -> None:
    lines = [rule, f"input: {INPUT}"]
    if expected is not None:
        lines.append(f"expected: {expected}")
    lines.append(f"got: {got}")
    pytest.fail("\n".join(lines), pytrace=False)


def _fail_if_hung(outcome: Outcome) -> None:
    if outcome.hung:
        _fail(
            f"one cache shared by {THREADS} threads, each doing {CALLS:,} mixed get/put calls, "
            "never raises (nor hangs)",
            got=f"the threads had not finished after {JOIN_SECONDS:.0f} s: a deadlock (a plain "
                "Lock taken twice by one thread?)",
        )


def test_threads_never_raise(shared_run: Outcome) -> None:
    """8 threads doing 2,500 mixed get/put calls each on one cache never raise."""
    _fail_if_hung(shared_run)
    if shared_run.error_count:
        first = shared_run.errors[0]
        _fail(
            f"one cache shared by {THREADS} threads, each doing {CALLS:,} mixed get/put calls, "
            "never raises",
            got=f"{shared_run.error_count} calls raised, the first {first!r}",
        )


def test_threads_never_exceed_capacity(shared_run: Outcome) -> None:
    """While 8 threads share the cache, and afterwards, it never holds more than capacity."""
    _fail_if_hung(shared_run)
    rule = (f"one cache shared by {THREADS} threads never holds more than capacity "
            f"({CAPACITY}) entries")
    if shared_run.max_len_seen > CAPACITY:
        _fail(rule, got=f"len(cache) stayed at {shared_run.max_len_seen} while the threads kept "
                        f"calling (at the end: {shared_run.final_len})")
    if shared_run.final_len > CAPACITY:
        _fail(rule, got=f"len(cache) returned {shared_run.final_len} after the threads finished")


def test_keys_reported_in_can_be_read_back(shared_run: Outcome) -> None:
    """After the threads finish, every key that `in` reports can be read back with get."""
    _fail_if_hung(shared_run)
    rule = (f"after {THREADS} threads share one cache, every key that `in` reports can be read "
            "back with get")
    if shared_run.readback_error is not None:
        _fail(rule, got=f"reading back raised {shared_run.readback_error!r}")
    if shared_run.unreadable:
        _fail(rule, got=f"`in` said True but get returned the default for "
                        f"{shared_run.unreadable}")


def test_threads_share_one_cache(shared_run: Outcome) -> None:
    """The threads' puts land in the one cache: afterwards it is full of values they put."""
    _fail_if_hung(shared_run)
    if shared_run.readback_error is not None:
        return  # reported by test_keys_reported_in_can_be_read_back
    rule = (f"the {THREADS} threads share one cache: afterwards it holds the entries they "
            "put (len() counts the entries held), each with a value a thread put")
    held = len(shared_run.held)
    if not 1 <= held <= CAPACITY or shared_run.final_len != held:
        _fail(rule, expected=f"between 1 and {CAPACITY} keys held, and len(cache) equal to the "
                             "number of keys that `in` reports",
              got=f"len(cache) returned {shared_run.final_len!r}, `in` True for {held} keys "
                  f"{shared_run.held}")
    if shared_run.foreign:
        key, got = shared_run.foreign[0]
        _fail(rule, expected="get returns one of the value objects (0,) ... (7,) put",
              got=f"cache.get({key!r}) returned {got!r}, not an object any thread put")
