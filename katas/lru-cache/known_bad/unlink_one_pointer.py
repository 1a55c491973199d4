"""Hash map + doubly linked list whose unlink fixes only the previous node's `next` pointer.

The forward chain looks right, but the next node's `prev` still points at the moved
node, so a later unlink or eviction splices the list at the wrong place.

Caught by: stage 1
"""

import threading
from collections.abc import Hashable
from typing import Any


class _Node:
    __slots__ = ("key", "value", "prev", "next")

    def __init__(self, key: Any = None, value: Any = None) -> None:
        self.key = key
        self.value = value
        self.prev: Any = None
        self.next: Any = None


class LRUCache:
    def __init__(self, capacity: int) -> None:
        if capacity < 0:
            raise ValueError("capacity must be >= 0")
        self.capacity = capacity
        self.map: dict = {}
        self.head = _Node()  # head.next: least recently used
        self.tail = _Node()  # tail.prev: most recently used
        self.head.next = self.tail
        self.tail.prev = self.head
        self.lock = threading.Lock()

    def _unlink(self, node: _Node) -> None:
        node.prev.next = node.next

    def _push_back(self, node: _Node) -> None:
        last = self.tail.prev
        last.next = node
        node.prev = last
        node.next = self.tail
        self.tail.prev = node

    def get(self, key: Hashable, default: Any = None) -> Any:
        with self.lock:
            node = self.map.get(key)
            if node is None:
                return default
            self._unlink(node)
            self._push_back(node)
            return node.value

    def put(self, key: Hashable, value: Any) -> None:
        with self.lock:
            node = self.map.get(key)
            if node is not None:
                node.value = value
                self._unlink(node)
                self._push_back(node)
                return
            if self.capacity == 0:
                return
            if len(self.map) >= self.capacity:
                oldest = self.head.next
                self._unlink(oldest)
                self.map.pop(oldest.key, None)
            node = _Node(key, value)
            self.map[key] = node
            self._push_back(node)

    def __len__(self) -> int:
        return len(self.map)

    def __contains__(self, key: object) -> bool:
        return key in self.map
