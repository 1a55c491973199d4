"""Reads with data.get(key, default) and refreshes only when the value is not the default.

Looks neat, but a stored None read with get(k) (default None) is taken for a miss and not
refreshed, so that key is evicted too early.

Caught by: stage 2
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Hashable
from typing import Any

class LRUCache:
    """A fixed-capacity cache that evicts the least recently used entry.

    The OrderedDict is kept in use order, least recently used first:
    `move_to_end` marks a use and `popitem(last=False)` evicts, both O(1).
    """

    def __init__(self, capacity: int) -> None:
        if capacity < 0:
            raise ValueError(f"capacity must be >= 0, got {capacity!r}")
        self._capacity = capacity
        self._data: OrderedDict[Hashable, Any] = OrderedDict()
        # One lock around each whole check-then-act, so threads never see half an update.
        self._lock = threading.Lock()

    def get(self, key: Hashable, default: Any = None) -> Any:
        with self._lock:
            value = self._data.get(key, default)
            if value is not default:
                self._data.move_to_end(key)
            return value

    def put(self, key: Hashable, value: Any) -> None:
        with self._lock:
            if key in self._data:
                # An update is a use, and never evicts: the size does not change.
                self._data.move_to_end(key)
                self._data[key] = value
                return
            if self._capacity == 0:
                return
            if len(self._data) >= self._capacity:
                self._data.popitem(last=False)
            self._data[key] = value

    def __len__(self) -> int:
        return len(self._data)

    def __contains__(self, key: object) -> bool:
        # A peek, not a use: the order is left alone.
        return key in self._data
