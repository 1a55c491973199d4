"""How stable the benchmark's figures are: the same file checked again and again.

    python bench/stability.py [--runs 10]

For each kata's reference, and for two slow attempts, runs `kata check --json` RUNS
times and reports the ratio's median and spread (min to max) and every growth class
seen. A benchmark, not a test: nothing here passes or fails.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

from harness import catalog

HERE = Path(__file__).resolve().parent
SLOW = HERE.parent / "tests" / "practice" / "slow_attempts"


def figures(slug: str, attempt: Path, runs: int, env: dict) -> dict:
    ratios, growth = [], Counter()
    for _ in range(runs):
        out = subprocess.run([sys.executable, "-m", "harness", "check", slug, "--file",
                              str(attempt), "--json"], capture_output=True, text=True, env=env)
        bench = json.loads(out.stdout)["timing"]["benchmark"]
        if bench:
            ratios.append(bench["ratio"])
            growth[f"{bench['growth']} (ref {bench['reference_growth']})"] += 1
    return {"kata": slug, "attempt": attempt.name, "runs": len(ratios),
            "ratio_median": statistics.median(ratios) if ratios else None,
            "ratio_min": min(ratios, default=None), "ratio_max": max(ratios, default=None),
            "growth": dict(growth)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10)
    options = parser.parse_args()
    env = {**os.environ, "KATA_HOME": tempfile.mkdtemp(prefix="kata-stability-")}
    cases = [(k.slug, k.reference_path) for k in catalog.all_katas()]
    cases += [("flatten", SLOW / "flatten_quadratic.py"), ("flatten", SLOW / "flatten_wasteful.py")]
    for slug, attempt in cases:
        row = figures(slug, attempt, options.runs, env)
        print(f"{row['kata']:<13} {row['attempt']:<22} ratio median {row['ratio_median']} "
              f"(min {row['ratio_min']}, max {row['ratio_max']}, {row['runs']} runs); "
              f"growth {row['growth']}", flush=True)


if __name__ == "__main__":
    main()
