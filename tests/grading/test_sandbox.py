"""The harm that must not happen, whatever a candidate's file does: through the real
`kata check` and `kata grade` paths, with planted secrets, siblings and a listening server.

These need a machine where bubblewrap can create namespaces (CI's and developers' here);
elsewhere they are skipped, and `kata grade` refuses to run (tested below either way).
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from harness import catalog, paths
from harness.grading import sandbox, tripwire

# Grades real attempts through child processes (pytest -m 'not slow' leaves it out).
pytestmark = pytest.mark.slow

HOSTILE = Path(__file__).parent / "hostile"
FLATTEN = catalog.find_kata("flatten")
SECRET = "kata-test-secret-8d1f0c"

needs_sandbox = pytest.mark.skipif(not sandbox.available().ok,
                                   reason=f"no sandbox here: {sandbox.available().reason}")


def _hostile(name: str) -> str:
    return (HOSTILE / name).read_text()


@pytest.fixture
def secrets(tmp_path, monkeypatch):
    """A home directory with a fake SSH key, and a token in the environment."""
    home = tmp_path / "interviewer-home"
    (home / ".ssh").mkdir(parents=True)
    (home / ".ssh" / "id_rsa").write_text(SECRET + "-ssh")
    (home / ".config").mkdir()
    (home / ".config" / "kata-test-secret").write_text(SECRET + "-config")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("API_TOKEN", SECRET + "-env")
    return home


@needs_sandbox
def test_secrets_never_reach_the_output(kata, workspace, secrets):
    (workspace / "flatten.py").write_text(_hostile("steals_secrets.py"))
    for args in (["check", "flatten", "--json"], ["check", "flatten"]):
        run = kata(*args)
        assert run.code == 1
        assert SECRET not in run.stdout + run.stderr, "a secret leaked into the report"


@needs_sandbox
def test_the_network_is_unreachable(kata, workspace, monkeypatch):
    """A server listens on loopback: the attempt's request never reaches it."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()
    server.settimeout(0.2)
    monkeypatch.setenv("KATA_TEST_SERVER", f"http://127.0.0.1:{server.getsockname()[1]}/")
    (workspace / "flatten.py").write_text(_hostile("network_exfiltration.py"))
    run = kata("check", "flatten", "--json")
    report = json.loads(run.stdout)
    assert report["verdict"] == "tampering"
    # Even with the tripwire's refusal aside, the sandbox has no network: nothing arrived.
    with pytest.raises(TimeoutError):
        server.accept()
    server.close()


@needs_sandbox
def test_grade_keeps_every_candidate_apart(kata, tmp_path, secrets):
    """A folder of strangers' files: the hostile ones harm nobody, the correct one passes."""
    folder = tmp_path / "candidates"
    folder.mkdir()
    reference = FLATTEN.reference_path.read_text()
    (folder / "alice.py").write_text(reference)
    for name in ("rewrites_its_neighbours.py", "signals_everyone.py", "steals_secrets.py",
                 "poisons_the_bytecode_cache.py", "plants_a_pth_file.py",
                 "escape_sequences_in_errors.py"):
        (folder / name).write_text(_hostile(name))
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    for fmt in ("--json", "--csv", None):
        run = kata("grade", str(folder), "--kata", "flatten", "--jobs", "2", "--no-bench",
                   *([fmt] if fmt else []), timeout=600)
        assert run.code == 0, run.stderr[-2000:]
        assert SECRET not in run.stdout + run.stderr
        assert "\x1b" not in run.stdout, "an escape sequence reached the terminal"
        if fmt == "--json":
            verdicts = {r["candidate"]: r["verdict"] for r in json.loads(run.stdout)["results"]}
            assert verdicts["alice"] == "passed", verdicts
            assert all(v != "passed" for c, v in verdicts.items() if c != "alice"), verdicts
            assert verdicts["rewrites_its_neighbours"] == "tampering"
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before, "a file was changed"
    site = Path(sys.prefix)
    assert not list(site.rglob("zz_kata_owned.pth")), "a .pth file was planted"
    # A later check of a failing file is still graded from the real suite.
    workspace = tmp_path / "later"
    workspace.mkdir()
    (workspace / "flatten.py").write_text(FLATTEN.stub_path.read_text())
    assert kata("check", "flatten", "--json", cwd=workspace).code == 1


