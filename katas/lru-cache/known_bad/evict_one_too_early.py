"""Inserts first, then trims with `>=` instead of `>`: the cache holds capacity - 1 entries.

Caught by: stage 1
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
        self.data: OrderedDict = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key: Hashable, default: Any = None) -> Any:
        with self.lock:
            value = self.data.get(key, _MISSING)
            if value is _MISSING:
                return default
            self.data.move_to_end(key)
            return value

    def put(self, key: Hashable, value: Any) -> None:
        with self.lock:
            self.data[key] = value
            self.data.move_to_end(key)
            if len(self.data) >= self.capacity:
                self.data.popitem(last=False)

    def __len__(self) -> int:
        return len(self.data)

    def __contains__(self, key: object) -> bool:
        return key in self.data
