"""Runs the collected tests in a few forked workers at once, inside the grading child.

The child imports pytest, Hypothesis, the attempt and the suite once; after
collection it forks SHARDS workers, each running a fixed share of the tests
with pytest's own run protocol and writing its events to the same results
file. Forking after collection costs nothing to import and keeps every worker
as isolated from the others as one test is from the next in a serial run.

The split is deterministic (it depends on the suite and on the kata's recorded
`suite/durations.json` alone, never on the machine or on timing), so an attempt
that leaks state from one test into another gets the same verdict on every run
and every machine.
"""

from __future__ import annotations

import contextlib
import json
import mmap
import os
import resource
import signal
import struct
import threading
import time
import traceback
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

import pytest

from harness.grading import isolation, protocol

SHARDS = 2
STOP_GRACE_S = 0.5
# Cost units are microseconds of the reference's time. Every test also costs its worker
# about 0.3 ms that its recorded duration (its setup, call and teardown) leaves out:
# pytest's protocol and reports around it. (Counting a 0.1 ms test as a whole
# millisecond, as before, put 20 ms of small tests beside flatten's 150 ms group.)
_COST_AROUND_A_TEST = 300
# Without a recorded duration (suite/durations.json, written by `kata validate
# --write-durations`), a rough guess:
_COST_PER_EXAMPLE = 6_000
_COST_OF_LONG_TEST = 100_000  # a test given more time than the default limit
_COST_OF_SHARED_FIXTURE = 300_000  # tests sharing a module- or class-scoped fixture

_FIELDS = ("done", "passed", "failed", "timeouts", "failed_stage")
_SLOT = struct.Struct("5q")


class Tally:
    """Counts outcomes per worker in memory shared across fork, so that every
    worker sees the timeouts of all, and the child sees every worker's results."""

    def __init__(self, workers: int = 1) -> None:
        self._memory = mmap.mmap(-1, _SLOT.size * workers)
        self._workers = workers
        self.slot = 0

    def _read(self, slot: int) -> dict[str, int]:
        return dict(zip(_FIELDS, _SLOT.unpack_from(self._memory, slot * _SLOT.size),
                        strict=True))

    def _write(self, values: dict[str, int]) -> None:
        _SLOT.pack_into(self._memory, self.slot * _SLOT.size, *(values[f] for f in _FIELDS))

    def add(self, field: str, count: int = 1) -> None:
        values = self._read(self.slot)
        values[field] += count
        self._write(values)

    def note_failed_stage(self, stage: int) -> None:
        """This worker saw a test of `stage` not pass (kept: the lowest such stage)."""
        values = self._read(self.slot)
        if not values["failed_stage"] or stage < values["failed_stage"]:
            values["failed_stage"] = stage
            self._write(values)

    def first_failed_stage(self) -> int | None:
        """The lowest stage in which any worker saw a test not pass, or None."""
        seen = [self._read(slot)["failed_stage"] for slot in range(self._workers)]
        return min((s for s in seen if s), default=None)

    def total(self, field: str) -> int:
        return sum(self._read(slot)[field] for slot in range(self._workers))

    def done(self, slot: int) -> bool:
        return bool(self._read(slot)["done"])


def can_shard(session: pytest.Session) -> bool:
    # Threads the attempt started at import would not survive the fork.
    return (SHARDS > 1 and len(session.items) >= 2 * SHARDS
            and threading.active_count() == 1 and not session.config.option.collectonly)


def load_durations(path: str | None) -> dict[str, float]:
    """Seconds per test name on the reference, as recorded; {} if there are none."""
    if not path:
        return {}
    try:
        data = json.loads(Path(path).read_text())
    except (OSError, ValueError):
        return {}
    return {k: float(v) for k, v in data.items() if isinstance(v, int | float)}


def split(items: Sequence[pytest.Item], shards: int,
          durations: Mapping[str, float] | None = None) -> list[list[pytest.Item]]:
    """Share the items out, costliest group first, each to the lightest shard so far;
    a shard runs its items in collection order."""
    loads = [0] * shards
    assigned: list[list[int]] = [[] for _ in range(shards)]
    for cost, group in sorted(_groups(items, durations or {}), key=lambda g: (-g[0], g[1][0])):
        lightest = loads.index(min(loads))
        loads[lightest] += cost
        assigned[lightest].extend(group)
    return [[items[i] for i in sorted(share)] for share in assigned if share]


def _cost(item: pytest.Item, durations: Mapping[str, float]) -> int:
    return _COST_AROUND_A_TEST + _own_cost(item, durations)


