"""Stores entries under hash(key) instead of the key: different keys with equal hashes collide.

In CPython hash(-1) == hash(-2), so put(-2, v) overwrites the entry of -1.

Caught by: stage 2
"""

import threading
from collections import OrderedDict
from collections.abc import Hashable
from typing import Any

_MISSING = object()


class LRUCache:
    def __init__(self, capacity: int) -> None:
        if capacity < 0:
            raise ValueError("capacity must be >= 0")
        self.capacity = capacity
        self.data: OrderedDict = OrderedDict()  # hash(key) -> value
        self.lock = threading.Lock()

    def get(self, key: Hashable, default: Any = None) -> Any:
        h = hash(key)
        with self.lock:
            value = self.data.get(h, _MISSING)
            if value is _MISSING:
                return default
            self.data.move_to_end(h)
            return value

    def put(self, key: Hashable, value: Any) -> None:
        h = hash(key)
        with self.lock:
            if h in self.data:
                self.data.move_to_end(h)
                self.data[h] = value
                return
            if self.capacity == 0:
                return
            if len(self.data) >= self.capacity:
                self.data.popitem(last=False)
            self.data[h] = value

    def __len__(self) -> int:
        return len(self.data)

    def __contains__(self, key: object) -> bool:
        return hash(key) in self.data
