"""Uses a plain dict (ordered since 3.7) and evicts with del d[next(iter(d))].

Looks O(1), but a CPython dict leaves deleted slots in place: evicting from the front piles
them up there, and next(iter(d)) walks over all of them until the next resize. A big cache
that keeps evicting gets slower and slower: O(n) per put.

Caught by: stage 3
"""

import threading
from collections.abc import Hashable
from typing import Any

_MISSING = object()


class LRUCache:
    def __init__(self, capacity: int) -> None:
        if capacity < 0:
            raise ValueError("capacity must be >= 0")
        self.capacity = capacity
        self.data: dict = {}
        self.lock = threading.Lock()

    def get(self, key: Hashable, default: Any = None) -> Any:
        with self.lock:
            value = self.data.pop(key, _MISSING)
            if value is _MISSING:
                return default
            self.data[key] = value  # re-insert: now the most recent
            return value

    def put(self, key: Hashable, value: Any) -> None:
        with self.lock:
            if key in self.data:
                del self.data[key]
            elif self.capacity == 0:
                return
            elif len(self.data) >= self.capacity:
                del self.data[next(iter(self.data))]
            self.data[key] = value

    def __len__(self) -> int:
        return len(self.data)

    def __contains__(self, key: object) -> bool:
        return key in self.data
