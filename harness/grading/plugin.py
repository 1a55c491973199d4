"""The pytest plugin of the grading child (`python -m pytest -p harness.grading.plugin`).

It installs the tamper tripwire, loads the attempt under the module name the
hidden suite imports, and reports every event as one JSON line on a results
file that the parent reads: the parent never parses pytest's text output. The
records and the settings are defined in protocol.py; the plugin removes its
settings from `os.environ` before the attempt runs.
"""

from __future__ import annotations

import contextlib
import gc
import importlib.machinery
import importlib.util
import json
import os
import signal
import sys
import time
import types
from pathlib import Path
from types import TracebackType

import pytest
from hypothesis import HealthCheck, Phase, settings

from harness.grading import protocol as p
from harness.grading import shards, tripwire

# The whole message, every line: rule, input, expected, got (long inputs are cut).
MESSAGE_LINES = 40
LINE_CHARS = 300
MAX_TIMEOUTS = 2
EXAMPLE_CHARS = 1500
_STOPPED = f"stopped early: {MAX_TIMEOUTS} tests ran out of time"

# Registered at import so that every @settings in the suite inherits it.
settings.register_profile(
    "kata-grading",
    # No explain phase: after a failure is found and shrunk, it reruns the test for
    # up to seconds to annotate the example. The verdict and the example are the same.
    phases=[Phase.explicit, Phase.reuse, Phase.generate, Phase.target, Phase.shrink],
    derandomize=True,
    database=None,
    deadline=None,
    print_blob=False,
    report_multiple_bugs=False,  # one clear falsifying example, found sooner
    suppress_health_check=[HealthCheck.too_slow],
)
settings.load_profile("kata-grading")
# Hypothesis may shrink a failure for minutes; a candidate waits for the verdict.
# (An internal knob; if it moves, shrinking is still bounded by the test timeout.)
try:
    from hypothesis.internal.conjecture import engine as _engine

    _engine.MAX_SHRINKING_SECONDS = 2
except (ImportError, AttributeError):  # pragma: no cover
    pass


class TestTimeout(BaseException):
    """Raised inside a test whose time is up.

    A BaseException, so that neither Hypothesis (which treats pytest's own
    timeout failure as a failing example and goes on shrinking) nor an
    attempt's `except Exception` can swallow it.
    """

    __test__ = False


class _Channel:
    """Appends JSON lines to the results file with one write() each."""

    def __init__(self, path: str, token: str | None) -> None:
        self._fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        self._token = token

    def emit(self, event: str, **fields: object) -> None:
        line = json.dumps({"event": event, **fields, "token": self._token}, default=repr) + "\n"
        # If the attempt closed our descriptor, results go missing: "not passed".
        with contextlib.suppress(OSError):
            os.write(self._fd, line.encode("utf-8", "replace"))


class _ImportBlocker:
    """Refuses imports of the hidden suites and reference solutions by the attempt."""

    def __init__(self, roots: list[Path]) -> None:
        self.roots = roots
        self.paused = False

    def _blocked(self, location: str | None) -> bool:
        if not location:
            return False
        resolved = Path(location).resolve()
        return any(resolved.is_relative_to(root) for root in self.roots)

    def find_spec(self, fullname, path=None, target=None):
        if self.paused:
            return None
        spec = importlib.machinery.PathFinder.find_spec(fullname, path)
        if spec is None:
            return None
        places = [spec.origin, *(spec.submodule_search_locations or [])]
        if any(self._blocked(p) for p in places):
            raise ImportError(
                f"importing {fullname!r} is not allowed: an attempt may not use "
                "the hidden suites or the reference solutions"
            )
        return None


class _Missing:
    """Stands for an interface name the attempt does not define: any use of it fails
    the test that uses it, with a message that says which name is missing."""

    def __init__(self, file: str, name: str, why: str | None = None) -> None:
        self._why = why or f"{file} does not define {name}"

    def _fail(self, *args: object, **kwargs: object):
        raise NotImplementedError(self._why)

    __call__ = __getattr__ = __iter__ = __getitem__ = __enter__ = __await__ = _fail

    def __repr__(self) -> str:
        return f"<missing: {self._why}>"