def _own_cost(item: pytest.Item, durations: Mapping[str, float]) -> int:
    if item.name in durations:
        return round(durations[item.name] * 1_000_000)
    function = getattr(item, "obj", None)
    if getattr(function, "is_hypothesis_test", False):
        chosen = getattr(function, "_hypothesis_internal_use_settings", None)
        return _COST_PER_EXAMPLE * getattr(chosen, "max_examples", 100)
    timeout = item.get_closest_marker("timeout")
    if timeout is not None and timeout.args and timeout.args[0] > item.config.option.timeout:
        return _COST_OF_LONG_TEST
    return 0


def _groups(items: Sequence[pytest.Item],
            durations: Mapping[str, float]) -> list[tuple[int, list[int]]]:
    """(cost, indexes) of the items that share a module- or class-scoped fixture:
    it is built once per worker, and such a fixture is usually shared because it
    is costly (a recorded duration includes it already). Every other item is a
    group of its own."""
    parent = list(range(len(items)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    first_user: dict[object, int] = {}
    for i, item in enumerate(items):
        info = getattr(item, "_fixtureinfo", None)
        for definitions in getattr(info, "name2fixturedefs", {}).values():
            for definition in definitions:
                if definition.scope in ("module", "class", "package"):
                    parent[root(i)] = root(first_user.setdefault(definition, i))
    members: dict[int, list[int]] = {}
    for i in range(len(items)):
        members.setdefault(root(i), []).append(i)
    return [(sum(_cost(items[i], durations) for i in group)
             + (_COST_OF_SHARED_FIXTURE if len(group) > 1
                and not any(items[i].name in durations for i in group) else 0), group)
            for group in members.values()]


def run(session: pytest.Session, tally: Tally, run_share: Callable[[list[pytest.Item]], None],
        stopping: Callable[[], bool], leave: Callable[[int], None],
        durations: Mapping[str, float] | None = None) -> None:
    """Fork a worker per share and wait for them all.

    A worker that dies before it is done ends this process the same way, so that
    the parent sees what a serial run would have shown (the signal, or the exit
    status). Once `stopping()` says so (tests ran out of time), a worker that
    ends stops the others too: their tests in progress are reported as not run.
    """
    workers: dict[int, int] = {}
    me = os.getpid()
    for slot, share in enumerate(split(session.items, SHARDS, durations)):
        pid = os.fork()
        if pid == 0:
            try:
                # A worker dies with the grading child, which dies with kata (even
                # unsandboxed, where no PID namespace takes them all down at once).
                isolation.die_with_parent()
                if os.getppid() != me:
                    leave(0)
                tally.slot = slot
                _restart_capture(session.config)
                run_share(share)
                tally.add("done")
            except BaseException as exc:  # outside a test, where pytest would have caught it
                with contextlib.suppress(BaseException):
                    traceback.print_exc()
                leave(protocol.EXIT_OUT_OF_MEMORY if _out_of_memory(exc)
                      else protocol.EXIT_GRADER_FAILED)
            finally:
                leave(0)
        workers[pid] = slot
    while workers:
        pid, status = os.wait()
        slot = workers.pop(pid, None)
        if slot is None:
            continue
        if not tally.done(slot):
            _kill(workers)
            if os.WIFSIGNALED(status):
                signal.signal(os.WTERMSIG(status), signal.SIG_DFL)
                os.kill(os.getpid(), os.WTERMSIG(status))
            leave(os.waitstatus_to_exitcode(status))
        elif stopping():
            _kill(workers, grace_s=STOP_GRACE_S)


def _out_of_memory(exc: BaseException) -> bool:
    """A MemoryError, or an error raised while one was being handled."""
    seen = 0
    while exc is not None and seen < 20:
        if isinstance(exc, MemoryError):
            return True
        exc, seen = exc.__cause__ or exc.__context__, seen + 1
    return False


def _kill(workers: dict[int, int], grace_s: float = 0.0) -> None:
    """End the other workers: at once, or after they had `grace_s` to finish the test
    in hand (one that timed out at the same moment as ours is still reporting)."""
    deadline = time.monotonic() + grace_s
    while workers and time.monotonic() < deadline:
        for pid in list(workers):
            if os.waitpid(pid, os.WNOHANG)[0]:
                del workers[pid]
        time.sleep(0.01)
    for pid in workers:
        os.kill(pid, signal.SIGKILL)
    for pid in workers:
        os.waitpid(pid, 0)
    workers.clear()


def children_cpu_s() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _restart_capture(config: pytest.Config) -> None:
    """Each worker gets capture files of its own: the inherited ones share a file
    offset with the other workers, and their output would mix."""
    capture = config.pluginmanager.getplugin("capturemanager")
    if capture is not None:
        capture.stop_global_capturing()
        capture.start_global_capturing()
