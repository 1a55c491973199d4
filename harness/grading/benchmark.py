"""Solution performance: the attempt against the reference, in one process.

A kata defines its workload in `bench.py`:

    WORKLOAD = "flatten a dict of n leaves"      # what n means
    SIZES = (1_000, 4_000, 16_000)               # two or more, increasing
    def make(module, n): ...                      # returns a zero-argument callable to time

Both modules are timed at every size, interleaved, best of several rounds, so
that a noisy machine affects both alike. A sample's time is its wall time less
the time this thread spent waiting for a CPU (the kernel's run-queue delay), and
never less than the CPU time it used: a busy machine, or the grading that runs
beside a cold check's benchmark, does not count, while an attempt that sleeps or
blocks still pays for it. Only relative figures come out: the ratio attempt /
reference at the largest size, and the growth class of each.
"""

from __future__ import annotations

import contextlib
import math
import os
import time
from collections.abc import Callable, Sequence
from types import ModuleType

ROUNDS = 5
# The smaller sizes only place the growth class; the ratio is read at the largest size.
SMALLER_SIZE_ROUNDS = 3
SLOW_ROUNDS = 2  # for a workload so slow that five rounds would waste the time budget
SLOW_SAMPLE_S = 0.1
MIN_SAMPLE_S = 0.005  # each sample loops the workload until it takes at least this long

# Candidate growth models, simplest first.
MODELS: tuple[tuple[str, Callable[[float], float]], ...] = (
    ("O(1)", lambda n: 1.0),
    ("O(log n)", lambda n: math.log(n)),
    ("O(n)", lambda n: n),
    ("O(n log n)", lambda n: n * math.log(n)),
    ("O(n^2)", lambda n: n * n),
)
# A simpler model is preferred unless a more complex one fits clearly better
# (residuals are in natural-log units of time).
PREFER_SIMPLER_BY = 0.08


class _Clock:
    """Elapsed seconds of wall time less this thread's run-queue delay, and never less
    than the CPU time the process used meanwhile (a floor no accounting slip can go
    below); plain wall time where the kernel does not say (no /proc/thread-self)."""

    def __init__(self) -> None:
        self._fd: int | None = None
        with contextlib.suppress(OSError):
            self._fd = os.open("/proc/thread-self/schedstat", os.O_RDONLY)
        if self._fd is not None and self._run_delay_s() is None:
            self.close()

    def _run_delay_s(self) -> float | None:
        if self._fd is None:
            return None
        # "<ns on a CPU> <ns waiting on a run queue> <time slices>"
        try:
            return int(os.pread(self._fd, 100, 0).split()[1]) / 1e9
        except (OSError, ValueError, IndexError):
            return None

    def now(self) -> tuple[float, float | None, float]:
        return time.perf_counter(), self._run_delay_s(), time.process_time()

    def since(self, start: tuple[float, float | None, float]) -> float:
        wall, delay, cpu = self.now()
        if delay is None or start[1] is None:
            return wall - start[0]
        return max(wall - start[0] - (delay - start[1]), cpu - start[2])

    def close(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None


def _calibrate(run: Callable[[], object], clock: _Clock) -> tuple[int, int]:
    """(loops per sample, rounds) for this workload; the first run is also a warm-up."""
    started = clock.now()
    run()
    once = max(clock.since(started), 1e-7)
    return max(1, math.ceil(MIN_SAMPLE_S / once)), SLOW_ROUNDS if once > SLOW_SAMPLE_S else ROUNDS


def _sample(run: Callable[[], object], loops: int, clock: _Clock) -> float:
    started = clock.now()
    for _ in range(loops):
        run()
    return clock.since(started) / loops


def measure(bench: ModuleType, attempt: ModuleType, reference: ModuleType) -> dict:
    sizes: Sequence[int] = tuple(bench.SIZES)
    runs = {(who, n): bench.make(module, n)
            for n in sizes for who, module in (("attempt", attempt), ("reference", reference))}
    clock = _Clock()
    try:
        plan = {}
        for (who, n), run in runs.items():
            loops, rounds = _calibrate(run, clock)
            plan[who, n] = loops, rounds if n == sizes[-1] else min(rounds, SMALLER_SIZE_ROUNDS)
        best = dict.fromkeys(runs, math.inf)
        for round_number in range(ROUNDS):
            for key, run in runs.items():
                loops, rounds = plan[key]
                if round_number < rounds:
                    best[key] = min(best[key], _sample(run, loops, clock))
    finally:
        clock.close()
    attempt_times = [best[("attempt", n)] for n in sizes]
    reference_times = [best[("reference", n)] for n in sizes]
    return {
        "ratio": round(attempt_times[-1] / reference_times[-1], 2),
        "growth": growth_class(sizes, attempt_times),
        "reference_growth": growth_class(sizes, reference_times),
        "fits": growth_fits(sizes, attempt_times),
        "workload": str(bench.WORKLOAD),
    }


def growth_fits(sizes: Sequence[int], times: Sequence[float]) -> list[str]:
    """Every model t = c * f(n) that fits the timings about as well as the best one,
    simplest first: what the timings cannot tell apart."""
    logs = [math.log(max(t, 1e-9)) for t in times]
    residuals = []
    for name, model in MODELS:
        offsets = [lt - math.log(model(n)) for lt, n in zip(logs, sizes, strict=True)]
        mean = sum(offsets) / len(offsets)
        residuals.append((name, math.sqrt(sum((o - mean) ** 2 for o in offsets) / len(offsets))))
    best = min(r for _, r in residuals)
    return [name for name, r in residuals if r <= best + PREFER_SIMPLER_BY]


def growth_class(sizes: Sequence[int], times: Sequence[float]) -> str:
    """The simplest model that fits the timings about as well as the best one."""
    return growth_fits(sizes, times)[0]


# A worse growth class counts as a finding only with a time that shows it: a class off
# by one at about the reference's speed is what a busy machine does to a fit.
WORSE_GROWTH_MIN_RATIO = 1.5


def grows_worse(benchmark: dict | None) -> bool:
    """Does the attempt's time grow in a worse class than the reference's, and is it
    clearly slower at the largest size?"""
    if not benchmark:
        return False
    order = [name for name, _ in MODELS]
    try:
        worse = order.index(benchmark["growth"]) > order.index(benchmark["reference_growth"])
        return worse and float(benchmark["ratio"]) >= WORSE_GROWTH_MIN_RATIO
    except (KeyError, ValueError, TypeError):
        return False