class GradingPlugin:
    def __init__(self, module: str, interface: list[str], blocker: _ImportBlocker,
                 output_chars: int) -> None:
        self.channel: _Channel | None = None  # this check's results (see begin_check)
        self.attempt = Path()
        self.module = module
        self.interface = interface
        self.blocker = blocker
        self.output_chars = output_chars
        self._outcomes: dict[str, dict] = {}
        self.tally = shards.Tally(shards.SHARDS)  # outcomes, shared with the workers
        self.durations: dict[str, float] = {}  # recorded on the reference, for the split
        self.stage_by_stage = False  # stop after the first stage that fails (practice)
        self._stages: dict[str, int | None] = {}  # test id -> its stage
        self._cpu_at_start: tuple[float, float] | None = None
        self._stand_ins: StandIns | None = None  # a warm spare's suite, collected ahead

    def begin_check(self) -> None:
        """Take this check's settings from the environment (popping them before the
        attempt can read them there), open the results channel and arm the tripwire."""
        env = os.environ
        self.attempt = Path(env.pop(p.ATTEMPT)).resolve()
        # The per-check secret leaves the environment before the attempt can read it there.
        self.channel = _Channel(env.pop(p.RESULTS), env.pop(p.TOKEN, None))
        self.channel.emit(p.START)
        for constant in (p.MODULE, p.INTERFACE, p.BLOCKED, p.OUTPUT_CHARS, p.PYCACHE):
            env.pop(constant, None)
        guarded = tuple(str(Path(g)) + "/" for g in env.pop(p.GUARDED, "").split(os.pathsep) if g)
        if env.pop(p.TRIPWIRE, None) == "1":
            # Before anything of the attempt runs; once added, the hook cannot be removed.
            channel = self.channel
            tripwire.install(str(self.attempt),
                             lambda reason: channel.emit(p.TAMPERING, reason=reason), guarded)
        self.durations = shards.load_durations(env.pop(p.DURATIONS, None))
        self.stage_by_stage = env.pop(p.STAGE_BY_STAGE, None) == "1"

    # -- loading the attempt -------------------------------------------------

    @pytest.hookimpl(tryfirst=True)
    def load(self) -> None:
        """Load the attempt before anything of the suite, conftest.py included, is imported.

        An attempt that cannot be loaded (a syntax error, an exception at import) is
        recorded as such, and the suite still runs against placeholders that fail every
        test with that reason: each stage shows its real count of tests.
        """
        sys.meta_path.insert(0, self.blocker)
        error = self._load_attempt()
        why = None
        if error is not None:
            self.channel.emit(p.ATTEMPT_ERROR, message=error)
            sys.modules[self.module] = types.ModuleType(self.module)
            why = f"{self.attempt.name} could not be loaded: {error.splitlines()[0]}"
        # A name the attempt lacks fails only the tests that use it (the contract).
        loaded = sys.modules[self.module]
        missing = [name for name in self.interface if name not in vars(loaded)]
        for name in missing:
            setattr(loaded, name, _Missing(self.attempt.name, name, why))
        if self._stand_ins is not None:
            self._stand_ins.replace_with(loaded)
        else:
            self.blocker.paused = True  # pytest imports the suite next; it resumes with the tests
        self.channel.emit(p.ATTEMPT_LOADED, missing=missing)

    def _load_attempt(self) -> str | None:
        spec = importlib.util.spec_from_file_location(self.module, self.attempt)
        if spec is None or spec.loader is None:
            return f"{self.attempt.name} cannot be loaded as a Python module"
        module = importlib.util.module_from_spec(spec)
        sys.modules[self.module] = module
        try:
            # Compiled from the source every time: a cached .pyc of a file saved twice
            # in the same second, at the same size, would be stale.
            code = compile(self.attempt.read_bytes(), str(self.attempt), "exec",
                           dont_inherit=True)
            exec(code, module.__dict__)
        except SyntaxError as exc:
            where = f"line {exc.lineno}" if exc.lineno else "unknown line"
            text = f"\n    {exc.text.rstrip()}" if exc.text else ""
            return f"{self.attempt.name}, {where}: {type(exc).__name__}: {exc.msg}{text}"
        except SystemExit as exc:
            return f"{self.attempt.name} called sys.exit({exc.code!r}) while being imported"
        except KeyboardInterrupt:
            return f"{self.attempt.name} raised KeyboardInterrupt while being imported"
        except BaseException as exc:  # anything the attempt raises at import
            return (f"{self.attempt.name} raised {_describe(exc)} while being imported"
                    f"{_where(exc.__traceback__, self.attempt)}")
        return None

    # -- collection ----------------------------------------------------------

    @pytest.hookimpl(wrapper=True)
    def pytest_collection(self, session: pytest.Session):
        # pytest imports the suite through sys.meta_path; the blocker stays paused
        # until the suite is collected, and is on while the tests run.
        try:
            return (yield)
        finally:
            self.blocker.paused = False
            _cache_suite_bytecode(None)

    def pytest_collectreport(self, report: pytest.CollectReport) -> None:
        if report.failed and self.channel is not None:  # a spare's turns it away (below)
            self.channel.emit(p.COLLECT_ERROR, message=_cap(report.longreprtext, 2000))

    def pytest_collection_finish(self, session: pytest.Session) -> None:
        if self._stand_ins is not None:
            # A warm spare: the suite is collected; tell the server whether it can be
            # used, then wait for the check, and load its attempt in place of the stand-ins.
            usable = not session.testsfailed and self._stand_ins.only_bound_by_modules()
            SPARE.ready(usable)
            if not usable:
                _leave(SPARE_UNUSABLE)
            SPARE.wait()
            self.begin_check()
            self.load()
        _pin_local_constants(session.config.rootpath, sys.modules.get(self.module))
        tests = []
        for item in session.items:
            stage = _stage_of(item)
            self._stages[item.nodeid] = stage
            doc = getattr(getattr(item, "function", None), "__doc__", None)
            tests.append({
                "id": item.nodeid,
                "name": item.name,
                "stage": stage,
                "doc": doc.strip().splitlines()[0] if doc and doc.strip() else None,
            })
        self.channel.emit(p.COLLECTED, tests=tests)
        self._cpu_at_start = (time.process_time(), shards.children_cpu_s())

    # -- running -------------------------------------------------------------

    @pytest.hookimpl(tryfirst=True)
    def pytest_runtestloop(self, session: pytest.Session) -> bool | None:
        """Run the tests in forked workers at once (see shards.py) when that is safe;
        otherwise, and after a collection error, pytest's own loop runs them."""
        # Everything built so far (pytest, Hypothesis, the suite) lives as long as the
        # run: frozen, the collector never walks it again. That makes each collection in
        # pytest_runtest_makereport cheap, and spares the workers copy-on-write faults.
        gc.freeze()
        gc.enable()  # off until now in a cold check's child (see child.py)
        if session.testsfailed:
            return None
        if shards.can_shard(session):
            shards.run(session, self.tally, lambda share: self._run_share(session, share),
                       self._out_of_time, _leave, self.durations)
        elif self.stage_by_stage:
            self._run_share(session, session.items)  # here, serially, but stage by stage
        else:
            return None
        if self._out_of_time():
            raise session.Interrupted(_STOPPED)
        failed = self.tally.first_failed_stage() if self.stage_by_stage else None
        if failed is not None:
            locked = sorted({s for s in map(_stage_of, session.items)
                             if isinstance(s, int) and s > failed})
            if locked:
                self.channel.emit(p.LOCKED, stages=locked)
        return True

    def _run_share(self, session: pytest.Session, share: list[pytest.Item]) -> None:
        """Run a worker's share in collection order (stage 1's tests first). Stage by
        stage, the tests of any stage after one that a test (in any worker) did not pass
        are not run: that stage is the candidate's, the later ones are locked."""
        for i, item in enumerate(share):
            following = share[i + 1] if i + 1 < len(share) else None
            if self.stage_by_stage:
                failed = self.tally.first_failed_stage()
                stage = _stage_of(item)
                if failed is not None and isinstance(stage, int) and stage > failed:
                    continue
                if following is not None and _stage_of(following) != stage:
                    following = None  # it may not run: tear this stage's fixtures down
            item.config.hook.pytest_runtest_protocol(item=item, nextitem=following)
            if session.shouldstop or self._out_of_time():
                return

    def _out_of_time(self) -> bool:
        """Enough tests, in every worker together, ran out of time: stop the run."""
        return self.tally.total("timeouts") >= MAX_TIMEOUTS

    @pytest.hookimpl(tryfirst=True)
    def pytest_timeout_set_timer(self, item: pytest.Item, settings) -> bool:
        """pytest-timeout's hook: our own SIGALRM timer that raises TestTimeout."""
        seconds = settings.timeout
        # The parent watches this too, and kills the run if the test cannot be interrupted.
        self.channel.emit(p.TEST_START, id=item.nodeid, timeout_s=seconds or None)
        if not seconds or seconds <= 0:
            return True

        signal.signal(signal.SIGALRM, _raise_timeout)
        # Fires again every half second in case the attempt swallows the first one.
        signal.setitimer(signal.ITIMER_REAL, seconds, 0.5)
        return True

    @pytest.hookimpl(tryfirst=True)
    def pytest_timeout_cancel_timer(self, item: pytest.Item) -> bool:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, signal.SIG_DFL)
        return True

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_setup(self, item: pytest.Item):
        with _test_code_runs():
            return (yield)

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_call(self, item: pytest.Item):
        # pytest would end the whole session on KeyboardInterrupt; from an
        # attempt it is a failure of this test. (The child runs in its own
        # session, so a real Ctrl-C reaches the parent, never this process.)
        try:
            with _test_code_runs():
                return (yield)
        except KeyboardInterrupt:
            pytest.fail("the attempt raised KeyboardInterrupt", pytrace=False)

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_teardown(self, item: pytest.Item, nextitem: pytest.Item | None):
        with _test_code_runs():
            return (yield)

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_makereport(self, item: pytest.Item, call: pytest.CallInfo):
        if call.excinfo is None:
            report = yield
        else:
            # On CPython before 3.11.8, a garbage collection that runs finalizers (of
            # asyncio tasks a failing attempt left behind, say) while pytest parses source
            # for a traceback can crash the run with "SystemError: AST constructor
            # recursion depth mismatch" (python/cpython#113035). Collect at a safe point,
            # and keep the collector off while the failure report is built.
            gc.collect()
            gc.disable()
            # pytest builds a traceback report of every failure even with --tb=no: every
            # frame with its source, and for a RecursionError a comparison of the locals of
            # every frame (seconds for a recursive attempt on deep input). We show our own
            # message, so its report is just the exception's text; the terminal prints none.
            exc = call.excinfo.value
            item.repr_failure = lambda excinfo, *args, **kwargs: _describe(_first_leaf(exc))
            item._repr_failure_py = item.repr_failure
            try:
                report = yield
            finally:
                del item.repr_failure, item._repr_failure_py
                gc.enable()
        state = self._outcomes.setdefault(item.nodeid, {
            "outcome": "passed", "duration_s": 0.0, "message": None,
            "example": None, "output": None})
        state["duration_s"] += call.duration
        if report.passed and not hasattr(report, "wasxfail"):
            return report
        if state["outcome"] != "passed":
            return report  # keep the first problem
        if report.skipped or hasattr(report, "wasxfail"):
            state["outcome"] = "skipped"
            state["message"] = _skip_reason(report)
        else:
            exc = _first_leaf(call.excinfo.value) if call.excinfo else None
            message = _describe(exc) if exc is not None else report.longreprtext
            if _is_timeout(exc):
                state["outcome"] = "timeout"
                message = "took longer than the per-test time limit (an endless loop?)"
                self.tally.add("timeouts")
                if self._out_of_time():
                    # An attempt that loops would make every test wait out its limit.
                    item.session.shouldstop = _STOPPED
                    self.channel.emit(p.STOPPED, reason=_STOPPED)
            elif call.when == "call":
                state["outcome"] = "failed"
            else:
                state["outcome"] = "error"
                message = f"error in test {call.when}: {message}"
            if exc is not None:
                message += _where(exc.__traceback__, self.attempt)
                notes = [n for n in getattr(exc, "__notes__", []) if isinstance(n, str)]
                if notes:
                    state["example"] = _cap("\n".join(notes), EXAMPLE_CHARS)
            state["message"] = _whole(message)
        output = (report.capstdout + report.capstderr).strip()
        if output and state["output"] is None and self.output_chars:
            if getattr(getattr(item, "obj", None), "is_hypothesis_test", False):
                # Hypothesis runs the failing example last: its output is the tail.
                state["output"] = _tail(output, self.output_chars)
            else:
                state["output"] = _cap(output, self.output_chars)
        return report

    def pytest_runtest_logfinish(self, nodeid: str, location: tuple) -> None:
        state = self._outcomes.pop(nodeid, None)
        if state is not None:
            self.channel.emit(p.TEST, id=nodeid, **state)
            self.tally.add("passed" if state["outcome"] == "passed" else "failed")
            stage = self._stages.get(nodeid)
            if state["outcome"] != "passed" and isinstance(stage, int):
                self.tally.note_failed_stage(stage)

    @pytest.hookimpl(trylast=True)
    def pytest_unconfigure(self, config: pytest.Config) -> None:
        # CPU time barely depends on how busy the machine is, unlike wall time.
        cpu = None
        if self._cpu_at_start:  # this process and the workers
            own, workers = self._cpu_at_start
            cpu = time.process_time() - own + shards.children_cpu_s() - workers
        self.channel.emit(p.FINISHED, tests_cpu_s=cpu)
        _leave(0)


