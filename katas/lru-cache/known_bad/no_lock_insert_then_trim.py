"""No lock, written to lean on the GIL: insert first, then trim while over capacity.

Each step is one OrderedDict call, so it seldom breaks; but a key can still be evicted by
another thread between `in` and move_to_end, or between move_to_end and the read, and while
one thread is between its insert and its trim the cache holds more than capacity entries.

Caught by: stage 4
"""

from collections import OrderedDict
from collections.abc import Hashable
from typing import Any


class LRUCache:
    def __init__(self, capacity: int) -> None:
        if capacity < 0:
            raise ValueError("capacity must be >= 0")
        self.capacity = capacity
        self.data: OrderedDict = OrderedDict()

    def get(self, key: Hashable, default: Any = None) -> Any:
        try:
            self.data.move_to_end(key)
        except KeyError:
            return default
        return self.data[key]

    def put(self, key: Hashable, value: Any) -> None:
        if key in self.data:
            self.data.move_to_end(key)
        self.data[key] = value
        while len(self.data) > self.capacity:
            self.data.popitem(last=False)

    def __len__(self) -> int:
        return len(self.data)

    def __contains__(self, key: object) -> bool:
        return key in self.data
