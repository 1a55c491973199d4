"""Cheat: get hands back a stand-in that compares equal to anything.

An `==` check would pass whatever was stored or expected; the suite checks identity.

Caught by: stage 1
"""

from collections.abc import Hashable
from typing import Any


class _Anything:
    def __eq__(self, other: object) -> bool:
        return True

    def __ne__(self, other: object) -> bool:
        return False

    __hash__ = object.__hash__


class LRUCache:
    def __init__(self, capacity: int) -> None:
        if capacity < 0:
            raise ValueError("capacity must be >= 0")
        self.capacity = capacity
        self.keys: list = []

    def get(self, key: Hashable, default: Any = None) -> Any:
        return _Anything()

    def put(self, key: Hashable, value: Any) -> None:
        if key not in self.keys:
            self.keys.append(key)
        del self.keys[: max(0, len(self.keys) - self.capacity)]

    def __len__(self) -> int:
        return len(self.keys)

    def __contains__(self, key: object) -> bool:
        return key in self.keys
