"""Backups: their row and facts, and restore / new / delete."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rich.text import Text
from textual.screen import Screen

from wpe_tui.api import Backup, BackupContents, Deletion, Restore, Site
from wpe_tui.api.capabilities import Capabilities
from wpe_tui.api.models import CONTENT_FLAGS
from wpe_tui.core.outcome import ItemCheck, NewItemCheck
from wpe_tui.core.session import Session
from wpe_tui.kinds.actions import (
    FieldNotes,
    PendingWrite,
    allowed,
    deletion_done,
    open_with_emails,
    record,
)
from wpe_tui.kinds.base import Fact, Field, KindUI, Tab
from wpe_tui.kinds.cells import status_text
from wpe_tui.kinds.site import site_label
from wpe_tui.text import clean, clock_time, dash, when, when_short
from wpe_tui.widgets import Column, Row


def _typed(capabilities: Capabilities) -> bool:
    return bool(capabilities.backup_types)


def _sized(capabilities: Capabilities) -> bool:
    return capabilities.backup_sizes


def _per_environment(capabilities: Capabilities) -> bool:
    return capabilities.backup_needs_environment


BACKUP_FIELDS = [
    Field(
        Column("ID", width=15, tokens=True),
        lambda b: dash(b.id),
        lambda c: not _per_environment(c),
    ),
    # The Hosting Platform API's IDs are UUIDs: they take what room there is, up to whole.
    Field(
        Column("ID", min_width=15, weight=2, max_width=36, tokens=True),
        lambda b: dash(b.id),
        _per_environment,
    ),
    Field(
        Column("Description", min_width=14, weight=3, max_width=60), lambda b: dash(b.description)
    ),
    Field(Column("Type", width=8), lambda b: dash(b.type), _typed),
    Field(Column("Env", width=11), lambda b: dash(b.environment), _per_environment),
    Field(Column("Status", width=14), lambda b: status_text(b.status)),
    Field(Column("Created", width=16), lambda b: when_short(b.created_at)),
    Field(
        Column("Completed", width=16, optional=True, drop=5, from_width=110),
        lambda b: when_short(b.completed_at),
    ),
    Field(
        Column("Size", width=7, justify="right", optional=True, drop=3),
        lambda b: dash(b.size),
        _sized,
    ),
]


def backup_row(backup: Backup) -> Row:
    return BackupUI().row(backup)


def contents_text(contents: BackupContents | None) -> str | Text:
    if contents is None:
        return "—"
    text = Text()
    for flag in CONTENT_FLAGS:
        on = getattr(contents, flag)
        text.append(f"{'✓' if on else '✗'} {flag}  ", style="green" if on else "dim")
    return text


class BackupUI(KindUI):
    name = "backup"
    fields = BACKUP_FIELDS
    tab = Tab(pane="backups", key="2", label="Backups", empty="No backups yet")
    mutating = {
        "restore": "restoring a backup",
        "new_backup": "creating a backup",
        "delete": "deleting a backup",
    }

    def search_text(self, item: Any) -> str:
        backup: Backup = item
        parts = (backup.id, backup.description, backup.type or "", backup.environment or "")
        return "\n".join(parts).lower()

    def facts(self, item: Any) -> list[Fact]:
        backup: Backup = item
        return [
            ("ID", dash(backup.id)),
            ("Description", dash(backup.description)),
            ("Type", dash(backup.type)),
            ("Environment", dash(backup.environment)),
            ("Status", status_text(backup.status)),
            ("Created", when(backup.created_at)),
            ("Completed", when(backup.completed_at)),
            ("Size", dash(backup.size)),
            ("Contents", contents_text(backup.contents)),
            ("Download", dash(backup.download_url)),
        ]


# -- changes ---------------------------------------------------------------------


def open_restore(host: Screen[Any], session: Session, site: Site, backup: Backup) -> None:
    from wpe_tui.modals.restore import RestoreModal

    if not allowed(host, session, "restoring a backup"):
        return
    backend, caps = session.backend, session.capabilities

    async def send(**choices: Any) -> Restore:
        restore = await session.write(lambda: backend.restore_backup(site.id, backup.id, **choices))
        if restore is not None:
            return restore
        # Accepted with nothing to follow (Hosting Platform API): what was sent, then.
        return Restore(
            id=f"from {backup.id}",  # no ID of its own: "Restore from <backup>"
            backup_id=backup.id,
            site_id=site.id,
            environment=backup.environment,
            status="requested",
            created_at=session.activity.now(),
        )

    def done(restore: Restore | None) -> None:
        if restore is None:
            return
        if caps.restore_contents:
            contents = restore.contents.selected() if restore.contents else []
            what = f" ({', '.join(contents) or 'all'})"
        else:
            what = ""
        target = clean(restore.environment or backup.environment or "")
        detail = f"{clean(backup.id)} → {target}{what}"
        op = record(
            session, "restore", "restore", restore, site_id=site.id, site_name=site.name,
            detail=detail, backup_id=backup.id, followable=caps.follow_restore,
            default_status="requested",
        )  # fmt: skip
        if not caps.follow_restore:
            host.notify(
                f"Restore of {clean(backup.id)} into {target} sent. The API gives nothing to "
                "follow: WP Engine emails when it is done."
            )
            return
        eta = f", done by about {clock_time(op.eta)}" if op.eta else ""
        host.notify(f"Restore of {clean(backup.id)} into {target} started{eta} — a to watch")

    pending = PendingWrite(session, f"Restore of {clean(backup.id)}", site.id, site.name)

    def push(emails: list[str]) -> FieldNotes:
        # No restore can be read back: after a timeout the modal says it cannot check.
        modal = RestoreModal(site, backup, send, caps, emails, on_outcome=pending)
        host.app.push_screen(modal, callback=done)
        return modal

    open_with_emails(host, session, push)


def open_new_backup(
    host: Screen[Any], session: Session, site: Site, created: Callable[[Backup], None]
) -> None:
    from wpe_tui.modals.backup import NewBackupModal

    if not allowed(host, session, "creating a backup"):
        return
    backend, caps = session.backend, session.capabilities

    sent: dict[str, Any] = {}

    async def send(**choices: Any) -> Backup:
        sent.clear()
        sent.update(choices)
        return await session.write(lambda: backend.create_backup(site.id, **choices))

    async def newest() -> list[Backup]:
        page = await session.read(lambda: backend.list_backups(site.id, page=1, per_page=20))
        return list(page.results)

    def made_by_us(backup: Backup) -> bool:
        # A new backup with what was sent (the API names one without a description).
        description = sent.get("description")
        return (description is None or backup.description == description) and (
            sent.get("type") in (None, backup.type)
        )

    check = NewItemCheck(newest, made_by_us)
    pending = PendingWrite(session, f"Backup of {site_label(site)}", site.id, site.name)

    def done(backup: Backup | None) -> None:
        if backup is None:
            return
        session.store.put("backup", backup, fetched_at=session.now())
        record(
            session, "backup", "backup", backup, site_id=site.id, site_name=site.name,
            detail=clean(backup.description), default_status="requested",
        )  # fmt: skip
        host.notify(f"Backup {clean(backup.id)} started")
        created(backup)

    def push(emails: list[str]) -> FieldNotes:
        modal = NewBackupModal(site, send, caps, emails, check=check, on_outcome=pending)
        host.app.push_screen(modal, callback=done)
        return modal

    open_with_emails(host, session, push)


def open_delete_backup(
    host: Screen[Any],
    session: Session,
    site: Site,
    backup: Backup,
    deleted: Callable[[Backup], None],
) -> None:
    from wpe_tui.modals.confirm import ConfirmModal

    if not allowed(host, session, "deleting a backup"):
        return
    backend = session.backend

    async def send() -> Deletion:
        return await session.write(lambda: backend.delete_backup(site.id, backup.id))

    done = deletion_done(host, session, "backup", backup, site, deleted)

    question = Text.assemble(
        "Delete backup ",
        (clean(backup.id), "bold"),
        f" ({dash(backup.description)}, {when(backup.created_at)}, {dash(backup.size)})",
        f" of {site_label(site)}? It cannot be restored afterwards.",
    )
    check = ItemCheck(
        lambda: session.read(lambda: backend.get_backup(site.id, backup.id)),
        lambda now: now is None or (now.status or "").lower() == "deleting",
    )
    modal: ConfirmModal[Deletion] = ConfirmModal(
        "Delete backup", question, "Delete", send, check=check,
        on_outcome=PendingWrite(session, f"Delete {clean(backup.id)}", site.id, site.name),
    )  # fmt: skip
    host.app.push_screen(modal, callback=done)