def _skip_local_constants_so_far() -> None:
    """Mark every module loaded so far (pytest, Hypothesis, kata's own) as already read
    for local constants, so that Hypothesis does not parse their source while collecting:
    `_pin_local_constants` decides which constants count."""
    try:
        from hypothesis.internal.conjecture import providers

        modules = list(sys.modules.values())
        providers._seen_modules.update(id(m) for m in modules)
        providers._sys_modules_len = len(modules)
    except (ImportError, AttributeError):  # pragma: no cover
        pass


def _pin_local_constants(suite_root: Path, attempt: types.ModuleType | None) -> None:
    """Hypothesis draws some inputs from the constants it finds in the source of "local"
    modules: those in sys.modules that are not installed packages. Which modules those are
    would depend on where kata is installed (a source checkout's harness is local) and on
    when the attempt was imported (a warm spare imports the suite first). Pin them to the
    suite's and the attempt's own, so that the same attempt always meets the same inputs.
    (Hypothesis internals: if they move, its own choice stands.)"""
    try:
        from hypothesis.internal.conjecture import providers
        from hypothesis.internal.constants_ast import Constants, constants_from_module
        from hypothesis.internal.floats import float_to_int
        from sortedcontainers import SortedSet
    except ImportError:  # pragma: no cover
        return
    modules = list(sys.modules.values())
    inside = str(suite_root).rstrip(os.sep) + os.sep  # strings: a Path each costs ~5 ms
    chosen = [m for m in modules if isinstance(getattr(m, "__file__", None), str)
              and m.__file__.startswith(inside)]
    found = Constants()
    for module in [*chosen, *([attempt] if attempt is not None else [])]:
        found |= constants_from_module(module)
    # Sorted, as Hypothesis keeps them: the order they are drawn from is then fixed too.
    pinned = Constants(integers=SortedSet(found.integers),
                       floats=SortedSet(found.floats, key=float_to_int),
                       bytes=SortedSet(found.bytes), strings=SortedSet(found.strings))
    try:
        providers._local_constants = pinned
        providers.CONSTANTS_CACHE.cache.clear()
    except AttributeError:  # pragma: no cover
        return
    _skip_local_constants_so_far()


