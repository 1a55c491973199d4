"""Locks get and put, but get first peeks without the lock ("a miss needs no lock").

Between the unlocked `key in data` and the locked move_to_end, another thread can evict
the key: move_to_end then raises KeyError.

Caught by: stage 4
"""

import threading
from collections import OrderedDict
from collections.abc import Hashable
from typing import Any


class LRUCache:
    def __init__(self, capacity: int) -> None:
        if capacity < 0:
            raise ValueError("capacity must be >= 0")
        self.capacity = capacity
        self.data: OrderedDict = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key: Hashable, default: Any = None) -> Any:
        if key not in self.data:
            return default  # fast path: no lock for a miss
        with self.lock:
            self.data.move_to_end(key)
            return self.data[key]

    def put(self, key: Hashable, value: Any) -> None:
        with self.lock:
            if key in self.data:
                self.data.move_to_end(key)
                self.data[key] = value
                return
            if self.capacity == 0:
                return
            if len(self.data) >= self.capacity:
                self.data.popitem(last=False)
            self.data[key] = value

    def __len__(self) -> int:
        return len(self.data)

    def __contains__(self, key: object) -> bool:
        return key in self.data
