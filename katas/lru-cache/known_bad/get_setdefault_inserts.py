"""get looks the key up with setdefault ("one lookup instead of two"): a miss inserts the default.

Caught by: stage 2
"""

import threading
from collections import OrderedDict
from collections.abc import Hashable
from typing import Any


class LRUCache:
    def __init__(self, capacity: int) -> None:
        if capacity < 0:
            raise ValueError("capacity must be >= 0")
        self.capacity = capacity
        self.data: OrderedDict = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key: Hashable, default: Any = None) -> Any:
        with self.lock:
            value = self.data.setdefault(key, default)
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
                self.data.popitem(last=False)
            self.data[key] = value

    def __len__(self) -> int:
        return len(self.data)

    def __contains__(self, key: object) -> bool:
        return key in self.data
