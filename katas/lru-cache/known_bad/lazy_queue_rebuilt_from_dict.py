"""A dict of (value, stamp) and a deque of (stamp, key) uses, compacted from the dict's order.

When the deque grows past twice the capacity, it is rebuilt from the dict's items. But a
dict keeps the order in which keys were first inserted, not the order of their last use (an
update or a get hit rewrites the value in place), so after a rebuild a key that was used
recently can be evicted before one that was not. It shows only after enough uses to rebuild,
a refresh of an older key, and an eviction.

Caught by: stage 2
"""

import itertools
import threading
from collections import deque
from collections.abc import Hashable
from typing import Any


class LRUCache:
    def __init__(self, capacity: int) -> None:
        if capacity < 0:
            raise ValueError("capacity must be >= 0")
        self.capacity = capacity
        self.entries: dict = {}
        self.uses: deque = deque()
        self.stamps = itertools.count()
        self.lock = threading.RLock()

    def _touch(self, key: Hashable, value: Any) -> None:
        stamp = next(self.stamps)
        self.entries[key] = (value, stamp)
        self.uses.append((stamp, key))
        if len(self.uses) > 2 * self.capacity:
            # drop the stale uses: one (stamp, key) per live entry
            self.uses = deque((s, k) for k, (_, s) in self.entries.items())

    def get(self, key: Hashable, default: Any = None) -> Any:
        with self.lock:
            try:
                value, _ = self.entries[key]
            except KeyError:
                return default
            self._touch(key, value)
            return value

    def put(self, key: Hashable, value: Any) -> None:
        with self.lock:
            if key not in self.entries:
                if self.capacity == 0:
                    return
                while len(self.entries) >= self.capacity:
                    stamp, old = self.uses.popleft()
                    if old in self.entries and self.entries[old][1] == stamp:
                        del self.entries[old]
            self._touch(key, value)

    def __len__(self) -> int:
        return len(self.entries)

    def __contains__(self, key: object) -> bool:
        return key in self.entries
