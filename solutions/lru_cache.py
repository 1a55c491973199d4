"""LRU cache: a dict that remembers use order (OrderedDict), guarded by one lock."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Hashable
from typing import Any

_MISSING = object()  # a private sentinel, so that a stored None is told apart from a miss


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
            value = self._data.get(key, _MISSING)
            if value is _MISSING:
                return default  # a miss changes nothing
            self._data.move_to_end(key)  # a hit is a use
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
