"""Measure kata's speed on this machine, as ratios to the floor of any pytest-based grader.

    python bench/run.py [--runs 7] [--watch-saves 7]

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


def watch_save_to_verdict(kata: catalog.Kata, saves: int, env: dict, *options: str) -> float:
    """Median time from writing the attempt to the next verdict printed by `kata watch`."""
    workspace = Path(tempfile.mkdtemp(prefix="kata-bench-"))
    attempt = workspace / kata.file
    source = kata.reference_path.read_text()
    attempt.write_text(source)
    proc = subprocess.Popen([*KATA, "watch", kata.slug, "--json", *options], cwd=workspace, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    samples = []
    try:
        json.loads(proc.stdout.readline())  # the first verdict, when the watch starts
        for n in range(saves):
            time.sleep(0.3)
            started = time.perf_counter()
            attempt.write_text(f"{source}\n# save {n}\n")
            report = json.loads(proc.stdout.readline())
            samples.append(time.perf_counter() - started)
            assert report["passed"], report["error"]
    finally:
        proc.terminate()
        proc.wait()
        shutil.rmtree(workspace)
    return statistics.median(samples)


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
    for kata in catalog.all_katas():
        check = [*KATA, "check", kata.slug, "--file", str(kata.reference_path)]
        commands[f"kata check {kata.slug} --no-bench"] = [*check, "--no-bench"]
        commands[f"kata check {kata.slug} --no-bench{UNSANDBOXED}"] = [*check, "--no-bench"]
        commands[f"kata check {kata.slug}"] = check
    medians = timed_together(commands, options.runs, env)
    floor = medians.pop(floor_name)
    rows = list(medians.items())
    for kata in catalog.all_katas():
        rows.append((f"kata watch {kata.slug} --no-bench: save to verdict",
                     watch_save_to_verdict(kata, options.watch_saves, env, "--no-bench")))
        rows.append((f"kata watch {kata.slug}: save to verdict",
                     watch_save_to_verdict(kata, options.watch_saves, env)))
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
