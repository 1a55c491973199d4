"""The tamper tripwire: what no sandbox can stop inside the grading process.

The attempt runs in the same interpreter as pytest, Hypothesis and the grading
plugin; same-process Python cannot be protected against introspection. So
instead of promising that, kata watches for the reaches that forging a verdict
needs, and an attempt caught reaching is never "passed": its verdict is
`tampering`, with the reasons, so that an interviewer reads the file by hand.

Two halves:
- `install()` adds a Python audit hook (PEP 578: once added it cannot be
  removed) before the attempt is loaded. For code running from the attempt it
  refuses, and reports, the audited events that reach into the grader:
  enumerating objects through `gc`, frames, `ctypes`, signals and processes,
  sockets, compiling or executing new code, importing the test stack or kata's
  own modules, opening the results file, the suite or /proc.
- `scan()` reads the attempt's source (in the parent, before anything runs)
  for the reaches that raise no audit event: `sys.modules`, dunder chains such
  as `__subclasses__`, `__globals__` and `__builtins__`, frame attributes,
  attribute names built at run time, assignments into modules it imported.

Both allow what correct attempts in plain styles use: recursion limits,
`inspect.iscoroutinefunction`, threading, asyncio, functools, dataclasses.
"""

from __future__ import annotations

import ast
import re
import sys
from collections.abc import Callable

# Modules an attempt has no business importing: the test stack and kata itself.
FORBIDDEN_MODULES = frozenset({
    "pytest", "_pytest", "pluggy", "hypothesis", "_hypothesis_pytestplugin",
    "_hypothesis_globals", "pytest_timeout", "pytest_asyncio", "harness", "suite",
    "conftest", "gc", "ctypes", "_ctypes", "signal", "subprocess", "socket", "_socket",
    "multiprocessing", "builtins", "importlib", "runpy", "code", "codeop", "pty", "mmap",
    "_thread", "sysconfig", "site", "pdb", "bdb", "trace", "tracemalloc", "faulthandler",
})

# -- the static half ----------------------------------------------------------------

# Attributes that lead from any object to the interpreter's internals.
FORBIDDEN_ATTRIBUTES = frozenset({
    "__subclasses__", "__globals__", "__builtins__", "__code__", "__closure__", "__self__",
    "__func__", "__traceback__", "__bases__", "__base__", "__mro__", "__loader__", "__spec__",
    "__import__", "__reduce__", "__reduce_ex__", "__getattribute__",
    "f_back", "f_locals", "f_globals", "f_builtins", "f_code", "f_trace", "tb_frame", "tb_next",
    "gi_frame", "gi_code", "cr_frame", "cr_code", "ag_frame", "ag_code",
})
# Attributes of a module the attempt imported (`sys.modules`, `os.kill`, `inspect.stack`).
FORBIDDEN_MODULE_ATTRIBUTES = frozenset({
    "_getframe", "_current_frames", "_current_exceptions", "currentframe", "stack", "trace",
    "getouterframes", "getinnerframes", "get_stack", "print_stack", "modules", "meta_path",
    "path_hooks", "addaudithook", "settrace", "setprofile", "kill", "killpg", "fork",
    "ftruncate", "truncate", "dup", "dup2", "pidfd_open", "system", "popen",
    "execv", "execve", "execl", "spawnv", "posix_spawn", "setitimer", "alarm", "all_tasks",
})
# Builtins that execute code or reach objects by a name built at run time.
FORBIDDEN_CALLS = frozenset({"exec", "eval", "compile", "__import__", "breakpoint", "globals",
                             "open"})
_NAME_FUNCTIONS = frozenset({"getattr", "setattr", "delattr", "hasattr"})


