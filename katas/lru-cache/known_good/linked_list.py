"""Hash map of nodes plus a doubly linked list with sentinel head and tail, one Lock.

The map finds a node in O(1); the list keeps use order, least recent right after the head.
"""

from __future__ import annotations

import threading
from collections.abc import Hashable
from typing import Any


class _Node:
    __slots__ = ("key", "next", "prev", "value")

    def __init__(self, key: Any = None, value: Any = None) -> None:
        self.key = key
        self.value = value
        self.prev: _Node = self
        self.next: _Node = self


class LRUCache:
    def __init__(self, capacity: int) -> None:
        if capacity < 0:
            raise ValueError(f"capacity must be >= 0, got {capacity}")
        self._capacity = capacity
        self._nodes: dict[Hashable, _Node] = {}
        self._head = _Node()  # sentinel before the least recently used node
        self._tail = _Node()  # sentinel after the most recently used node
        self._head.next = self._tail
        self._tail.prev = self._head
        self._lock = threading.Lock()

    def _unlink(self, node: _Node) -> None:
        node.prev.next = node.next
        node.next.prev = node.prev

    def _push_recent(self, node: _Node) -> None:
        last = self._tail.prev
        last.next = node
        node.prev = last
        node.next = self._tail
        self._tail.prev = node

    def get(self, key: Hashable, default: Any = None) -> Any:
        with self._lock:
            node = self._nodes.get(key)
            if node is None:
                return default
            self._unlink(node)
            self._push_recent(node)
            return node.value

    def put(self, key: Hashable, value: Any) -> None:
        with self._lock:
            node = self._nodes.get(key)
            if node is not None:
                node.value = value
                self._unlink(node)
                self._push_recent(node)
                return
            if self._capacity == 0:
                return
            if len(self._nodes) == self._capacity:
                oldest = self._head.next
                self._unlink(oldest)
                del self._nodes[oldest.key]
            node = _Node(key, value)
            self._nodes[key] = node
            self._push_recent(node)

    def __len__(self) -> int:
        return len(self._nodes)

    def __contains__(self, key: object) -> bool:
        return key in self._nodes
