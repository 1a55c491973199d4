"""A list of keys in use order, searched from the newest end ("most gets are of recent keys").

Evicting is cheap: a head index moves past the oldest key, and the list is compacted once
half of it is spent. But a get hit or an update looks the key up by walking back from the
newest end, so a key used long ago costs a walk over most of the cache: O(n) per use.

Caught by: stage 3
"""

import threading
from collections.abc import Hashable
from typing import Any

_MISSING = object()
_GONE = object()  # marks the old place of a key that was used again


class LRUCache:
    def __init__(self, capacity: int) -> None:
        if capacity < 0:
            raise ValueError("capacity must be >= 0")
        self.capacity = capacity
        self.values: dict = {}
        self.order: list = []  # least recently used first, from index self.head on
        self.head = 0
        self.lock = threading.Lock()

    def _use(self, key: Hashable) -> None:
        i = len(self.order) - 1
        while self.order[i] is _GONE or self.order[i] != key:
            i -= 1
        self.order[i] = _GONE
        self.order.append(key)

    def _evict(self) -> None:
        while self.order[self.head] is _GONE:
            self.head += 1
        del self.values[self.order[self.head]]
        self.head += 1
        if self.head * 2 > len(self.order):
            self.order = [k for k in self.order[self.head:] if k is not _GONE]
            self.head = 0

    def get(self, key: Hashable, default: Any = None) -> Any:
        with self.lock:
            value = self.values.get(key, _MISSING)
            if value is _MISSING:
                return default
            self._use(key)
            return value

    def put(self, key: Hashable, value: Any) -> None:
        with self.lock:
            if key in self.values:
                self._use(key)
                self.values[key] = value
                return
            if self.capacity == 0:
                return
            if len(self.values) >= self.capacity:
                self._evict()
            self.values[key] = value
            self.order.append(key)

    def __len__(self) -> int:
        return len(self.values)

    def __contains__(self, key: object) -> bool:
        return key in self.values
