"""Keeps recency in a Python list: list.remove on every use and list.pop(0) to evict.

The rules are right, but each get and put scans or shifts the whole list: O(n).

Caught by: stage 3
"""

import threading
from collections.abc import Hashable
from typing import Any


class LRUCache:
    def __init__(self, capacity: int) -> None:
        if capacity < 0:
            raise ValueError("capacity must be >= 0")
        self.capacity = capacity
        self.values: dict = {}
        self.order: list = []  # least recently used first
        self.lock = threading.Lock()

    def get(self, key: Hashable, default: Any = None) -> Any:
        with self.lock:
            if key not in self.values:
                return default
            self.order.remove(key)
            self.order.append(key)
            return self.values[key]

    def put(self, key: Hashable, value: Any) -> None:
        with self.lock:
            if key in self.values:
                self.order.remove(key)
            elif self.capacity == 0:
                return
            elif len(self.values) >= self.capacity:
                oldest = self.order.pop(0)
                del self.values[oldest]
            self.values[key] = value
            self.order.append(key)

    def __len__(self) -> int:
        return len(self.values)

    def __contains__(self, key: object) -> bool:
        return key in self.values
