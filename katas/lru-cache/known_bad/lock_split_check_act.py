"""Holds the lock for the check and again for the act, but lets go in between.

Two threads can both find room (or both find the cache full) before either inserts,
so the cache grows past its capacity.

Caught by: stage 4
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

    def _is_full(self, key: Hashable) -> bool:
        with self.lock:
            return key not in self.data and len(self.data) >= self.capacity

    def put(self, key: Hashable, value: Any) -> None:
        if self.capacity == 0:
            return
        if self._is_full(key):
            with self.lock:
                self.data.popitem(last=False)
        with self.lock:
            self.data[key] = value
            self.data.move_to_end(key)

    def __len__(self) -> int:
        return len(self.data)

    def __contains__(self, key: object) -> bool:
        return key in self.data
