"""Stage 3, capacity and speed: capacity 0, negative capacity, constant-time get and put."""

from __future__ import annotations

import gc
import random
import time
from collections import OrderedDict

import pytest
from lru_cache import LRUCache

pytestmark = pytest.mark.stage(3)

class Missing:
    """The default the suite passes to learn whether get() found a key."""

    def __repr__(self) -> str:
        return "MISSING"


MISSING = Missing()


def test_capacity_zero_holds_nothing(session) -> None:
    """LRUCache(0) is allowed; put stores nothing and len() stays 0."""
    cache = session.new(0)
    for key in ("a", "b", "a", None, 1):
        cache.put(key, [key])
        size = cache.len()
        held = cache.has(key)
        got = cache.get(key, MISSING)
        session.check(size == 0 and held is False and got is MISSING,
                      "capacity 0 holds nothing: put stores nothing and len() stays 0",
                      expected=f"len 0, {key!r} not in cache, get returns MISSING",
                      got=f"len() returned {size!r}, `in` returned {held!r}, get returned {got!r}")


@pytest.mark.parametrize("capacity", [-1, -2, -1000])
def test_negative_capacity_raises_value_error(session, capacity: int) -> None:
    """A negative capacity raises ValueError when the cache is created."""
    session.note(f"LRUCache({capacity})")
    try:
        cache = LRUCache(capacity)
    except ValueError:
        return
    except Exception as exc:
        session.fail("a negative capacity raises ValueError", expected="raises ValueError",
                     got=f"raised {exc!r}")
    session.fail("a negative capacity raises ValueError", expected="raises ValueError",
                 got=f"returned {cache!r} without raising")


# Scripts tried before the random ones (see parse_script in conftest.py): capacity 0 with
# every kind of key and value, put again and read back, then the smallest cache that evicts.
MODEL_SCRIPTS = (
    (0, "put 0; get 0 D; put a None; get a D; put 0; put 0 None; get 0; put None; "
        "get None D; put t None; get t D; get 1"),
    (1, "put 0; put 0 None; put 1; get 0 D; get 1 D; put None; get 1 D"),
)


def test_capacities_0_to_4_match_reference_model(check_against_model) -> None:
    """Sequences of put/get with capacities 0-4 behave exactly as the model."""
    check_against_model(0, 4, max_examples=15, min_steps=5, steps=20, scripts=MODEL_SCRIPTS)


# --- constant time -----------------------------------------------------------------------
#
# Never an absolute time: per-operation times of a full cache of 100,000 entries and of one of
# 100 entries are measured in the same run, interleaved, over several rounds, and the best
# (least disturbed) round of each size is compared. Garbage collection is off while timing.

SMALL, BIG = 100, 100_000
LIMIT = 10.0  # the contract: no more than 10 times slower per operation
ROUNDS = 7  # the first round of each size warms up and is not counted
OPS = 1_000  # operations of one kind per round
BASE = 10**9  # keys are ints of the same size and cost for both caches
KINDS = ("put of a new key", "get", "put of an existing key")


def _plan(capacity: int, rng: random.Random) -> list[tuple[list, list, list]]:
    """Keys for every round: new keys (each evicts), then keys certainly held, for get and put.

    Half of the held keys are picked at random anywhere in the cache, half among the most
    recently added ones. Which keys are held: in a cache with room for all the picks of all
    rounds and more, the newest `capacity - all picks` keys put are held whatever was picked
    (fewer than `capacity` keys can have been used since); in a smaller cache, a model of the
    rules tells. Within a round only the new keys evict: the gets and updates after them
    change the order, never what is held.
    """
    first = BASE + capacity + capacity // 5  # the fill puts 20% more keys than fit
    surely_held = capacity - 2 * OPS * ROUNDS
    model = None
    if surely_held <= 0:
        model = OrderedDict.fromkeys(range(first - capacity, first))
    nxt = first
    rounds = []
    for _ in range(ROUNDS):
        new = list(range(nxt, nxt + OPS))
        nxt += OPS
        if model is None:
            anywhere = rng.choices(range(nxt - surely_held, nxt), k=OPS)
        else:
            for key in new:
                model[key] = None
                model.popitem(last=False)
            anywhere = []
            while len(anywhere) < OPS:  # keys of the span that are still held
                drawn = rng.choices(range(nxt - capacity, nxt), k=OPS)
                anywhere += [key for key in drawn if key in model]
        recent = rng.choices(new[-64:], k=OPS)
        picks = [key for pair in zip(anywhere[:OPS], recent, strict=True) for key in pair]
        if model is not None:
            for key in picks:
                model.move_to_end(key)
        rounds.append((new, picks[:OPS], picks[OPS:]))
    return rounds


