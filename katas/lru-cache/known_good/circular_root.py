"""The functools.lru_cache layout: a circular doubly linked list of [prev, next, key, value]
lists around one root link, a dict from key to link, and a Lock.
"""

import threading
from collections.abc import Hashable
from typing import Any

PREV, NEXT, KEY, VALUE = 0, 1, 2, 3


class LRUCache:
    def __init__(self, capacity: int) -> None:
        if not capacity >= 0:
            raise ValueError("negative capacity")
        self.capacity = capacity
        self.links: dict = {}
        self.root: list = []
        self.root[:] = [self.root, self.root, None, None]  # empty ring: root points to itself
        self.lock = threading.Lock()

    def _move_to_front(self, link: list) -> None:
        # unlink, then insert just before root (the most recent position)
        link_prev, link_next = link[PREV], link[NEXT]
        link_prev[NEXT] = link_next
        link_next[PREV] = link_prev
        last = self.root[PREV]
        last[NEXT] = self.root[PREV] = link
        link[PREV], link[NEXT] = last, self.root

    def get(self, key: Hashable, default: Any = None) -> Any:
        with self.lock:
            link = self.links.get(key)
            if link is None:
                return default
            self._move_to_front(link)
            return link[VALUE]

    def put(self, key: Hashable, value: Any) -> None:
        with self.lock:
            link = self.links.get(key)
            if link is not None:
                link[VALUE] = value
                self._move_to_front(link)
                return
            if self.capacity == 0:
                return
            if len(self.links) >= self.capacity:
                oldest = self.root[NEXT]
                self.root[NEXT] = oldest[NEXT]
                oldest[NEXT][PREV] = self.root
                del self.links[oldest[KEY]]
            last = self.root[PREV]
            link = [last, self.root, key, value]
            last[NEXT] = self.root[PREV] = self.links[key] = link

    def __len__(self) -> int:
        return len(self.links)

    def __contains__(self, key: object) -> bool:
        return key in self.links