@needs_sandbox
def test_the_suites_bytecode_is_read_only_to_every_attempt(kata, kata_home, workspace):
    """Sandboxed checks read the suite's rewritten bytecode from kata's cache, written by
    a collection against the kata's stub: an attempt that overwrites it changes nothing."""
    attempt = workspace / "flatten.py"
    attempt.write_text(FLATTEN.reference_path.read_text())
    assert kata("check", "flatten", "--json", "--no-bench").code == 0
    cached = {p: p.read_bytes() for p in paths_under(kata_home, "suite-pycache")}
    assert any(p.name.startswith("test_stage1.") for p in cached), cached
    attempt.write_text(_hostile("poisons_the_bytecode_cache.py"))
    assert json.loads(kata("check", "flatten", "--json").stdout)["verdict"] == "tampering"
    assert {p: p.read_bytes() for p in paths_under(kata_home, "suite-pycache")} == cached
    attempt.write_text(FLATTEN.reference_path.read_text())
    assert kata("check", "flatten", "--json", "--no-bench").code == 0


@needs_sandbox
def test_a_checks_child_cannot_write_the_suites_bytecode(kata_home, tmp_path):
    """Below the tripwire (which refuses the attempt's open() anyway): the mount itself
    is read-only in a grading child, and writable only in the stub's collection."""
    from harness.grading import runner

    runner.prepare_suite_bytecode(FLATTEN, runner.Limits())
    target = sandbox.SUITE_BYTECODE_DIR / "kata" / "written-by-the-attempt"
    write = f"open({str(target)!r}, 'w').write('x')"
    for mode, folder in (("ro", tmp_path / "check"), ("rw", tmp_path / "stub")):
        folder.mkdir()
        # A check's child is built with the default; only the stub's collection says "rw".
        chosen = {} if mode == "ro" else {"caches": "rw"}
        spec, _, _ = runner._grading_spec(FLATTEN, "flatten.py", b"", folder,
                                           runner.Limits(), True, **chosen)
        spec.argv = [sys.executable, "-c", write]
        child = runner.cold_launch(spec)
        status = child.wait(timeout=60)
        child.process_cap.close()  # as runner._supervise does: no cgroup is left behind
        assert (status == 0) is (mode == "rw"), spec.stderr.read_text()
        if mode == "ro":
            assert "Read-only file system" in spec.stderr.read_text()
    assert (paths.suite_bytecode_cache() / "kata" / "written-by-the-attempt").is_file()


def paths_under(kata_home: Path, name: str) -> list[Path]:
    return [p for p in (kata_home / "cache" / name).rglob("*") if p.is_file()]


def test_grade_refuses_without_a_sandbox(kata, tmp_path, monkeypatch):
    folder = tmp_path / "candidates"
    folder.mkdir()
    (folder / "bob.py").write_text(FLATTEN.stub_path.read_text())
    monkeypatch.setenv("KATA_UNSANDBOXED", "1")  # as on a machine with no user namespaces
    run = kata("grade", str(folder), "--kata", "flatten", "--json")
    assert run.code == 2 and "no sandbox" in run.stderr
    run = kata("grade", str(folder), "--kata", "flatten", "--json", "--unsandboxed",
               "--no-bench")
    assert run.code == 0 and json.loads(run.stdout)["results"][0]["verdict"] == "not passed"


def test_practice_without_a_sandbox_says_so(kata, workspace, monkeypatch):
    monkeypatch.setenv("KATA_UNSANDBOXED", "1")
    (workspace / "flatten.py").write_text(FLATTEN.stub_path.read_text())
    run = kata("check", "flatten", "--json")
    assert run.code == 1 and "no sandbox on this machine" in run.stderr
    assert json.loads(run.stdout)["sandboxed"] is False


def _descendants(root: int) -> set[int]:
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stat = Path(f"/proc/{entry}/stat").read_bytes()
            except OSError:
                continue
            ppid = int(stat[stat.rfind(b")") + 2:].split()[1])
            children.setdefault(ppid, []).append(int(entry))
    found, todo = set(), [root]
    while todo:
        for child in children.get(todo.pop(), []):
            found.add(child)
            todo.append(child)
    return found


