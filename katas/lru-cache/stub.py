"""LRU cache: a fixed-capacity key-value store that evicts the least recently used entry.

Stage 1 asks for the basics below; later stages add recency rules, capacity edge
cases, constant-time operations, and thread safety.
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import Any


class LRUCache:
    """A cache holding at most `capacity` entries.

    A use of a key is a `put` of it, or a `get` that finds it. When a `put` of a
    new key finds the cache full, the least recently used entry is evicted first.
    """

    def __init__(self, capacity: int) -> None:
        """Create an empty cache that holds at most `capacity` entries."""
        raise NotImplementedError

    def get(self, key: Hashable, default: Any = None) -> Any:
        """Return the value stored for `key`, or `default` when the key is not held.

        A get that finds the key is a use: the key becomes the most recently used.
        """
        raise NotImplementedError

    def put(self, key: Hashable, value: Any) -> None:
        """Store `value` under `key`, replacing any value it had; this is a use of `key`.

        A new key put into a full cache first evicts the least recently used entry.
        """
        raise NotImplementedError

    def __len__(self) -> int:
        """The number of entries held."""
        raise NotImplementedError

    def __contains__(self, key: object) -> bool:
        """True when `key` is held (`key in cache`)."""
        raise NotImplementedError