def _stage_of(item: pytest.Item) -> int | None:
    marks = list(item.iter_markers("stage"))
    return marks[0].args[0] if marks and marks[0].args else None


def _leave(status: int) -> None:
    """Exit at once: threads the attempt left running or exit handlers it registered
    must neither hold the process open nor change anything."""
    for stream in (sys.stdout, sys.stderr, sys.__stdout__, sys.__stderr__):
        with contextlib.suppress(Exception):
            stream.flush()
    os._exit(status)


# Whether a test's own code (its set-up, body or teardown) is running: the time limit's
# alarm repeats every half second, and one that came while pytest builds the report of a
# test that already ran out of time (slow for an attempt holding gigabytes) would end the
# worker from inside pytest. Between the phases, the parent's deadline still holds.
_in_test_code = False


@contextlib.contextmanager
def _test_code_runs():
    global _in_test_code
    _in_test_code = True
    try:
        yield
    finally:
        _in_test_code = False


def _raise_timeout(signum, frame):
    if _in_test_code:
        raise TestTimeout("out of time")


def _first_leaf(exc: BaseException) -> BaseException:
    """The first real exception inside (nested) exception groups."""
    while isinstance(exc, BaseExceptionGroup) and exc.exceptions:
        exc = exc.exceptions[0]
    return exc


