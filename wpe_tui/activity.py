"""What is in flight: every operation started in this run and every in-flight item seen.

`Activity` is plain Python (no Textual): the app owns one, the screens feed
it what they load and poll, and the activity panel shows it. It polls only
the operations no screen has refreshed lately, so an item on the screen in
front of the user is never asked for twice per interval.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from wpe_tui import text
from wpe_tui.api import (
    ApiError,
    Backup,
    Deletion,
    Deployment,
    NotFoundError,
    Restore,
    Site,
    WpeClient,
    is_final,
)
from wpe_tui.text import clean

Item = Site | Backup | Deployment | Restore

# Kinds of operation, as the panel names them.
SITE, BACKUP, DEPLOYMENT, RESTORE = "site", "backup", "deployment", "restore"
SITE_DELETION, BACKUP_DELETION = "site deletion", "backup deletion"


@dataclass
class Operation:
    kind: str
    item_id: str
    site_id: str
    site_name: str
    status: str
    started_at: datetime
    eta: datetime | None = None
    mine: bool = False  # started by the user in this run
    detail: str = ""  # e.g. "backup_1 → staging (database, files)"
    backup_id: str | None = None  # for a restore
    finished_at: datetime | None = None
    # Restores have no status endpoint in the spec: without one, only the estimate is known.
    estimated_only: bool = False
    refreshed: float = field(default_factory=time.monotonic)

    @property
    def key(self) -> str:
        return f"{self.kind}:{self.item_id}"

    @property
    def done(self) -> bool:
        return self.finished_at is not None

    @property
    def failed(self) -> bool:
        return self.status.lower() == "failed"

    def title(self) -> str:
        """ "Restore restore_90001", "Delete site_10001", "Deployment deploy_1"."""
        item = clean(self.item_id)
        if self.kind.endswith("deletion"):
            return f"Delete {item}"
        kind = self.kind[0].upper() + self.kind[1:]
        return f"{kind} {item}"

    def summary(self) -> str:
        """One sentence for a notification."""
        where = f" of {clean(self.site_name)}" if self.site_name else ""
        status = self.status.replace("_", " ")
        if self.estimated_only:
            return f"{self.title()}{where} should have finished by now (estimated)"
        return f"{self.title()}{where} {status}"


def _status_of(item: Item | Deletion) -> str:
    return (item.status or "unknown").lower()


class Activity:
    """The operations of this run, keyed by kind and ID; newest first in `entries()`."""

    def __init__(self, clock: Callable[[], datetime] | None = None) -> None:
        self._ops: dict[str, Operation] = {}
        self._clock = clock

    def now(self) -> datetime:
        return (self._clock or text.now)().astimezone()

    def entries(self) -> list[Operation]:
        return sorted(self._ops.values(), key=lambda op: op.started_at, reverse=True)

    def in_flight(self) -> list[Operation]:
        return [op for op in self._ops.values() if not op.done]

    def get(self, kind: str, item_id: str) -> Operation | None:
        return self._ops.get(f"{kind}:{item_id}")

    # -- what the screens tell it ----------------------------------------------

    def started(self, op: Operation) -> Operation:
        """An operation the user just started (the API accepted it)."""
        op.mine = True
        self._ops[op.key] = op
        return op

    def seen(self, item: Item, site: Site | None = None) -> Operation | None:
        """A site, backup or deployment a screen loaded or polled.

        Returns the operation if this sighting finished it (the caller tells the user).
        """
        kind = kind_of(item)
        op = self._ops.get(f"{kind}:{item.id}")
        if op is None:
            # A deletion in progress is followed under its own kind.
            deleting = self._ops.get(f"{kind} deletion:{item.id}")
            if deleting is not None:
                deleting.refreshed = time.monotonic()
                return None
        status = _status_of(item)
        if op is None:
            if is_final(status):
                return None  # only what is in flight, or was started here, is listed
            op = Operation(
                kind=kind,
                item_id=item.id,
                site_id=_site_id_of(item, site),
                site_name=_site_name_of(item, site),
                status=status,
                started_at=(item.created_at or self.now()).astimezone(),
                eta=item.estimated_completion_time,
            )
            self._ops[op.key] = op
            return None
        return self._update(op, status, item.estimated_completion_time)

    def gone(self, kind: str, item_id: str) -> Operation | None:
        """The item answered 404: a deletion is complete; anything else vanished."""
        for op_kind in (f"{kind} deletion", kind):
            op = self._ops.get(f"{op_kind}:{item_id}")
            if op is not None and not op.done:
                deleted = op_kind.endswith("deletion") or op.status == "deleting"
                status = "deleted" if deleted else "gone"
                return self._update(op, status, None, final=True)
        return None

    def _update(
        self, op: Operation, status: str, eta: datetime | None, *, final: bool | None = None
    ) -> Operation | None:
        op.refreshed = time.monotonic()
        op.status = status
        if eta is not None:
            op.eta = eta
        finished = is_final(status) if final is None else final
        if finished and not op.done:
            op.finished_at = self.now()
            return op
        return None

    # -- polling what no screen is showing --------------------------------------

    def stale(self, interval: float) -> list[Operation]:
        """In-flight operations nobody has refreshed for two intervals."""
        limit = time.monotonic() - 2 * interval
        return [op for op in self.in_flight() if op.refreshed <= limit]

    async def poll(self, client: WpeClient, ops: list[Operation]) -> list[Operation]:
        """Ask for each operation once; return the ones that finished."""
        results = await asyncio.gather(*(self._poll_one(client, op) for op in ops))
        return [op for op in results if op is not None]

    async def _poll_one(self, client: WpeClient, op: Operation) -> Operation | None:
        try:
            if op.kind == RESTORE:
                return await self._poll_restore(client, op)
            if op.kind in (SITE, SITE_DELETION):
                site = await client.get_site(op.item_id)
                if op.kind == SITE_DELETION:
                    return self._still_deleting(op, site.status)
                return self._update(op, _status_of(site), site.estimated_completion_time)
            if op.kind in (BACKUP, BACKUP_DELETION):
                backup = await client.get_backup(op.site_id, op.item_id)
                if op.kind == BACKUP_DELETION:
                    return self._still_deleting(op, backup.status)
                return self._update(op, _status_of(backup), backup.estimated_completion_time)
            deployment = await client.get_deployment(op.site_id, op.item_id)
            return self._update(op, _status_of(deployment), deployment.estimated_completion_time)
        except NotFoundError:
            if op.kind.endswith("deletion"):
                return self._update(op, "deleted", None, final=True)
            return self._update(op, "gone", None, final=True)
        except ApiError:
            return None  # asked again at the next interval; the panel keeps the last status

    def _still_deleting(self, op: Operation, status: str | None) -> Operation | None:
        op.refreshed = time.monotonic()
        if status is not None and status.lower() != "deleting":
            # The server stopped deleting it (cancelled or failed): say so.
            return self._update(op, f"not deleted ({status})", None, final=True)
        return None

    async def _poll_restore(self, client: WpeClient, op: Operation) -> Operation | None:
        if not op.estimated_only and op.backup_id is not None:
            try:
                restore = await client.get_restore(op.site_id, op.backup_id, op.item_id)
            except NotFoundError:
                op.estimated_only = True
            except ApiError as error:
                if error.status != 405:
                    raise
                op.estimated_only = True
            else:
                return self._update(op, _status_of(restore), restore.estimated_completion_time)
        op.refreshed = time.monotonic()
        if op.eta is not None and self.now() >= op.eta:
            return self._update(op, "estimated done", None, final=True)
        return None


def kind_of(item: Item) -> str:
    if isinstance(item, Site):
        return SITE
    if isinstance(item, Backup):
        return BACKUP
    if isinstance(item, Deployment):
        return DEPLOYMENT
    return RESTORE


def _site_id_of(item: Item, site: Site | None) -> str:
    if isinstance(item, Site):
        return item.id
    return item.site_id or (site.id if site else "")


def _site_name_of(item: Item, site: Site | None) -> str:
    if isinstance(item, Site):
        return item.name
    return site.name if site else ""