def _naming(path: Path) -> set[int]:
    """The processes whose command line or environment holds `path`."""
    wanted, found = str(path).encode(), set()
    for entry in os.listdir("/proc"):
        if entry.isdigit() and int(entry) != os.getpid():
            for part in ("cmdline", "environ"):
                try:
                    if wanted in Path(f"/proc/{entry}/{part}").read_bytes():
                        found.add(int(entry))
                        break
                except OSError:
                    continue
    return found


def _described(pids: list[int]) -> list[str]:
    """Each process with its command line and state, to tell what was left behind."""
    found = []
    for pid in pids:
        try:
            command = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ")[:200]
            status = dict(line.split(":\t", 1) for line in
                          Path(f"/proc/{pid}/status").read_text().splitlines() if ":\t" in line)
            found.append(f"{pid} [{status.get('State')}, parent {status.get('PPid')}] "
                         f"{command.decode()}")
        except (OSError, IndexError):
            found.append(f"{pid} (gone)")
    return found


@pytest.mark.parametrize("unsandboxed", [
    pytest.param(False, id="sandboxed", marks=needs_sandbox), pytest.param(True, id="unsandboxed")])
@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGTERM, signal.SIGHUP],
                         ids=lambda s: s.name)
def test_killing_kata_mid_check_leaves_no_process(kata_home, workspace, sig, unsandboxed,
                                                  from_a_terminal, alive):
    """The attempt loops with signals ignored; `kata` is killed while it is graded."""
    (workspace / "flatten.py").write_text(
        "import time\n"
        "def flatten(data, sep='.'):\n"
        "    while True:\n"
        "        try:\n"
        "            time.sleep(0.001)\n"
        "        except BaseException:\n"
        "            pass\n"
        "unflatten = flatten\n")
    proc = subprocess.Popen(
        [sys.executable, "-m", "harness", "check", "flatten", "--json", "--timeout", "60",
         "--wall-timeout", "120"], cwd=workspace, stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL, preexec_fn=from_a_terminal,
        env={**os.environ, "KATA_HOME": str(kata_home),
             **({"KATA_UNSANDBOXED": "1"} if unsandboxed else {})})
    # Wait until the check's processes exist (bwrap, the child and its two workers).
    deadline = time.monotonic() + 60
    seen: set[int] = set()
    while time.monotonic() < deadline and len(seen) < 3:
        seen |= _descendants(proc.pid)
        time.sleep(0.1)
    assert len(seen) >= 3, f"the check did not start its workers: {seen}"
    time.sleep(0.5)
    seen |= _descendants(proc.pid)
    proc.send_signal(sig)
    proc.wait(timeout=30)
    # The kernel ends them at once; a machine busy with other tests may take a moment to.
    # (The attempt loops for ever, ignoring signals: one left behind would still be here.)
    # A child started after the last look is found by the KATA_HOME its command line
    # (sandboxed) or environment (unsandboxed) names.
    deadline = time.monotonic() + 10
    while ((survivors := [pid for pid in seen | _naming(kata_home) if alive(pid)])
           and time.monotonic() < deadline):
        time.sleep(0.1)
    assert not survivors, f"alive ten seconds after kata died: {_described(survivors)}"


def test_the_static_scan_passes_every_known_good_attempt():
    """No correct attempt in any plain style trips the scan."""
    files = [*paths.builtin_katas_dir().glob("*/known_good/*.py"),
             *paths.solutions_dir().glob("*.py")]
    assert files
    for path in files:
        assert tripwire.scan(path.read_text(), path.name) == [], path


def test_the_static_scan_names_each_reach():
    source = ("import sys\nimport os as o\n"
              "x = sys.modules['pytest']\n"
              "y = (1).__class__.__bases__[0].__subclasses__()\n"
              "z = getattr(o, 'ki' + 'll')\n"
              "o.sep = '!'\n"
              "f = lambda: 0\nf.__globals__\n")
    found = " | ".join(tripwire.scan(source))
    for expected in ("sys.modules", "__subclasses__", "__bases__", "name built at run time",
                     "o.sep", "__globals__"):
        assert expected in found, (expected, found)


def test_threads_alone_do_not_trip_anything():
    """Thread start-up and joins raise audit events that must stay allowed."""
    seen: list[str] = []
    wire = tripwire.Tripwire("<no attempt>", seen.append, ())
    thread = threading.Thread(target=lambda: None)
    thread.start()
    thread.join()
    wire("_thread.start_new_thread", ())
    assert seen == []
