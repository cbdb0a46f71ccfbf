"""The activity: operations followed to their end through the store, announced once."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from wpe_tui.api import Backup, Restore, Site
from wpe_tui.core.activity import Activity, Operation
from wpe_tui.core.clock import ManualClock
from wpe_tui.core.store import Store

NOW = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)


class Wall:
    def __init__(self) -> None:
        self.now = NOW

    def __call__(self) -> datetime:
        return self.now


def make(store: Store, wall: Wall) -> tuple[Activity, list[list[Operation]], list[Operation]]:
    followed: list[list[Operation]] = []
    finished: list[Operation] = []
    activity = Activity(store, wall=wall, follow=followed.append, sleep=ManualClock().sleep)
    activity.on_finished = finished.append
    return activity, followed, finished


def op(
    action: str, kind: str, item_id: str, status: str = "in_progress", **extra: object
) -> Operation:
    return Operation(
        action=action,
        kind=kind,
        item_id=item_id,
        site_id="site_1",
        site_name="Acme",
        status=status,
        started_at=NOW,
        **extra,  # type: ignore[arg-type]
    )


def test_a_backup_is_followed_until_completed_and_announced_once() -> None:
    store, wall = Store(), Wall()
    activity, followed, finished = make(store, wall)
    activity.started(op("backup", "backup", "backup_1"))
    assert [o.item_id for o in followed[-1]] == ["backup_1"]
    store.put("backup", Backup(id="backup_1", status="in_progress"))
    assert finished == []
    store.put("backup", Backup(id="backup_1", status="completed"))
    store.put("backup", Backup(id="backup_1", status="completed", size="1GB"))
    assert [o.summary() for o in finished] == ["Backup backup_1 of Acme completed"]
    assert followed[-1] == [], "nothing left to follow"
    assert activity.in_flight() == []


def test_a_deletion_ends_with_the_404() -> None:
    store, wall = Store(), Wall()
    activity, _, finished = make(store, wall)
    activity.started(op("delete", "site", "site_1", status="deleting"))
    store.put("site", Site(id="site_1", status="deleting"))
    assert finished == []
    store.remove("site", "site_1")
    assert [o.status for o in finished] == ["deleted"]


def test_a_deletion_the_server_gave_up() -> None:
    store, wall = Store(), Wall()
    activity, _, finished = make(store, wall)
    activity.started(op("delete", "backup", "backup_1", status="deleting"))
    store.put("backup", Backup(id="backup_1", status="completed"))
    assert [o.status for o in finished] == ["not deleted (completed)"]
    assert finished[0].failed


def test_a_restore_without_a_status_endpoint_falls_back_to_its_estimate() -> None:
    store, wall = Store(), Wall()
    activity, followed, _ = make(store, wall)
    eta = NOW + timedelta(seconds=30)
    restore = op("restore", "restore", "restore_1", eta=eta, backup_id="backup_1")
    activity.started(restore)
    store.put("restore", Restore(id="restore_1", status="in_progress"))
    store.remove("restore", "restore_1")  # the API answered 404: it has no such endpoint
    assert restore.estimated_only and not restore.done
    assert followed[-1] == [], "no more requests for it"


def test_an_operation_that_cannot_be_followed_counts_for_15_minutes() -> None:
    store, wall = Store(), Wall()
    activity, followed, _ = make(store, wall)
    activity.started(op("copy", "install", "inst_1", status="sent", followable=False))
    assert followed[-1] == []
    assert len(activity.in_flight()) == 1
    wall.now = NOW + timedelta(minutes=16)
    assert activity.in_flight() == []


def test_items_seen_in_flight_are_listed_as_sightings() -> None:
    store, wall = Store(), Wall()
    activity, _, _ = make(store, wall)
    store.put("backup", Backup(id="backup_7", status="in_progress", site_id="site_3"))
    store.put("backup", Backup(id="backup_8", status="completed", site_id="site_3"))
    sightings = activity.sightings()
    assert [(s.item_id, s.status, s.site_id) for s in sightings] == [
        ("backup_7", "in_progress", "site_3")
    ]
    store.put("backup", Backup(id="backup_7", status="completed", site_id="site_3"))
    assert activity.sightings()[0].status == "completed"
