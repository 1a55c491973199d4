"""Shared helpers of the lru-cache suite: a reference model of the rules, and call logging.

The model tests replay sequences of operations (given scripts first, then drawn ones) on the
attempt and on the model, and compare them after every call.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, example, given, settings
from hypothesis import strategies as st

# A small key space of every kind the contract names, so that with capacities up to 4
# evictions happen all the time and the order of uses decides which key goes.
MODEL_KEYS: tuple[Hashable, ...] = (0, 1, 2, "a", ("t", 1), None)


class Value:
    """A stored value: each one is a distinct object, compared by identity only."""

    __slots__ = ("n",)

    def __init__(self, n: int) -> None:
        self.n = n

    def __repr__(self) -> str:
        return f"Value({self.n})"


class Default:
    """A default passed to get(): the suite checks that this very object comes back."""

    def __repr__(self) -> str:
        return "Default()"


class ModelLRU:
    """The rules of the contract, written plainly: OrderedDict in use order, oldest first."""

    def __init__(self, capacity: int) -> None:
        self.capacity = capacity
        self.data: OrderedDict[Hashable, Any] = OrderedDict()

    def get(self, key: Hashable, default: Any) -> Any:
        if key not in self.data:
            return default  # a miss changes nothing
        self.data.move_to_end(key)  # a hit is a use
        return self.data[key]

    def put(self, key: Hashable, value: Any) -> None:
        if key in self.data:  # an update is a use and never evicts
            self.data.move_to_end(key)
            self.data[key] = value
            return
        if self.capacity == 0:
            return
        if len(self.data) >= self.capacity:
            self.data.popitem(last=False)
        self.data[key] = value


# The operations a model run draws from: a put of each key (storing None, or a fresh Value),
# and a get of each key (with no default, or with a Default() object).
OPERATIONS: tuple[tuple[str, Hashable, bool], ...] = tuple(
    (name, key, flag) for name in ("put", "get") for flag in (False, True) for key in MODEL_KEYS
)


class _ModelRun:
    """One sequence of calls on the attempt and on the model, compared after every call."""

    def __init__(self, cache_class: type, capacity: int) -> None:
        self.log: list[str] = []
        self.model: ModelLRU | None = None
        self.cache: Any = self.call(f"cache = LRUCache({capacity})", cache_class, capacity)
        self.model = ModelLRU(capacity)
        self.check_len_and_membership()

    def fail(self, rule: str, expected: str, got: str) -> None:
        held = list(self.model.data) if self.model is not None else []
        pytest.fail(
            f"{rule}\n"
            f"input: {'; '.join(self.log)}\n"
            f"expected: {expected} (the model holds {held!r}, least recent first)\n"
            f"got: {got}",
            pytrace=False,
        )

    def call(self, text: str, fn: Callable[..., Any], *args: Any) -> Any:
        self.log.append(text)
        try:
            return fn(*args)
        except Exception as exc:  # the attempt raised: report it in the failure shape
            self.fail(f"{text} must not raise", "no exception", f"raised {exc!r}")

    def step(self, number: int, name: str, key: Hashable, flag: bool) -> None:
        if name == "put":
            value = Value(number) if flag else None
            self.call(f"cache.put({key!r}, {value!r})", self.cache.put, key, value)
            self.model.put(key, value)
        else:
            if flag:
                default: Any = Default()
                got = self.call(f"cache.get({key!r}, Default())", self.cache.get, key, default)
            else:
                default = None
                got = self.call(f"cache.get({key!r})", self.cache.get, key)
            expected = self.model.get(key, default)
            if got is not expected:
                self.fail(
                    "get returns the very object put for the key, or the default when the key "
                    "is not held, by the LRU rules (a use is a put or a get that finds the key)",
                    f"the last get returns {expected!r}",
                    f"the last get returned {got!r}",
                )
        self.check_len_and_membership()

    def check_len_and_membership(self) -> None:
        try:
            size = len(self.cache)
        except Exception as exc:
            self.fail("len(cache) must not raise", "no exception", f"len(cache) raised {exc!r}")
        if size != len(self.model.data):
            self.fail(
                "len() counts the entries held",
                f"len(cache) == {len(self.model.data)} after these calls",
                f"len(cache) returned {size!r}",
            )
        for key in MODEL_KEYS:
            try:
                held = key in self.cache
            except Exception as exc:
                self.fail("`key in cache` must not raise", "no exception",
                          f"{key!r} in cache raised {exc!r}")
            if held != (key in self.model.data):
                self.fail(
                    "`key in cache` tells whether the key is held (and is not a use)",
                    f"{key!r} in cache is {not held} after these calls",
                    f"{key!r} in cache returned {held}",
                )


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


class Session:
    """Records the calls a test makes on caches, written as a person would type them.

    Failures then show the rule, the calls made (`input: `), and what the attempt did
    (`got: `). A call that raises fails the test in the same shape.
    """

    def __init__(self) -> None:
        self.lines: list[str] = []
        self._quiet = 0

    def note(self, text: str) -> None:
        self.lines.append(text)

    def input(self) -> str:
        return "; ".join(self.lines) or "(no call)"

    def fail(self, rule: str, got: str, expected: str | None = None) -> None:
        lines = [rule, f"input: {self.input()}"]
        if expected is not None:
            lines.append(f"expected: {expected}")
        lines.append(f"got: {got}")
        pytest.fail("\n".join(lines), pytrace=False)

    def check(self, ok: bool, rule: str, got: str, expected: str | None = None) -> None:
        if not ok:
            self.fail(rule, got, expected)

    def call(self, text: str, fn: Callable[..., Any], *args: Any) -> Any:
        if not self._quiet:
            self.lines.append(text)
        try:
            return fn(*args)
        except Exception as exc:  # the attempt raised: report it in the failure shape
            self.fail(f"{text} must not raise", got=f"raised {exc!r}")

    def quietly(self, text: str) -> _Quiet:
        """Calls inside `with session.quietly("for k in range(9): cache.put(k, k)")` log as text."""
        return _Quiet(self, text)

    def new(self, capacity: int, name: str = "cache") -> Recorded:
        from lru_cache import LRUCache

        cache = self.call(f"{name} = LRUCache({capacity!r})", LRUCache, capacity)
        return Recorded(self, cache, name)


class _Quiet:
    def __init__(self, session: Session, text: str) -> None:
        self.session, self.text = session, text

    def __enter__(self) -> None:
        self.session.note(self.text)
        self.session._quiet += 1

    def __exit__(self, *exc: object) -> None:
        self.session._quiet -= 1


class Recorded:
    """The attempt's cache, with every call logged in the session."""

    def __init__(self, session: Session, cache: Any, name: str) -> None:
        self.session, self.cache, self.name = session, cache, name

    def put(self, key: Any, value: Any) -> Any:
        text = f"{self.name}.put({_short(key)}, {_short(value)})"
        return self.session.call(text, self.cache.put, key, value)

    def get(self, key: Any, *default: Any) -> Any:
        args = ", ".join(_short(a) for a in (key, *default))
        return self.session.call(f"{self.name}.get({args})", self.cache.get, key, *default)

    def has(self, key: Any) -> Any:
        """`key in cache`, as the operator gives it (a bool)."""
        return self.session.call(f"{_short(key)} in {self.name}", lambda: key in self.cache)

    def contains(self, key: Any) -> Any:
        """cache.__contains__(key), as the method returns it."""
        return self.session.call(
            f"{self.name}.__contains__({_short(key)})", self.cache.__contains__, key
        )

    def len(self) -> Any:
        return self.session.call(f"len({self.name})", len, self.cache)


