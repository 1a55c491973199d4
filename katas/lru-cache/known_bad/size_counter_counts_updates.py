"""Keeps its own size counter, bumped on every put: an update of a held key counts twice.

The map itself stays right, but len() drifts upwards with every update, and the
"is it full?" check reads the drifted counter, so the cache evicts too early.

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
        self.size = 0
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
            if self.capacity == 0:
                return
            if key not in self.data and self.size >= self.capacity:
                self.data.popitem(last=False)
                self.size -= 1
            self.data[key] = value
            self.data.move_to_end(key)
            self.size += 1

    def __len__(self) -> int:
        return self.size

    def __contains__(self, key: object) -> bool:
        return key in self.data