def scan(source: str, filename: str = "<attempt>",
         suite_modules: frozenset[str] = frozenset()) -> list[str]:
    """The reaches into the grader that the attempt's source shows, one reason each.
    `suite_modules` names the modules the hidden suite makes at run time."""
    try:
        tree = ast.parse(source, filename)
    except (SyntaxError, ValueError):
        return []  # the grading child reports the syntax error itself
    found: list[str] = []
    imported: set[str] = set()  # names bound by import statements

    def flag(node: ast.AST, what: str) -> None:
        reason = f"line {getattr(node, 'lineno', '?')}: {what}"
        if reason not in found:
            found.append(reason)

    for node in ast.walk(tree):
        if isinstance(node, ast.Import | ast.ImportFrom):
            names = ([a.name for a in node.names] if isinstance(node, ast.Import)
                     else [node.module or ""])
            for name in names:
                if name.split(".")[0] in FORBIDDEN_MODULES or (
                        isinstance(node, ast.ImportFrom) and node.level):
                    flag(node, f"imports {name or '.'} (the test stack, kata itself, or "
                               "the interpreter's internals)")
                elif name.split(".")[0] in suite_modules:
                    flag(node, f"imports {name}, a module of the hidden suite")
            for alias in node.names:
                imported.add((alias.asname or alias.name).split(".")[0])
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.attr in FORBIDDEN_ATTRIBUTES:
            flag(node, f"uses the attribute {node.attr}")
        elif (isinstance(node, ast.Attribute) and node.attr in FORBIDDEN_MODULE_ATTRIBUTES
              and _root_name(node) in imported):
            flag(node, f"uses {ast.unparse(node)}")
        elif isinstance(node, ast.Name) and node.id in ("__builtins__", "__loader__", "__spec__"):
            flag(node, f"uses {node.id}")
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            name = node.func.id
            if name in FORBIDDEN_CALLS:
                flag(node, f"calls {name}()")
            elif name in _NAME_FUNCTIONS and node.args:
                target, attribute = node.args[0], node.args[1] if len(node.args) > 1 else None
                dynamic = attribute is not None and not (
                    isinstance(attribute, ast.Constant) and isinstance(attribute.value, str))
                if isinstance(attribute, ast.Constant) and attribute.value in FORBIDDEN_ATTRIBUTES:
                    flag(node, f"{name}() of the attribute {attribute.value}")
                elif dynamic and _root_name(target) in imported:
                    flag(node, f"{name}() on a module with a name built at run time")
        elif isinstance(node, ast.Assign | ast.AugAssign | ast.AnnAssign | ast.Delete):
            targets = (node.targets if isinstance(node, ast.Assign | ast.Delete)
                       else [node.target])
            for target in targets:
                if isinstance(target, ast.Attribute) and _root_name(target) in imported:
                    flag(node, f"changes {ast.unparse(target)}, which belongs to an "
                               "imported module")
    return found


_MADE_MODULE = re.compile(r"""(?:ModuleType\(|sys\.modules\[)\s*['"]([\w.]+)['"]""")


def suite_module_names(suite_sources: list[str]) -> frozenset[str]:
    """Top-level names of the modules a suite makes (`ModuleType("x")`, `sys.modules["x"]`):
    an attempt importing one at test time would reach the suite's own helpers."""
    return frozenset(m.split(".")[0] for text in suite_sources
                     for m in _MADE_MODULE.findall(text))


def _root_name(node: ast.AST) -> str | None:
    while isinstance(node, ast.Attribute | ast.Subscript | ast.Call):
        node = node.func if isinstance(node, ast.Call) else node.value
    return node.id if isinstance(node, ast.Name) else None


# -- the audit hook -----------------------------------------------------------------

# Refused whenever code of the attempt is anywhere on the stack.
_REFUSED = {
    "gc.get_objects": "enumerates objects through gc",
    "gc.get_referrers": "enumerates objects through gc",
    "gc.get_referents": "enumerates objects through gc",
    "sys._current_frames": "reads the frames of other threads",
    "sys._current_exceptions": "reads the exceptions of other threads",
    "sys.settrace": "installs a tracer",
    "sys.setprofile": "installs a profiler",
    "sys.addaudithook": "installs an audit hook",
    "os.kill": "sends a signal",
    "os.killpg": "sends a signal",
    "signal.pthread_kill": "sends a signal",
    "os.fork": "starts a process",
    "os.forkpty": "starts a process",
    "os.exec": "starts a program",
    "os.posix_spawn": "starts a program",
    "os.spawn": "starts a program",
    "os.system": "runs a shell command",
    "subprocess.Popen": "starts a program",
    "pty.spawn": "starts a program",
    "os.truncate": "truncates a file",
    "os.remove": "deletes a file",
    "os.rename": "renames a file",
    "os.unlink": "deletes a file",
    "os.chmod": "changes file permissions",
    "shutil.rmtree": "deletes files",
}
# Refused when the attempt's own code raises them, or when it has one of the standard
# modules that read frames or run code for their caller (inspect, traceback, runpy...)
# do it for it. Libraries that do so for their own purposes (dataclasses, namedtuple,
# typing, logging, freezegun, asyncio...) are left alone.
_REFUSED_FROM_ATTEMPT = {
    "sys._getframe": "reads a stack frame",
    "sys._getframemodulename": "reads a stack frame",
    "object.__getattr__": "reads an interpreter-internal attribute (frames or code)",
    "object.__setattr__": "replaces an interpreter-internal attribute",
    "compile": "compiles new code",
    "exec": "executes new code",
    "code.__new__": "builds code objects",
    "function.__new__": "builds functions from code objects",
}
_TRAMPOLINES = ("inspect", "traceback", "runpy", "code", "codeop", "timeit", "pdb", "bdb",
                "trace", "doctest", "pickle", "copyreg", "cProfile", "profile", "ast",
                "importlib", "pkgutil", "tokenize")