@pytest.fixture
def session() -> Session:
    """A fresh Session: `cache = session.new(2)`, then cache.put/get/has/len, session.fail(...)."""
    return Session()


# Keys as a script names them: "put t" is cache.put(("t", 1), Value(n)).
_SCRIPT_KEYS: dict[str, Hashable] = {"0": 0, "1": 1, "2": 2, "a": "a", "t": ("t", 1), "None": None}


def parse_script(text: str) -> list[tuple[str, Hashable, bool]]:
    """'put 0; put 1 None; get 0; get 1 D' -> the operations of a model run, in order.

    `put k` stores a fresh Value, `put k None` stores None; `get k` passes no default,
    `get k D` passes a Default() object.
    """
    script = []
    for text_op in text.split(";"):
        name, key, *rest = text_op.split()
        flag = rest != ["None"] if name == "put" else rest == ["D"]
        script.append((name, _SCRIPT_KEYS[key], flag))
    return script


@pytest.fixture
def check_against_model() -> Callable[..., None]:
    """Runs operation sequences against the reference model; fails on the first mismatch.

    First the given scripts, as (capacity, "put 0; get 0 D; ...") pairs (see parse_script),
    then random ones: a capacity from min_capacity to max_capacity and min_steps to steps
    operations, each a put or a get of one of MODEL_KEYS.
    """

    def run(min_capacity: int, max_capacity: int, *, max_examples: int, steps: int,
            min_steps: int = 0, scripts: tuple[tuple[int, str], ...] = ()) -> None:
        from lru_cache import LRUCache

        def replay(capacity: int, script: list[tuple[str, Hashable, bool]]) -> None:
            run = _ModelRun(LRUCache, capacity)
            for number, (name, key, flag) in enumerate(script):
                run.step(number, name, key, flag)

        for capacity, text in reversed(scripts):  # the first given is tried first
            replay = example(capacity=capacity, script=parse_script(text))(replay)
        test = settings(
            max_examples=max_examples,
            deadline=None,
            derandomize=True,
            database=None,
            # Shrink one failure, and skip the slow "explain" phase: failing attempts
            # are reported within a few seconds.
            report_multiple_bugs=False,
            phases=[Phase.explicit, Phase.reuse, Phase.generate, Phase.shrink],
            suppress_health_check=[HealthCheck.too_slow],
        )(given(capacity=st.integers(min_capacity, max_capacity),
                script=st.lists(st.sampled_from(OPERATIONS), min_size=min_steps,
                                max_size=steps))(replay))
        test()

    return run
