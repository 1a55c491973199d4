"""OrderedDict in EAFP style: try/except KeyError instead of a sentinel, insert then trim,
and an RLock so that put may call get-like helpers safely.
"""

from collections import OrderedDict
from collections.abc import Hashable
from threading import RLock
from typing import Any


class LRUCache(OrderedDict):
    """Subclasses OrderedDict: the cache is the mapping, in use order, oldest first."""

    def __init__(self, capacity: int) -> None:
        super().__init__()
        if capacity < 0:
            raise ValueError(capacity)
        self._capacity = capacity
        self._lock = RLock()

    def get(self, key: Hashable, default: Any = None) -> Any:
        with self._lock:
            try:
                self.move_to_end(key)
            except KeyError:
                return default
            return self[key]

    def put(self, key: Hashable, value: Any) -> None:
        with self._lock:
            if key in self:
                self.move_to_end(key)
            self[key] = value
            while len(self) > self._capacity:
                self.popitem(last=False)
