"""A linked list made of dicts: prev[key] and next[key] name the neighbours, a private
object is the ring's root, and values live in a third dict. One Lock around each call.
"""

import threading
from collections.abc import Hashable
from typing import Any

_ROOT = object()


class LRUCache:
    def __init__(self, capacity: int) -> None:
        if capacity < 0:
            raise ValueError("capacity must not be negative")
        self._capacity = capacity
        self._values: dict = {}
        self._prev: dict = {_ROOT: _ROOT}  # _prev[_ROOT]: the most recent key
        self._next: dict = {_ROOT: _ROOT}  # _next[_ROOT]: the least recent key
        self._lock = threading.Lock()

    def _unlink(self, key: Any) -> None:
        before, after = self._prev.pop(key), self._next.pop(key)
        self._next[before] = after
        self._prev[after] = before

    def _append(self, key: Any) -> None:
        last = self._prev[_ROOT]
        self._next[last] = key
        self._prev[key] = last
        self._next[key] = _ROOT
        self._prev[_ROOT] = key

    def get(self, key: Hashable, default: Any = None) -> Any:
        with self._lock:
            if key not in self._values:
                return default
            self._unlink(key)
            self._append(key)
            return self._values[key]

    def put(self, key: Hashable, value: Any) -> None:
        with self._lock:
            if key in self._values:
                self._unlink(key)
            elif self._capacity == 0:
                return
            elif len(self._values) >= self._capacity:
                oldest = self._next[_ROOT]
                self._unlink(oldest)
                del self._values[oldest]
            self._values[key] = value
            self._append(key)

    def __len__(self) -> int:
        return len(self._values)

    def __contains__(self, key: object) -> bool:
        return key in self._values
