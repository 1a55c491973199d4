"""Where kata keeps its state and finds the katas shipped with it."""

from __future__ import annotations

import os
from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent


def _home_override() -> Path | None:
    env = os.environ.get("KATA_HOME")
    return Path(env).expanduser() if env else None


def kata_home() -> Path:
    """The state directory: $KATA_HOME, else the user's data directory."""
    home = _home_override()
    if home is None:
        import platformdirs  # only paid for by commands that touch state

        home = Path(platformdirs.user_data_dir("kata", appauthor=False))
    home.mkdir(parents=True, exist_ok=True)
    return home


def kata_cache() -> Path:
    """What grading keeps between checks to start faster: Hypothesis' own caches
    (its Unicode tables, ~0.15 s of CPU to rebuild) and the suites' rewritten
    bytecode. $KATA_HOME/cache, else the user's cache directory. Only caches:
    deleting them is safe, and no Hypothesis example database is ever kept."""
    home = _home_override()
    if home is not None:
        return home / "cache"
    import platformdirs

    return Path(platformdirs.user_cache_dir("kata", appauthor=False))


def hypothesis_cache() -> Path:
    return kata_cache() / "hypothesis"


def bytecode_cache() -> Path:
    return kata_cache() / "pycache"


def suite_bytecode_cache() -> Path:
    """The suites' bytecode as sandboxed checks read it (see runner.prepare_suite_bytecode)."""
    return kata_cache() / "suite-pycache"


def _data_dir(name: str) -> Path:
    # An installed wheel carries the data inside the package; a source checkout
    # (or an editable install) has it beside the package.
    packaged = _PACKAGE_DIR / "_data" / name
    return packaged if packaged.is_dir() else _PACKAGE_DIR.parent / name


def builtin_katas_dir() -> Path:
    return _data_dir("katas")


def solutions_dir() -> Path:
    return _data_dir("solutions")