def _describe(exc: BaseException) -> str:
    text = str(exc)
    if isinstance(exc, AssertionError | pytest.fail.Exception):
        return text or "assertion failed"  # the suite's own words
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


def _whole(text: str) -> str:
    """Every line of a failure message (blank lines dropped), capped sensibly: a long one
    keeps its head (the rule, the start of the input) and its tail (expected, got)."""
    lines = [_cap(line.rstrip(), LINE_CHARS) for line in text.strip().splitlines()
             if line.strip()]
    if len(lines) > MESSAGE_LINES:
        tail = MESSAGE_LINES // 4
        lines = [*lines[:MESSAGE_LINES - tail],
                 f"… ({len(lines) - MESSAGE_LINES} more lines) …", *lines[-tail:]]
    return "\n".join(lines)


def _tail(text: str, limit: int) -> str:
    return text if len(text) <= limit else "…" + text[-(limit - 1):]


def _first_line(text: str) -> str:
    lines = [line for line in text.strip().splitlines() if line.strip()]
    first = lines[0] if lines else text
    return _cap(first, LINE_CHARS)


def _cap(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _where(tb: TracebackType | None, attempt: Path) -> str:
    """' (flatten.py, line 12)' for the innermost frame inside the attempt, if any."""
    line, name = None, str(attempt)
    while tb is not None:  # frame by frame: no source is read
        if tb.tb_frame.f_code.co_filename == name:
            line = tb.tb_lineno
        tb = tb.tb_next
    return f" ({attempt.name}, line {line})" if line else ""


def _is_timeout(exc: BaseException | None) -> bool:
    return isinstance(exc, TestTimeout)


def _skip_reason(report: pytest.TestReport) -> str:
    if hasattr(report, "wasxfail"):
        return "the test was marked as an expected failure (xfail); that is not a pass"
    reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
    return _first_line(f"the test was skipped ({reason}); a skipped test is not a pass")


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "stage(n): the kata stage this test grades")


