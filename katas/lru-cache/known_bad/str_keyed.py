"""Stores entries under str(key) "so that lists and dicts work as keys too".

Unhashable keys now work, but different keys with the same text collide: 1 and "1",
or None and "None", are one entry.

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
        self.data: OrderedDict = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key: Hashable, default: Any = None) -> Any:
        k = str(key)
        with self.lock:
            value = self.data.get(k, _MISSING)
            if value is _MISSING:
                return default
            self.data.move_to_end(k)
            return value

    def put(self, key: Hashable, value: Any) -> None:
        k = str(key)
        with self.lock:
            if k in self.data:
                self.data.move_to_end(k)
                self.data[k] = value
                return
            if self.capacity == 0:
                return
            if len(self.data) >= self.capacity:
                self.data.popitem(last=False)
            self.data[k] = value

    def __len__(self) -> int:
        return len(self.data)

    def __contains__(self, key: object) -> bool:
        return str(key) in self.data
