"""Declares the storage as class attributes ("like a dataclass"): every cache shares one dict.

Each single cache behaves, but a second LRUCache sees (and evicts) the first one's entries.

Caught by: stage 1
"""

import threading
from collections import OrderedDict
from collections.abc import Hashable
from typing import Any

_MISSING = object()


class LRUCache:
    capacity: int = 0
    data: OrderedDict = OrderedDict()
    lock = threading.Lock()

    def __init__(self, capacity: int) -> None:
        if capacity < 0:
            raise ValueError("capacity must be >= 0")
        self.capacity = capacity

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
            while len(self.data) >= self.capacity:
                self.data.popitem(last=False)
            self.data[key] = value

    def __len__(self) -> int:
        return len(self.data)

    def __contains__(self, key: object) -> bool:
        return key in self.data