@pytest.hookimpl(tryfirst=True)
def pytest_load_initial_conftests(early_config: pytest.Config, parser, args) -> None:
    """Set up grading before the suite's conftest.py files are imported (this plugin is
    loaded early, with -p, so pytest calls this hook for it)."""
    env = os.environ
    if p.RESULTS not in env and SPARE is None:
        return  # loaded outside a grading run: only the marker
    _skip_local_constants_so_far()
    grading = GradingPlugin(
        env[p.MODULE], [n for n in env.get(p.INTERFACE, "").split(",") if n],
        _ImportBlocker([Path(b).resolve() for b in env.get(p.BLOCKED, "").split(os.pathsep)
                        if b]),
        int(env.get(p.OUTPUT_CHARS, "500")))
    early_config.pluginmanager.register(grading, "kata-grading")
    pycache = env.get(p.PYCACHE)
    if SPARE is not None:
        # The suite is collected against stand-ins before the check (and so its attempt)
        # is known; pytest_collection_finish waits for it, and `load` puts the import
        # blocker in place before the attempt runs.
        grading._stand_ins = StandIns(grading.module, grading.interface)
    else:
        grading.begin_check()
        grading.load()
    _cache_suite_bytecode(pycache)


# -- warm spares ----------------------------------------------------------------------