def _per_op(call, keys: list, args: tuple, budget: float) -> float:
    """Seconds per call of call(key, *args) over keys; stops early once past budget seconds."""
    clock = time.thread_time  # CPU time of this thread: a busy machine does not count
    done = 0
    start = clock()
    while done < len(keys):
        for key in keys[done:done + 10]:
            call(key, *args)
        done += 10
        elapsed = clock() - start
        if elapsed > budget:
            break
    return elapsed / min(done, len(keys))


def _fill(cache, capacity: int, per_op_small: float) -> None:
    """Puts capacity + 20% keys; fails when put slows down as the cache grows."""
    clock = time.thread_time  # CPU time of this thread: a busy machine does not count
    end = BASE + capacity + capacity // 5
    start = clock()
    for key in range(BASE, BASE + 4000):
        cache.put(key, None)
    baseline = min(per_op_small, (clock() - start) / 4000)
    window, strikes, key = 10_000, 0, BASE + 4000
    budget = 30 * baseline * window
    while key < end:
        stop, start = min(key + window, end), clock()
        while key < stop:
            for k in range(key, min(key + 10, stop)):
                cache.put(k, None)
            key += 10
            if clock() - start > budget:
                break
        # Two windows in a row over 30 times the time of a small cache: not one noisy moment.
        strikes = strikes + 1 if clock() - start > budget else 0
        if strikes == 2:
            pytest.fail(
                "get and put take constant time: per operation, a full cache of 100,000 "
                "entries is no more than 10 times slower than a full cache of 100\n"
                f"input: cache = LRUCache({BIG}); for k in range({end - BASE}): "
                "cache.put(k, None)  (keys offset by 10**9)\n"
                f"got: put slowed down as the cache grew: at {key - BASE:,} entries, two "
                f"windows of {window:,} puts in a row each took over 30 times the CPU time of "
                f"as many puts into a cache of {SMALL}",
                pytrace=False,
            )


@pytest.mark.timeout(20)
def test_get_and_put_take_constant_time() -> None:
    """Per get and per put, a full cache of 100,000 entries is at most 10x slower than of 100."""
    rng = random.Random(20240601)
    plans = {size: _plan(size, rng) for size in (SMALL, BIG)}
    best = {(size, kind): float("inf") for size in (SMALL, BIG) for kind in KINDS}
    value = object()
    caches = {SMALL: LRUCache(SMALL)}
    for key in range(BASE, BASE + SMALL + SMALL // 5):
        caches[SMALL].put(key, value)

    def one_round(size: int, index: int) -> None:
        cache = caches[size]
        new, gets, updates = plans[size][index]
        runs = ((KINDS[0], cache.put, new, (value,)),
                (KINDS[1], cache.get, gets, ()),
                (KINDS[2], cache.put, updates, (value,)))
        for kind, call, keys, args in runs:
            # A round of the big cache stops early once it is surely far too slow.
            budget = 3 * LIMIT * OPS * best[SMALL, kind] if size == BIG else float("inf")
            best[size, kind] = min(best[size, kind], _per_op(call, keys, args, budget))

    was_enabled = gc.isenabled()
    gc.disable()
    try:
        one_round(SMALL, 0)  # round 0 of each size warms up; its times are dropped
        caches[BIG] = LRUCache(BIG)
        _fill(caches[BIG], BIG, best[SMALL, KINDS[0]])
        one_round(BIG, 0)
        best.update(dict.fromkeys(best, float("inf")))
        for index in range(1, ROUNDS):  # interleaved, so that noise hits both sizes alike
            one_round(SMALL, index)
            one_round(BIG, index)
    finally:
        if was_enabled:
            gc.enable()
    for kind in KINDS:
        ratio = best[BIG, kind] / best[SMALL, kind]
        if ratio > LIMIT:
            pytest.fail(
                "get and put take constant time: per operation, a full cache of 100,000 "
                "entries is no more than 10 times slower than a full cache of 100\n"
                f"input: small = LRUCache({SMALL}); big = LRUCache({BIG}); fill each with "
                "20% more keys than fit, then in rounds: "
                f"{OPS:,} calls of each kind (put of a new key, get of a held key, put of a "
                "held key) on each cache, CPU time per call, best of "
                f"{ROUNDS - 1} rounds\n"
                f"expected: {kind} on big at most {LIMIT:.0f} times the time on small\n"
                f"got: {kind}: {best[BIG, kind] * 1e6:.2f} us per call on big, "
                f"{best[SMALL, kind] * 1e6:.2f} us on small: {ratio:.0f} times slower",
                pytrace=False,
            )
