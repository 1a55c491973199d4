"""Makes the cache "thread-safe" with threading.local: each thread gets its own private cache.

Nothing races any more, but nothing is shared either: a value put by one thread is
invisible to every other thread, so the cache the threads share stays empty.

Caught by: stage 4
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
        self.local = threading.local()

    @property
    def data(self) -> OrderedDict:
        try:
            return self.local.data
        except AttributeError:
            self.local.data = OrderedDict()
            return self.local.data

    def get(self, key: Hashable, default: Any = None) -> Any:
        data = self.data
        value = data.get(key, _MISSING)
        if value is _MISSING:
            return default
        data.move_to_end(key)
        return value

    def put(self, key: Hashable, value: Any) -> None:
        data = self.data
        if key in data:
            data.move_to_end(key)
            data[key] = value
            return
        if self.capacity == 0:
            return
        if len(data) >= self.capacity:
            data.popitem(last=False)
        data[key] = value

    def __len__(self) -> int:
        return len(self.data)

    def __contains__(self, key: object) -> bool:
        return key in self.data