# Set by the warm grader's server in a spare: a child that starts pytest and collects
# the suite ahead of the next check. It has `ready(usable: bool)` and `wait()`, which
# returns once the check's environment, working folder and output files are in place.
SPARE = None
SPARE_UNUSABLE = 3  # a spare's exit status when the suite cannot be collected ahead


class _StandIn:
    """Bound to an interface name while a spare collects the suite, before the attempt
    exists. Any use of it by the suite's own code at import makes collecting ahead
    impossible for this suite."""

    def __init__(self, owner: StandIns, name: str) -> None:
        self._owner, self._name = owner, name

    def _use(self, *args: object, **kwargs: object):
        self._owner.used = True
        raise NotImplementedError(f"{self._name} was used while the suite was imported")

    __call__ = __iter__ = __getitem__ = __enter__ = __await__ = __mro_entries__ = _use

    def __getattr__(self, attribute: str):
        # pytest and its plugins probe every module global while collecting (`__test__`,
        # `pytestmark`, `_mock_name`, ...): those find nothing, as on a plain function.
        # The same from the suite's own code (or code it calls) is a use.
        if self._owner.from_the_suite(sys._getframe(1)):
            self._owner.used = True
        raise AttributeError(attribute)

    def __repr__(self) -> str:
        return f"<stand-in for {self._name}>"


class StandIns:
    """The attempt's module and interface names as a spare's suite imports them. Once the
    attempt is loaded, every module-level binding of them is replaced by the real thing;
    that is the same as importing the suite after the attempt only when nothing else
    holds them (a default argument, a parametrize list, a strategy, a closure): checked
    with the collector's exact list of referrers, before the spare says it is ready."""

    def __init__(self, module: str, interface: list[str]) -> None:
        self.used = False
        self.module = types.ModuleType(module)
        self.names = {name: _StandIn(self, name) for name in interface}
        vars(self.module).update(self.names)
        sys.modules[module] = self.module
        self._before = set(sys.modules)
        self._suite: list[dict] = []

    def from_the_suite(self, frame: types.FrameType | None) -> bool:
        """Whether code of a module imported since the stand-ins were bound is running."""
        while frame is not None:
            if frame.f_globals.get("__name__") not in self._before:
                return True
            frame = frame.f_back
        return False

    def only_bound_by_modules(self) -> bool:
        if self.used:
            return False
        self._suite = [vars(m) for k, m in list(sys.modules.items())
                       if k not in self._before and isinstance(m, types.ModuleType)]
        allowed = {id(d) for d in self._suite} | {id(vars(self.module)), id(self.names),
                                                   id(sys.modules)}
        every = (self.module, *self.names.values())
        allowed |= {id(every), id(self), id(self.__dict__)}
        here = sys._getframe()
        for held in every:
            for holder in gc.get_referrers(held):
                if id(holder) not in allowed and holder is not here:
                    return False
        return True

    def replace_with(self, loaded: types.ModuleType) -> None:
        real = {id(s): getattr(loaded, name) for name, s in self.names.items()}
        real[id(self.module)] = loaded
        for namespace in self._suite:
            for key, value in namespace.items():
                if id(value) in real:
                    namespace[key] = real[id(value)]


def _cache_suite_bytecode(folder: str | None) -> None:
    """While conftest.py and the suite are imported (after the attempt), keep their
    assertion-rewritten bytecode in kata's cache: rewriting costs a check tens of ms."""
    sys.pycache_prefix = folder
    sys.dont_write_bytecode = folder is None
