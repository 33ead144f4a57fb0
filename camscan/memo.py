"""A bounded memo: what identification works out once per repeated value (a banner, a model, a maker pair) is
remembered up to a size, then forgotten all at once.

Used where `functools.lru_cache` does not fit: the key is built by the caller (an nmap match's fields, a match's
identity) or the memo must be reset when the data it was computed from is replaced. Clearing at the cap instead of
evicting the least recent keeps a hit at one dict look-up; an estate's repeated values are back within a few hosts.
"""

from __future__ import annotations

from typing import Generic, TypeVar

K = TypeVar("K")
V = TypeVar("V")


class BoundedMemo(dict[K, V], Generic[K, V]):
    """A dict that forgets everything once it holds `size` entries (so hostile, all-distinct input never grows it)."""

    __slots__ = ("size",)

    def __init__(self, size: int) -> None:
        super().__init__()
        self.size = size

    def remember(self, key: K, value: V) -> V:
        """Store `value` under `key` (clearing first when full) and return it."""
        if len(self) >= self.size:
            self.clear()
        self[key] = value
        return value
