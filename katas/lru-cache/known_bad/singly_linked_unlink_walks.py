"""Hash map + a singly linked list: to unlink a node it walks from the head to find the previous one.

Appending (with a tail pointer) and evicting the head are O(1), but every get hit and
every update unlinks its node first, and that walk is O(n).

Caught by: stage 3
"""

import threading
from collections.abc import Hashable
from typing import Any


class _Node:
    __slots__ = ("key", "value", "next")

    def __init__(self, key: Any, value: Any) -> None:
        self.key = key
        self.value = value
        self.next: _Node | None = None


class LRUCache:
    def __init__(self, capacity: int) -> None:
        if capacity < 0:
            raise ValueError("capacity must be >= 0")
        self.capacity = capacity
        self.map: dict = {}
        self.head = _Node(None, None)  # dummy; head.next is the least recently used
        self.tail = self.head
        self.lock = threading.Lock()

    def _unlink(self, node: _Node) -> None:
        prev = self.head
        while prev.next is not node:
            prev = prev.next
        prev.next = node.next
        if self.tail is node:
            self.tail = prev
        node.next = None

    def _append(self, node: _Node) -> None:
        self.tail.next = node
        self.tail = node

    def get(self, key: Hashable, default: Any = None) -> Any:
        with self.lock:
            node = self.map.get(key)
            if node is None:
                return default
            self._unlink(node)
            self._append(node)
            return node.value

    def put(self, key: Hashable, value: Any) -> None:
        with self.lock:
            node = self.map.get(key)
            if node is not None:
                node.value = value
                self._unlink(node)
                self._append(node)
                return
            if self.capacity == 0:
                return
            if len(self.map) >= self.capacity:
                oldest = self.head.next
                self._unlink(oldest)
                del self.map[oldest.key]
            node = _Node(key, value)
            self.map[key] = node
            self._append(node)

    def __len__(self) -> int:
        return len(self.map)

    def __contains__(self, key: object) -> bool:
        return key in self.map
