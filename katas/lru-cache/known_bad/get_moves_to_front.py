"""Mixes up the ends: a get hit calls move_to_end(key, last=False), "to the front, it's fresh".

But eviction takes popitem(last=False) from that same front, so the key just read is the
next one evicted. (put moves to the back, so puts alone look right.)

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
            self.data.move_to_end(key, last=False)
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
                self.data.popitem(last=False)
            self.data[key] = value

    def __len__(self) -> int:
        return len(self.data)

    def __contains__(self, key: object) -> bool:
        return key in self.data
