"""A dict of (value, stamp) plus a deque of (stamp, key) uses, cleaned lazily; an RLock.

Every use appends a fresh stamp; stale queue entries are skipped when evicting and
dropped all at once when the queue grows past twice the capacity: amortised O(1).
"""

from __future__ import annotations

import itertools
import threading
from collections import deque
from collections.abc import Hashable
from typing import Any


class LRUCache:
    def __init__(self, capacity: int) -> None:
        if capacity < 0:
            raise ValueError("capacity must not be negative")
        self._capacity = capacity
        self._entries: dict[Hashable, tuple[Any, int]] = {}
        self._uses: deque[tuple[int, Hashable]] = deque()
        self._stamps = itertools.count()
        self._lock = threading.RLock()

    def _touch(self, key: Hashable, value: Any) -> None:
        stamp = next(self._stamps)
        self._entries[key] = (value, stamp)
        self._uses.append((stamp, key))
        if len(self._uses) > 2 * self._capacity + 16:
            live = self._entries
            self._uses = deque(
                (s, k) for s, k in self._uses if k in live and live[k][1] == s
            )

    def get(self, key: Hashable, default: Any = None) -> Any:
        with self._lock:
            try:
                value, _ = self._entries[key]
            except KeyError:
                return default
            self._touch(key, value)
            return value

    def put(self, key: Hashable, value: Any) -> None:
        with self._lock:
            if key not in self._entries:
                if self._capacity == 0:
                    return
                while len(self._entries) >= self._capacity:
                    stamp, old = self._uses.popleft()
                    if old in self._entries and self._entries[old][1] == stamp:
                        del self._entries[old]
            self._touch(key, value)

    def __len__(self) -> int:
        return len(self._entries)

    def __contains__(self, key: object) -> bool:
        return key in self._entries
