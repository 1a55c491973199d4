"""Hash map + doubly linked list whose move-to-end reads the last node before unlinking.

`last = tail.prev` is taken first, then the node is unlinked and put after `last`. When the
node already is the most recent one, `last` is the node itself: it ends up linked to itself,
and the forward chain from the head skips it, so a later eviction takes the wrong entry (or
the tail sentinel). It needs a use of the most recent key followed by enough evictions.

Caught by: stage 2
"""

import threading
from collections.abc import Hashable
from typing import Any


class _Node:
    __slots__ = ("key", "next", "prev", "value")

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
        self.nodes: dict = {}
        self.head = _Node()
        self.tail = _Node()
        self.head.next = self.tail
        self.tail.prev = self.head
        self.lock = threading.Lock()

    def _move_to_end(self, node: _Node) -> None:
        last = self.tail.prev
        node.prev.next = node.next
        node.next.prev = node.prev
        last.next = node
        node.prev = last
        node.next = self.tail
        self.tail.prev = node

    def _append(self, node: _Node) -> None:
        last = self.tail.prev
        last.next = node
        node.prev = last
        node.next = self.tail
        self.tail.prev = node

    def get(self, key: Hashable, default: Any = None) -> Any:
        with self.lock:
            node = self.nodes.get(key)
            if node is None:
                return default
            self._move_to_end(node)
            return node.value

    def put(self, key: Hashable, value: Any) -> None:
        with self.lock:
            node = self.nodes.get(key)
            if node is not None:
                node.value = value
                self._move_to_end(node)
                return
            if self.capacity == 0:
                return
            if len(self.nodes) >= self.capacity:
                oldest = self.head.next
                self.head.next = oldest.next
                oldest.next.prev = self.head
                del self.nodes[oldest.key]
            node = _Node(key, value)
            self.nodes[key] = node
            self._append(node)

    def __len__(self) -> int:
        return len(self.nodes)

    def __contains__(self, key: object) -> bool:
        return key in self.nodes
