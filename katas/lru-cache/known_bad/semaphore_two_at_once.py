"""Guards the cache with a BoundedSemaphore(2) "so that two readers can work at once".

A semaphore of 2 lets two threads into get or put together: one can evict the key the
other just found, or both can find room and insert.

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
        self.guard = threading.BoundedSemaphore(2)

    def get(self, key: Hashable, default: Any = None) -> Any:
        with self.guard:
            value = self.data.get(key, _MISSING)
            if value is _MISSING:
                return default
            self.data.move_to_end(key)
            return value

    def put(self, key: Hashable, value: Any) -> None:
        with self.guard:
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
