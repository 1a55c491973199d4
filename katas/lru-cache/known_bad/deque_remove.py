"""A dict for the values and a deque for the order: "deque gives O(1) popleft".

Eviction is indeed O(1), but every use refreshes the key with deque.remove(key), which
scans the deque from the left: O(n) per get hit and per update.

Caught by: stage 3
"""

import threading
from collections import deque
from collections.abc import Hashable
from typing import Any


class LRUCache:
    def __init__(self, capacity: int) -> None:
        if capacity < 0:
            raise ValueError("capacity must be >= 0")
        self.capacity = capacity
        self.values: dict = {}
        self.order: deque = deque()
        self.lock = threading.Lock()

    def _touch(self, key: Hashable) -> None:
        self.order.remove(key)
        self.order.append(key)

    def get(self, key: Hashable, default: Any = None) -> Any:
        with self.lock:
            if key not in self.values:
                return default
            self._touch(key)
            return self.values[key]

    def put(self, key: Hashable, value: Any) -> None:
        with self.lock:
            if key in self.values:
                self.values[key] = value
                self._touch(key)
                return
            if self.capacity == 0:
                return
            if len(self.values) >= self.capacity:
                del self.values[self.order.popleft()]
            self.values[key] = value
            self.order.append(key)

    def __len__(self) -> int:
        return len(self.values)

    def __contains__(self, key: object) -> bool:
        return key in self.values
