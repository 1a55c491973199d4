"""The cache IS an OrderedDict (a subclass), reads with try/except KeyError, guarded by an RLock."""

import threading
from collections import OrderedDict
from collections.abc import Hashable
from typing import Any


class LRUCache(OrderedDict):
    def __init__(self, capacity: int) -> None:
        if capacity < 0:
            raise ValueError(f"capacity must be >= 0, got {capacity}")
        super().__init__()
        self.capacity = capacity
        self.lock = threading.RLock()

    def get(self, key: Hashable, default: Any = None) -> Any:
        with self.lock:
            try:
                value = self[key]
            except KeyError:
                return default
            self.move_to_end(key)
            return value

    def put(self, key: Hashable, value: Any) -> None:
        with self.lock:
            if key in self:
                self[key] = value
                self.move_to_end(key)
            elif self.capacity:
                if len(self) >= self.capacity:
                    self.popitem(last=False)
                self[key] = value
