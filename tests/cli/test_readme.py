"""The README's Quick start, followed literally in a copy of the clone: `kata start flatten`
in its root, then the lint of the test command, which must stay clean beside flatten.py
(`.ci/run` runs the two commands themselves, read from the README)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def quick_start_commands() -> list[str]:
    section = README.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    return [block.strip() for block in re.findall(r"```bash\n(.*?)```", section, re.S)]


def test_quick_start_has_the_two_commands_ci_runs():
    install, tests = quick_start_commands()
    assert install.endswith("pip install . && kata start flatten")
    assert "pytest" in tests and tests.endswith("ruff check .")


@pytest.mark.slow
def test_start_in_the_clone_root_keeps_the_lint_clean(tmp_path):
    ruff = shutil.which("ruff") or str(Path(sys.executable).with_name("ruff"))
    if not Path(ruff).exists():
        pytest.skip("ruff is not installed")
    listing = subprocess.run(["git", "ls-files", "-z", "--cached", "--others",
                              "--exclude-standard"], cwd=ROOT, capture_output=True)
    if listing.returncode != 0:
        pytest.skip("not a git checkout")
    tracked = listing.stdout.decode().split("\0")
    clone = tmp_path / "clone"
    for name in filter(None, tracked):
        if (ROOT / name).is_file():
            (clone / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, clone / name)
    env = {**os.environ, "KATA_HOME": str(tmp_path / "home")}
    subprocess.run([sys.executable, "-m", "harness", "start", "flatten"], cwd=clone, env=env,
                   check=True, capture_output=True)
    assert (clone / "flatten.py").is_file()
    lint = subprocess.run([ruff, "check", "--no-cache", "."], cwd=clone, capture_output=True,
                          text=True)
    assert lint.returncode == 0, lint.stdout + lint.stderr
