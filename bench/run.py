"""Measure kata's speed on this machine, as ratios to the floor of any pytest-based grader.

    python bench/run.py [--runs 7] [--watch-saves 7] [--sequence-rounds 2] [--only SLUG]
                        [--cold-only]

The practice sequence is what a candidate saves in `kata watch` on the way to a pass:
the stub, an attempt failing each stage in turn (known-bad files), then a passing one.
Watch figures are read from its text output, as a candidate reads it: "save to
verdict" ends at the report's PASSED / NOT PASSED line; a passing attempt's report is
then shown again with its timing against the reference ("timed").

The floor is `python -c "import pytest, hypothesis"`: what starting a grader costs
before it does anything. Every figure is a median over several runs, measured in one
session, so that a noisy machine affects them alike. A benchmark, not a test: nothing
here passes or fails.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from harness import catalog

KATA = [sys.executable, "-m", "harness"]


UNSANDBOXED = " (unsandboxed)"  # a command run with KATA_UNSANDBOXED=1: the sandbox's cost


def timed_together(commands: dict[str, list[str]], runs: int, env: dict) -> dict[str, float]:
    """Median wall time of each command. The commands take turns, run after run, so
    that a machine busy for a while slows them all alike; one untimed run first
    fills kata's caches, as a user's second check finds them."""
    samples: dict[str, list[float]] = {name: [] for name in commands}
    for run in range(runs + 1):
        for name, command in commands.items():
            started = time.perf_counter()
            run_env = {**env, "KATA_UNSANDBOXED": "1"} if name.endswith(UNSANDBOXED) else env
            subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                           env=run_env)
            if run:
                samples[name].append(time.perf_counter() - started)
    return {name: statistics.median(times) for name, times in samples.items()}


VERDICT = re.compile(r"^(NOT )?PASSED\b")  # the summary line of a check's report


class WatchSession:
    """`kata watch` in a terminal's text mode, as a candidate reads it: the time from a
    save to its verdict (the report's summary line) and to the end of the report (for a
    passing attempt, after it was timed against the reference)."""

    def __init__(self, kata: catalog.Kata, env: dict, *options: str) -> None:
        self.workspace = Path(tempfile.mkdtemp(prefix="kata-bench-"))
        self.attempt = self.workspace / kata.file
        self.attempt.write_text("# nothing yet\n")
        self.done = f"Watching {kata.file}: save to grade again"
        self.proc = subprocess.Popen([*KATA, "watch", kata.slug, *options], cwd=self.workspace,
                                     env=env, stdout=subprocess.PIPE,
                                     stderr=subprocess.DEVNULL, text=True)
        self._until_done()  # the first check, when the watch starts

    def _until_done(self) -> tuple[float, bool]:
        verdict_at, passed = None, False
        for line in self.proc.stdout:
            if verdict_at is None and VERDICT.match(line):
                verdict_at, passed = time.perf_counter(), not line.startswith("NOT")
            if line.startswith(self.done):
                return verdict_at or time.perf_counter(), passed
        raise RuntimeError("kata watch stopped")

    def save(self, source: str) -> tuple[float, float, bool]:
        """(seconds to the verdict, seconds to the whole report, passed)."""
        time.sleep(0.3)
        started = time.perf_counter()
        self.attempt.write_text(source)
        verdict_at, passed = self._until_done()
        return verdict_at - started, time.perf_counter() - started, passed

    def close(self) -> None:
        self.proc.terminate()
        self.proc.wait()
        shutil.rmtree(self.workspace)


def watch_save_to_verdict(kata: catalog.Kata, saves: int, env: dict,
                          *options: str) -> tuple[float, float]:
    """Medians, over saves of the reference, of the time to its verdict and to its whole
    report (the timing included)."""
    session = WatchSession(kata, env, *options)
    source = kata.reference_path.read_text()
    verdicts, reports = [], []
    try:
        for n in range(saves):
            to_verdict, to_report, passed = session.save(f"{source}\n_SAVE = {n}\n")
            assert passed
            verdicts.append(to_verdict)
            reports.append(to_report)
    finally:
        session.close()
    return statistics.median(verdicts), statistics.median(reports)


def practice_sequence(kata: catalog.Kata) -> list[Path]:
    """What a candidate saves on the way to a pass: the stub, then an attempt failing each
    stage in turn (the first known-bad file that names it), then a passing one."""
    failing = []
    for stage in range(1, len(kata.stages) + 1):
        named = [path for path in kata.attempts_in("known_bad")
                 if re.search(rf"^Caught by: stage {stage}\s*$", path.read_text(), re.M)]
        failing += named[:1]
    return [kata.stub_path, *failing, kata.reference_path]


def watch_practice_sequence(kata: catalog.Kata, rounds: int, env: dict,
                            *options: str) -> tuple[float, float, float]:
    """Medians over the practice sequence saved one file after another (`rounds` times):
    save to verdict of every save, and of the passing saves to their verdict and to their
    whole report."""
    session = WatchSession(kata, env, *options)
    every, passing, passing_report = [], [], []
    try:
        for _ in range(rounds):
            for n, path in enumerate(practice_sequence(kata)):
                # Each save differs from the last in code, not only in a comment.
                to_verdict, to_report, passed = session.save(
                    path.read_text() + f"\n_SAVE = {n}\n")
                every.append(to_verdict)
                if passed:
                    passing.append(to_verdict)
                    passing_report.append(to_report)
    finally:
        session.close()
    nan = float("nan")
    return (statistics.median(every), statistics.median(passing) if passing else nan,
            statistics.median(passing_report) if passing_report else nan)


def machine() -> str:
    model = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return (f"{model}, {os.cpu_count()} cores, Python {platform.python_version()}, "
            f"{platform.system()} {platform.machine()}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--watch-saves", type=int, default=7)
    parser.add_argument("--sequence-rounds", type=int, default=2,
                        help="times the practice sequence is saved in kata watch")
    parser.add_argument("--only", action="append", metavar="SLUG",
                        help="measure only this kata (may repeat)")
    parser.add_argument("--cold-only", action="store_true",
                        help="measure only the commands (cold checks), not kata watch")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    options = parser.parse_args()
    home = tempfile.mkdtemp(prefix="kata-bench-home-")
    # As an installed kata runs: bytecode is cached (a developer's shell may say otherwise).
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["KATA_HOME"] = home

    floor_name = "floor: python -c 'import pytest, hypothesis'"
    commands = {
        floor_name: [sys.executable, "-c", "import pytest, hypothesis"],
        "python -c pass": [sys.executable, "-c", "pass"],
        "kata --help": [*KATA, "--help"],
        "kata list": [*KATA, "list"],
    }
    katas = [k for k in catalog.all_katas() if not options.only or k.slug in options.only]
    for kata in katas:
        check = [*KATA, "check", kata.slug, "--file", str(kata.reference_path)]
        commands[f"kata check {kata.slug} --no-bench"] = [*check, "--no-bench"]
        commands[f"kata check {kata.slug} --no-bench{UNSANDBOXED}"] = [*check, "--no-bench"]
        commands[f"kata check {kata.slug}"] = check
    medians = timed_together(commands, options.runs, env)
    floor = medians.pop(floor_name)
    rows = list(medians.items())
    for kata in [] if options.cold_only else katas:
        rows.append((f"kata watch {kata.slug} --no-bench: save to verdict",
                     watch_save_to_verdict(kata, options.watch_saves, env, "--no-bench")[0]))
        verdict, report = watch_save_to_verdict(kata, options.watch_saves, env)
        rows.append((f"kata watch {kata.slug}: save to verdict", verdict))
        rows.append((f"kata watch {kata.slug}: save to timed report", report))
        every, passing, passing_report = watch_practice_sequence(kata, options.sequence_rounds,
                                                                 env)
        rows.append((f"kata watch {kata.slug}: practice sequence, every save", every))
        rows.append((f"kata watch {kata.slug}: practice sequence, passing save", passing))
        rows.append((f"kata watch {kata.slug}: practice sequence, passing, timed",
                     passing_report))
    shutil.rmtree(home)

    if options.json:
        print(json.dumps({"machine": machine(), "floor_s": floor,
                          "rows": [{"what": w, "median_s": s, "x_floor": s / floor}
                                   for w, s in rows]}, indent=2))
        return
    print(f"Machine: {machine()}")
    print(f"Floor (python -c 'import pytest, hypothesis'): {floor * 1000:.0f} ms, median of "
          f"{options.runs}")
    print(f"{'what':<52} {'median':>9} {'x floor':>8}")
    for what, seconds in rows:
        print(f"{what:<52} {seconds * 1000:>6.0f} ms {seconds / floor:>8.2f}")
    costs = [(w, medians[w] - medians[w + UNSANDBOXED]) for w in medians
             if w + UNSANDBOXED in medians]
    if costs:
        print("Sandbox cost per check (sandboxed minus unsandboxed, same run): "
              + ", ".join(f"{w.split()[2]} {c * 1000:+.0f} ms" for w, c in costs))


if __name__ == "__main__":
    main()
