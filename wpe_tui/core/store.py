"""`Store`: the latest copy of every item the app holds, keyed (kind, id).

Every view reads status from here (a table row, a detail screen, the activity panel),
and every answer that brings a newer copy comes through `put`, which tells the views
that changed. So two views of one backup cannot disagree.

It is bounded: the items someone holds (a view showing them, the follower following
them, a screen that opened them) stay; the rest are kept in a least-recently-used
cache of `capacity` items. A filter sweep keeps nothing here: it keeps only the few
strings it matches on.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass
from typing import Any

Key = tuple[str, str]  # (kind name, item id)


@dataclass(frozen=True)
class Change:
    kind: str
    id: str
    item: Any  # the new copy; None when the item is gone (404)
    old: Any  # the copy before, None when it is new to the store


Listener = Callable[[Change], None]


class Store:
    def __init__(self, capacity: int = 2000) -> None:
        self.capacity = capacity
        self._items: OrderedDict[Key, Any] = OrderedDict()
        self._fetched: dict[Key, float] = {}
        self._holds: dict[Hashable, set[Key]] = {}
        self._held: dict[Key, int] = {}
        self._listeners: list[Listener] = []

    def __len__(self) -> int:
        return len(self._items)

    def __contains__(self, key: Key) -> bool:
        return key in self._items

    def get(self, kind: str, item_id: str) -> Any:
        key = (kind, item_id)
        item = self._items.get(key)
        if item is not None:
            self._items.move_to_end(key)
        return item

    def fetched_at(self, kind: str, item_id: str) -> float | None:
        """When the server last told us about it (monotonic seconds), if it did."""
        return self._fetched.get((kind, item_id))

    # -- changes --------------------------------------------------------------

    def put(self, kind: str, item: Any, *, fetched_at: float | None = None) -> bool:
        """Keep `item` as the latest copy; tell the views if it differs. True if it did."""
        key = (kind, str(item.id))
        old = self._items.get(key)
        self._items[key] = item
        self._items.move_to_end(key)
        if fetched_at is not None:
            self._fetched[key] = fetched_at
        self._trim()
        if old is not None and old == item:
            return False
        self._tell(Change(kind, key[1], item, old))
        return True

    def put_many(self, kind: str, items: Iterable[Any], *, fetched_at: float | None = None) -> None:
        for item in items:
            self.put(kind, item, fetched_at=fetched_at)

    def remove(self, kind: str, item_id: str) -> None:
        """The item is gone on the server (404, or its deletion finished)."""
        key = (kind, item_id)
        old = self._items.pop(key, None)
        self._fetched.pop(key, None)
        self._tell(Change(kind, item_id, None, old))

    # -- who holds what -----------------------------------------------------------

    def hold(self, holder: Hashable, keys: Iterable[Key]) -> None:
        """`holder` (a view, the follower) needs these items: they are not evicted.
        Replaces what `holder` held before."""
        new = set(keys)
        old = self._holds.get(holder, set())
        for key in new - old:
            self._held[key] = self._held.get(key, 0) + 1
        for key in old - new:
            self._unhold(key)
        if new:
            self._holds[holder] = new
        else:
            self._holds.pop(holder, None)
        self._trim()

    def release(self, holder: Hashable) -> None:
        self.hold(holder, ())

    def _unhold(self, key: Key) -> None:
        count = self._held.get(key, 0) - 1
        if count > 0:
            self._held[key] = count
        else:
            self._held.pop(key, None)

    def is_held(self, kind: str, item_id: str) -> bool:
        return (kind, item_id) in self._held

    def _trim(self) -> None:
        excess = len(self._items) - len(self._held) - self.capacity
        if excess <= 0:
            return
        for key in list(self._items):  # oldest first
            if excess <= 0:
                break
            if key not in self._held:
                del self._items[key]
                self._fetched.pop(key, None)
                excess -= 1

    # -- listeners ------------------------------------------------------------------

    def subscribe(self, listener: Listener) -> Callable[[], None]:
        """Call `listener` on every change; returns the function that stops it."""
        self._listeners.append(listener)

        def unsubscribe() -> None:
            if listener in self._listeners:
                self._listeners.remove(listener)

        return unsubscribe

    def _tell(self, change: Change) -> None:
        for listener in list(self._listeners):
            listener(change)
