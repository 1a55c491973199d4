"""Lock striping "for less contention": four locks, each key guarded by the one its hash picks.

Two calls on keys of different stripes run at once, yet they share one OrderedDict and one
use order: a put can evict the key that a get just found, before the get moves it to the end
(KeyError), and two puts can both find room.

Caught by: stage 4
"""

import threading
from collections import OrderedDict
from collections.abc import Hashable
from typing import Any

_MISSING = object()
_STRIPES = 4


class LRUCache:
    def __init__(self, capacity: int) -> None:
        if capacity < 0:
            raise ValueError("capacity must be >= 0")
        self.capacity = capacity
        self.data: OrderedDict = OrderedDict()
        self.locks = [threading.Lock() for _ in range(_STRIPES)]

    def _lock(self, key: Hashable) -> threading.Lock:
        return self.locks[hash(key) % _STRIPES]

    def get(self, key: Hashable, default: Any = None) -> Any:
        with self._lock(key):
            value = self.data.get(key, _MISSING)
            if value is _MISSING:
                return default
            self.data.move_to_end(key)
            return value

    def put(self, key: Hashable, value: Any) -> None:
        with self._lock(key):
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
