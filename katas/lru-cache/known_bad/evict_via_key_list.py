"""OrderedDict in use order, but finds the oldest key with list(self.data)[0].

Refreshing is O(1) (move_to_end), yet each eviction copies every key into a list first:
O(n) per put of a new key into a full cache.

Caught by: stage 3
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

    def _oldest(self) -> Hashable:
        return list(self.data)[0]

    def get(self, key: Hashable, default: Any = None) -> Any:
        with self.lock:
            value = self.data.get(key, _MISSING)
            if value is _MISSING:
                return default
            self.data.move_to_end(key)
            return value

    def put(self, key: Hashable, value: Any) -> None:
        with self.lock:
            if key in self.data:
                self.data.move_to_end(key)
                self.data[key] = value
                return
            if self.capacity == 0:
                return
            if len(self.data) >= self.capacity:
                del self.data[self._oldest()]
            self.data[key] = value

    def __len__(self) -> int:
        return len(self.data)

    def __contains__(self, key: object) -> bool:
        return key in self.data
