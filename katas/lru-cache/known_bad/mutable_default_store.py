"""Takes an optional backing store with a mutable default, `store: dict = {}`.

The default dict is built once, when the def runs, so every cache created without a
store shares it: a second cache sees the first one's entries.

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
        self.prev: _Node = self
        self.next: _Node = self


class LRUCache:
    def __init__(self, capacity: int, store: dict = {}) -> None:  # noqa: B006
        if capacity < 0:
            raise ValueError("capacity must be >= 0")
        self.capacity = capacity
        self.nodes = store
        self.root = _Node()  # root.next is the least recently used, root.prev the most
        self.lock = threading.Lock()

    def _unlink(self, node: _Node) -> None:
        node.prev.next = node.next
        node.next.prev = node.prev

    def _append(self, node: _Node) -> None:
        last = self.root.prev
        last.next = node
        node.prev = last
        node.next = self.root
        self.root.prev = node

    def get(self, key: Hashable, default: Any = None) -> Any:
        with self.lock:
            node = self.nodes.get(key)
            if node is None:
                return default
            self._unlink(node)
            self._append(node)
            return node.value

    def put(self, key: Hashable, value: Any) -> None:
        with self.lock:
            node = self.nodes.get(key)
            if node is not None:
                node.value = value
                self._unlink(node)
                self._append(node)
                return
            if self.capacity == 0:
                return
            if len(self.nodes) >= self.capacity:
                oldest = self.root.next
                if oldest is not self.root:
                    self._unlink(oldest)
                    del self.nodes[oldest.key]
            node = _Node(key, value)
            self.nodes[key] = node
            self._append(node)

    def __len__(self) -> int:
        return len(self.nodes)

    def __contains__(self, key: object) -> bool:
        return key in self.nodes
