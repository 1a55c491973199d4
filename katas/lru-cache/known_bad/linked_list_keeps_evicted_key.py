"""Hash map + doubly linked list that unlinks the evicted node but forgets to delete its key.

The map keeps growing: len() passes the capacity and evicted keys are still found.

Caught by: stage 1
"""

import threading
from collections.abc import Hashable
from typing import Any


class _Node:
    __slots__ = ("key", "next", "prev", "value")

    def __init__(self, key: Any = None, value: Any = None) -> None:
        self.key = key
        self.value = value
        self.prev: _Node | None = None
        self.next: _Node | None = None


class LRUCache:
    def __init__(self, capacity: int) -> None:
        if capacity < 0:
            raise ValueError("capacity must be >= 0")
        self.capacity = capacity
        self.map: dict = {}
        self.size = 0
        self.head = _Node()
        self.tail = _Node()
        self.head.next = self.tail
        self.tail.prev = self.head
        self.lock = threading.Lock()

    def _unlink(self, node: _Node) -> None:
        node.prev.next = node.next
        node.next.prev = node.prev

    def _append(self, node: _Node) -> None:
        node.prev = self.tail.prev
        node.next = self.tail
        self.tail.prev.next = node
        self.tail.prev = node

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
            if self.size >= self.capacity:
                self._unlink(self.head.next)  # the map still points at it
                self.size -= 1
            node = _Node(key, value)
            self.map[key] = node
            self._append(node)
            self.size += 1

    def __len__(self) -> int:
        return len(self.map)

    def __contains__(self, key: object) -> bool:
        return key in self.map
