"""Stamps every use with a counter and evicts the key with the smallest stamp via min().

get is O(1), but every put into a full cache scans all entries to find the oldest: O(n).

Caught by: stage 3
"""

import itertools
import threading
from collections.abc import Hashable
from typing import Any

_MISSING = object()


class LRUCache:
    def __init__(self, capacity: int) -> None:
        if capacity < 0:
            raise ValueError("capacity must be >= 0")
        self.capacity = capacity
        self.values: dict = {}
        self.stamps: dict = {}
        self.clock = itertools.count()
        self.lock = threading.Lock()

    def get(self, key: Hashable, default: Any = None) -> Any:
        with self.lock:
            value = self.values.get(key, _MISSING)
            if value is _MISSING:
                return default
            self.stamps[key] = next(self.clock)
            return value

    def put(self, key: Hashable, value: Any) -> None:
        with self.lock:
            if key not in self.values:
                if self.capacity == 0:
                    return
                if len(self.values) >= self.capacity:
                    oldest = min(self.stamps, key=self.stamps.__getitem__)
                    del self.values[oldest]
                    del self.stamps[oldest]
            self.values[key] = value
            self.stamps[key] = next(self.clock)

    def __len__(self) -> int:
        return len(self.values)

    def __contains__(self, key: object) -> bool:
        return key in self.values
