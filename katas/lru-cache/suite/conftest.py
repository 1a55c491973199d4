"""Shared helpers of the lru-cache suite: a reference model of the rules, run as a state machine."""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    rule,
    run_state_machine_as_test,
)

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


def _make_machine(cache_class: type, min_capacity: int, max_capacity: int) -> type:
    values = st.one_of(st.none(), st.builds(Value, st.integers(0, 99)))
    keys = st.sampled_from(MODEL_KEYS)

    class LRUCacheVsModel(RuleBasedStateMachine):
        """Random put/get sequences on the attempt and on the model, compared after every step."""

        def __init__(self) -> None:
            super().__init__()
            self.cache: Any = None
            self.model: ModelLRU | None = None

        @initialize(capacity=st.integers(min_capacity, max_capacity))
        def create(self, capacity: int) -> None:
            self.cache = cache_class(capacity)
            self.model = ModelLRU(capacity)

        @rule(key=keys, value=values)
        def put(self, key: Hashable, value: Any) -> None:
            self.cache.put(key, value)
            self.model.put(key, value)

        @rule(key=keys, pass_default=st.booleans())
        def get(self, key: Hashable, pass_default: bool) -> None:
            if pass_default:
                default: Any = Default()
                got = self.cache.get(key, default)
            else:
                default = None
                got = self.cache.get(key)
            expected = self.model.get(key, default)
            if got is not expected:
                pytest.fail(
                    f"get({key!r}) must return the very object the LRU rules give: "
                    f"expected {expected!r}, got {got!r}\n"
                    f"(the value last put for the key, or the default when the key is not "
                    f"held; the model holds {list(self.model.data)!r}, least recent first)",
                    pytrace=False,
                )

        @invariant()
        def len_and_membership_match(self) -> None:
            if self.model is None:
                return
            size = len(self.cache)
            if size != len(self.model.data):
                pytest.fail(
                    f"len() must count the entries held: expected {len(self.model.data)}, "
                    f"got {size} (the model holds {list(self.model.data)!r})",
                    pytrace=False,
                )
            for key in MODEL_KEYS:
                held = key in self.cache
                if held != (key in self.model.data):
                    pytest.fail(
                        f"`{key!r} in cache` must be {not held} here, got {held} "
                        f"(the model holds {list(self.model.data)!r}, least recent first)",
                        pytrace=False,
                    )

    return LRUCacheVsModel


@pytest.fixture
def check_against_model() -> Callable[..., None]:
    """Runs random operation sequences against the reference model; fails on the first mismatch."""

    def run(min_capacity: int, max_capacity: int, *, max_examples: int, steps: int) -> None:
        from lru_cache import LRUCache

        machine = _make_machine(LRUCache, min_capacity, max_capacity)
        run_state_machine_as_test(
            machine,
            settings=settings(
                max_examples=max_examples,
                stateful_step_count=steps,
                deadline=None,
                derandomize=True,
                database=None,
                # Shrink one failure, and skip the slow "explain" phase: failing attempts
                # are reported within a few seconds.
                report_multiple_bugs=False,
                phases=[Phase.explicit, Phase.reuse, Phase.generate, Phase.shrink],
                suppress_health_check=[HealthCheck.too_slow],
            ),
        )

    return run