# Attributes that hand out a stack frame.
_FRAME_ATTRIBUTES = frozenset({"tb_frame", "gi_frame", "cr_frame", "ag_frame", "f_back"})


class Tripwire:
    """The audit hook's state: which file is the attempt, and where to report."""

    def __init__(self, attempt_file: str, report: Callable[[str], None],
                 guarded_paths: tuple[str, ...]) -> None:
        self.attempt_file = attempt_file
        self.report = report
        self.guarded = guarded_paths  # folders the attempt may not open
        self.reported: set[str] = set()
        self.busy = False
        import socket  # here, not at the top: kata's parent uses only `scan`

        self.af_unix = socket.AF_UNIX

    def _attempt_frames(self, importing: bool = False) -> tuple[bool, str | None]:
        """(is the attempt on the stack, the file of the requester): the requester is the
        innermost frame that is not a standard trampoline (inspect, traceback...), nor,
        for an import, the import machinery itself."""
        frame = sys._getframe(2)  # the frame that raised the event
        requester = None
        while frame is not None:
            filename = frame.f_code.co_filename
            if requester is None and not _trampoline(filename) and not (
                    importing and filename.startswith("<frozen importlib")):
                requester = filename
            if filename == self.attempt_file:
                return True, requester
            frame = frame.f_back
        return False, requester

    def __call__(self, event: str, args: tuple) -> None:
        if self.busy:
            return
        why = _REFUSED.get(event)
        inner_only = None
        if why is None:
            inner_only = _REFUSED_FROM_ATTEMPT.get(event)
        if event == "object.__getattr__" and (len(args) < 2 or args[1] not in _FRAME_ATTRIBUTES):
            return  # code objects and the like: the source scan names those
        if why is None and inner_only is None:
            if event.startswith("ctypes."):
                why = "uses ctypes"
            elif event == "import" and args and str(args[0]).split(".")[0] in FORBIDDEN_MODULES:
                # Only the attempt's own import: asyncio importing socket is no reach.
                inner_only = f"imports {args[0]}"
            elif event == "socket.__new__" and len(args) > 1 and args[1] != self.af_unix:
                why = "opens a network socket"
            elif event.startswith("socket.") and event != "socket.__new__":
                why = "uses a socket"
            elif event == "open" and args:
                why = self._open_reason(args)
            elif event == "os.listdir" and args and self._guarded(str(args[0])):
                why = f"lists {args[0]}"
            if why is None and inner_only is None:
                return
        self.busy = True
        try:
            on_stack, requester = self._attempt_frames(importing=event == "import")
            if not on_stack:
                return
            if inner_only is not None:
                if requester != self.attempt_file:
                    return
                why = inner_only
            reason = f"{why} ({event})"
            if reason not in self.reported:
                self.reported.add(reason)
                self.report(reason)
        finally:
            self.busy = False
        raise RuntimeError(f"kata: not allowed while grading: the attempt {why}")

    def _guarded(self, path: str) -> bool:
        return path.startswith("/proc") or any(path.startswith(g) for g in self.guarded)

    def _open_reason(self, args: tuple) -> str | None:
        path, mode = args[0], args[1] if len(args) > 1 else None
        if not isinstance(path, str):
            return "opens a file descriptor as a file" if isinstance(path, int) else None
        if self._guarded(path) and path != self.attempt_file:
            return f"opens {path}"
        writing = (isinstance(mode, str) and any(c in mode for c in "wax+")) or (
            len(args) > 2 and isinstance(args[2], int) and args[2] & 3)
        if writing and not path.startswith("/tmp/"):
            return f"opens {path} for writing"
        return None


_STDLIB = sys.modules["os"].__file__.rsplit("/", 1)[0] + "/"  # computed once: a hot path


def _trampoline(filename: str | None) -> bool:
    """Is `filename` a standard module that reads frames or runs code on its caller's
    behalf? (Importing a module runs its code too, from importlib's frozen bootstrap:
    that is not a trampoline.)"""
    if not filename or filename.startswith("<frozen") or not filename.startswith(_STDLIB):
        return False
    name = filename[len(_STDLIB):]
    return any(name == f"{m}.py" or name.startswith(f"{m}/") for m in _TRAMPOLINES)


def install(attempt_file: str, report: Callable[[str], None],
            guarded_paths: tuple[str, ...] = ()) -> Tripwire:
    wire = Tripwire(attempt_file, report, guarded_paths)
    sys.addaudithook(wire)
    return wire
