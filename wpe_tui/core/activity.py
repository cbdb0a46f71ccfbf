"""`Activity`: the operations started in this run, and what was seen in flight.

An operation is followed (through the follower, the only poller) until its item
reaches a final status; its finish is announced once. Items seen in flight in a view
are listed too: followed while in view, and afterwards "last seen in progress 14:03,
not followed". Everything here reads status from the store, so the panel says what
the rows and the detail screens say.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from wpe_tui.core.kinds import Ref
from wpe_tui.core.registry import kind as kind_of
from wpe_tui.core.store import Change, Key, Store
from wpe_tui.text import clean

# An operation the API gives no way to follow counts as in flight this long after it
# was sent (a restore or an environment copy on the Hosting Platform API).
UNFOLLOWABLE_IN_FLIGHT = timedelta(minutes=15)
MAX_SIGHTINGS = 200

_ids = itertools.count(1)


@dataclass
class Operation:
    action: str  # "restore", "backup", "deploy", "create", "edit", "delete", "copy", "purge"
    kind: str  # the kind of the item it follows
    item_id: str
    site_id: str
    site_name: str
    status: str
    started_at: datetime
    eta: datetime | None = None
    detail: str = ""  # e.g. "backup_1 → staging (database, files)"
    backup_id: str | None = None  # the parent of a restore
    followable: bool = True
    finished_at: datetime | None = None
    # Restores on an API without a status endpoint: only the estimate is known.
    estimated_only: bool = False
    mine: bool = True
    earlier: bool = False  # started in an earlier run (kept in the state file)
    number: int = field(default_factory=lambda: next(_ids))

    @property
    def key(self) -> str:
        return f"{self.action}:{self.kind}:{self.item_id}"

    @property
    def ref(self) -> Ref:
        return Ref(self.kind, self.item_id, self.site_id, self.backup_id)

    @property
    def done(self) -> bool:
        return self.finished_at is not None

    @property
    def failed(self) -> bool:
        return self.status.startswith(("failed", "aborted", "not "))

    def title(self) -> str:
        """ "Restore restore_90001", "Delete backup_1", "Backup backup_1"."""
        item = clean(self.item_id)
        if self.action == "sent":
            return item  # a write whose outcome is not known: named by what was sent
        if self.action == "delete":
            return f"Delete {item}"
        if self.action in ("copy", "purge"):
            return f"{self.action.capitalize()} {item}"
        return f"{kind_of(self.kind).title} {item}"

    def to_json(self) -> dict[str, Any]:
        """What the state file keeps of it, so a quit or a dropped link loses nothing."""
        return {
            "action": self.action,
            "kind": self.kind,
            "item_id": self.item_id,
            "site_id": self.site_id,
            "site_name": self.site_name,
            "status": self.status,
            "started_at": self.started_at.isoformat(),
            "eta": self.eta.isoformat() if self.eta else None,
            "detail": self.detail,
            "backup_id": self.backup_id,
            "followable": self.followable,
            "finished_at": self.finished_at.isoformat() if self.finished_at else None,
            "estimated_only": self.estimated_only,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Operation | None:
        """An operation of an earlier run, or None if the entry does not read."""
        try:
            return cls(
                action=str(data["action"]),
                kind=str(data["kind"]),
                item_id=str(data["item_id"]),
                site_id=str(data.get("site_id") or ""),
                site_name=str(data.get("site_name") or ""),
                status=str(data.get("status") or "unknown"),
                started_at=datetime.fromisoformat(str(data["started_at"])),
                eta=_when(data.get("eta")),
                detail=str(data.get("detail") or ""),
                backup_id=str(data["backup_id"]) if data.get("backup_id") else None,
                followable=bool(data.get("followable", True)),
                finished_at=_when(data.get("finished_at")),
                estimated_only=bool(data.get("estimated_only", False)),
                earlier=True,
            )
        except (KeyError, TypeError, ValueError):
            return None

    def summary(self) -> str:
        """One sentence for a notification."""
        where = f" of {clean(self.site_name)}" if self.site_name else ""
        if self.estimated_only:
            return f"{self.title()}{where} should have finished by now (estimated)"
        return f"{self.title()}{where} {self.status.replace('_', ' ')}"


@dataclass
class Sighting:
    """An item seen in flight in a view: what the panel shows once it is out of view."""

    kind: str
    item_id: str
    site_id: str
    title: str
    status: str
    seen_at: datetime
    started_at: datetime | None
    eta: datetime | None


def _when(value: Any) -> datetime | None:
    return datetime.fromisoformat(value) if isinstance(value, str) and value else None


class Activity:
    def __init__(
        self,
        store: Store,
        *,
        wall: Callable[[], datetime],
        follow: Callable[[list[Operation]], None],
        sleep: Callable[[float], Any] | None = None,
    ) -> None:
        self.store = store
        self.wall = wall
        self._follow = follow  # hands the follower what to follow for the operations
        self._sleep = sleep or asyncio.sleep
        self._ops: dict[str, Operation] = {}
        self._sightings: OrderedDict[Key, Sighting] = OrderedDict()
        self.on_finished: Callable[[Operation], None] | None = None
        self.on_change: Callable[[], None] | None = None  # the panel, while it is open
        self.listeners: list[Callable[[], None]] = []  # always told (the state file)
        self._estimates: asyncio.Task[None] | None = None
        store.subscribe(self._changed)

    def now(self) -> datetime:
        return self.wall().astimezone()

    # -- operations -------------------------------------------------------------

    def started(self, op: Operation) -> Operation:
        """An operation the API just accepted."""
        self._ops[op.key] = op
        self._refollow()
        self._tell()
        return op

    def set_status(self, op: Operation, status: str, *, final: bool = False) -> None:
        """What the app learnt of an operation by itself (a write's unknown outcome)."""
        op.status = status
        if final and not op.done:
            op.finished_at = self.now()
        self._refollow()
        self._tell()

    def forget(self, op: Operation) -> None:
        self._ops.pop(op.key, None)
        self._refollow()
        self._tell()

    def restore(self, ops: list[Operation]) -> None:
        """Operations of an earlier run (the state file): followed again if in flight."""
        for op in ops:
            self._ops.setdefault(op.key, op)
        self._refollow()
        self._tell()

    def mine(self) -> list[Operation]:
        """What the user started, here or in an earlier run (what the state file keeps)."""
        return sorted(
            (op for op in self._ops.values() if op.mine),
            key=lambda op: op.started_at,
        )

    def entries(self) -> list[Operation]:
        """Newest first."""
        return sorted(self._ops.values(), key=lambda op: op.started_at, reverse=True)

    def get(self, key: str) -> Operation | None:
        return self._ops.get(key)

    def in_flight(self) -> list[Operation]:
        """Not finished; an operation that cannot be followed counts for 15 minutes."""
        now = self.now()
        return [
            op
            for op in self._ops.values()
            if not op.done and (op.followable or now - op.started_at < UNFOLLOWABLE_IN_FLIGHT)
        ]

    def followed(self) -> list[Operation]:
        return [op for op in self._ops.values() if not op.done and op.followable]

    def _refollow(self) -> None:
        self._follow([op for op in self.followed() if not op.estimated_only])
        self._schedule_estimates()

    def _changed(self, change: Change) -> None:
        for op in list(self._ops.values()):
            if op.done or op.kind != change.kind or op.item_id != change.id:
                continue
            self._update(op, change.item)
        if change.item is not None:
            self._saw(change)
        elif (change.kind, change.id) in self._sightings:
            self._sightings[(change.kind, change.id)].status = "gone"

    def _update(self, op: Operation, item: Any) -> None:
        kind = kind_of(op.kind)
        if item is None:  # 404
            if op.kind == "restore":
                op.estimated_only = True  # no status endpoint here: the estimate is all
                self._refollow()
                self._tell()
                return
            self._finish(op, "deleted" if op.action == "delete" else "gone")
            return
        status = kind.status(item)
        eta = kind.eta(item)
        if eta is not None:
            op.eta = eta
        if op.action == "delete":
            if status != "deleting":
                self._finish(op, f"not deleted ({status})")
            return
        op.status = status
        if kind.is_final(item):
            self._finish(op, status)
        else:
            self._tell()

    def _finish(self, op: Operation, status: str) -> None:
        op.status = status
        op.finished_at = self.now()
        self._refollow()
        if self.on_finished is not None:
            self.on_finished(op)
        self._tell()

    # -- restores known only by their estimate ----------------------------------

    def _schedule_estimates(self) -> None:
        pending = [op for op in self._ops.values() if op.estimated_only and not op.done]
        if not pending or (self._estimates is not None and not self._estimates.done()):
            return
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            return  # not running yet: checked again on the next change
        self._estimates = loop.create_task(self._wait_for_estimates())

    async def _wait_for_estimates(self) -> None:
        while True:
            pending = [op for op in self._ops.values() if op.estimated_only and not op.done]
            if not pending:
                return
            now = self.now()
            for op in pending:
                if op.eta is None or op.eta <= now:
                    self._finish(op, "estimated done")
            later = [op.eta for op in pending if op.eta is not None and op.eta > now]
            if not later:
                return
            await self._sleep((min(later) - now).total_seconds())

    async def aclose(self) -> None:
        if self._estimates is not None:
            self._estimates.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._estimates

    # -- sightings --------------------------------------------------------------

    def _saw(self, change: Change) -> None:
        kind = kind_of(change.kind)
        key = (change.kind, change.id)
        item = change.item
        if not kind.in_flight(item):
            sighting = self._sightings.get(key)
            if sighting is not None and sighting.status != kind.status(item):
                was_in_flight = sighting.status not in kind.final_statuses and (
                    sighting.status != "unreadable"
                )
                sighting.status = kind.status(item)
                if was_in_flight and key not in self._mine():
                    self._announce_sighting(sighting)
            return
        self._sightings[key] = Sighting(
            kind=change.kind,
            item_id=change.id,
            site_id=kind.ref(item).site_id or "",
            title=kind.label(item),
            status=kind.status(item),
            seen_at=self.now(),
            started_at=kind.created(item),
            eta=kind.eta(item),
        )
        self._sightings.move_to_end(key)
        while len(self._sightings) > MAX_SIGHTINGS:
            self._sightings.popitem(last=False)

    def _mine(self) -> set[Key]:
        return {(op.kind, op.item_id) for op in self._ops.values()}

    def _announce_sighting(self, sighting: Sighting) -> None:
        """An item seen in flight was seen finished (it was in view): say so once."""
        if self.on_finished is None:
            return
        site = self.store.get("site", sighting.site_id)
        seen = Operation(
            action=sighting.kind,
            kind=sighting.kind,
            item_id=sighting.item_id,
            site_id=sighting.site_id,
            site_name=clean(getattr(site, "name", "") or ""),
            status=sighting.status,
            started_at=sighting.started_at or sighting.seen_at,
            finished_at=self.now(),
            mine=False,
        )
        self.on_finished(seen)

    def sightings(self) -> list[Sighting]:
        """Items seen in flight that no operation of this run covers, newest first."""
        mine = self._mine()
        return [s for key, s in reversed(self._sightings.items()) if key not in mine]

    def _tell(self) -> None:
        for listener in list(self.listeners):
            listener()
        if self.on_change is not None:
            self.on_change()
