"""The item store: one latest copy per (kind, id), told to every view, and bounded."""

from __future__ import annotations

from wpe_tui.api import Backup
from wpe_tui.core.store import Change, Store


def backup(n: int, status: str = "in_progress") -> Backup:
    return Backup(id=f"backup_{n}", status=status, site_id="site_1")


def test_views_are_told_of_a_newer_copy_once() -> None:
    store = Store()
    changes: list[Change] = []
    store.subscribe(changes.append)
    store.put("backup", backup(1))
    store.put("backup", backup(1))  # the same answer again: nothing to redraw
    store.put("backup", backup(1, "completed"))
    assert [(c.id, c.item.status if c.item else None) for c in changes] == [
        ("backup_1", "in_progress"),
        ("backup_1", "completed"),
    ]
    assert changes[1].old.status == "in_progress"
    assert store.get("backup", "backup_1").status == "completed"


def test_a_gone_item_is_told_as_none() -> None:
    store = Store()
    changes: list[Change] = []
    store.put("backup", backup(1))
    store.subscribe(changes.append)
    store.remove("backup", "backup_1")
    assert changes[0].item is None and changes[0].old.id == "backup_1"
    assert store.get("backup", "backup_1") is None


def test_held_items_stay_and_the_rest_is_a_bounded_cache() -> None:
    store = Store(capacity=10)
    store.put("backup", backup(0))
    store.hold("detail screen", [("backup", "backup_0")])
    for n in range(1, 100):
        store.put("backup", backup(n))
    assert len(store) == 11
    assert store.get("backup", "backup_0") is not None, "the open one is never evicted"
    assert store.get("backup", "backup_1") is None, "the oldest of the others went first"
    assert store.get("backup", "backup_99") is not None
    store.release("detail screen")
    for n in range(100, 120):
        store.put("backup", backup(n))
    assert store.get("backup", "backup_0") is None
    assert len(store) == 10


def test_two_holders_of_one_item() -> None:
    store = Store(capacity=1)
    store.put("backup", backup(0))
    store.hold("list", [("backup", "backup_0")])
    store.hold("activity", [("backup", "backup_0")])
    store.release("list")
    for n in range(1, 5):
        store.put("backup", backup(n))
    assert store.is_held("backup", "backup_0")
    assert store.get("backup", "backup_0") is not None


def test_unsubscribe() -> None:
    store = Store()
    seen: list[Change] = []
    stop = store.subscribe(seen.append)
    stop()
    store.put("backup", backup(1))
    assert seen == []
