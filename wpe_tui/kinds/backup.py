"""Backups: their row and facts, and restore / new / delete."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rich.text import Text
from textual.screen import Screen

from wpe_tui.api import Backup, BackupContents, Deletion, Restore, Site
from wpe_tui.api.models import CONTENT_FLAGS
from wpe_tui.core.session import Session
from wpe_tui.kinds.actions import allowed, deleting, record
from wpe_tui.kinds.base import Fact, KindUI, Tab
from wpe_tui.kinds.cells import status_text
from wpe_tui.kinds.site import site_label
from wpe_tui.text import clean, clock_time, dash, when, when_short
from wpe_tui.widgets import Column, Row

BACKUP_COLUMNS = [
    Column("ID", width=15),
    Column("Description", min_width=14),
    Column("Type", width=8),
    Column("Status", width=11),
    Column("Created", width=12),
    Column("Completed", width=12, optional=True),
    Column("Size", width=7, justify="right"),
]


def backup_row(backup: Backup) -> Row:
    return Row(
        key=backup.id,
        cells=[
            dash(backup.id),
            dash(backup.description),
            dash(backup.type),
            status_text(backup.status),
            when_short(backup.created_at),
            when_short(backup.completed_at),
            dash(backup.size),
        ],
        data=backup,
        search_text=f"{backup.id}\n{backup.description}\n{backup.type or ''}".lower(),
    )


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
    columns = BACKUP_COLUMNS
    tab = Tab(pane="backups", key="2", label="Backups", empty="No backups yet")
    mutating = {
        "restore": "restoring a backup",
        "new_backup": "creating a backup",
        "delete": "deleting a backup",
    }

    def row(self, item: Any) -> Row:
        return backup_row(item)

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
    backend = session.backend

    async def send(environment: str | None, contents: BackupContents) -> Restore | None:
        return await session.write(
            lambda: backend.restore_backup(
                site.id, backup.id, environment=environment, contents=contents
            )
        )

    def done(restore: Restore | None) -> None:
        if restore is None:
            return
        contents = restore.contents.selected() if restore.contents else []
        target = clean(restore.environment or "")
        detail = f"{clean(backup.id)} → {target} ({', '.join(contents) or 'all'})"
        op = record(
            session, "restore", "restore", restore, site_id=site.id, site_name=site.name,
            detail=detail, backup_id=backup.id,
            followable=session.capabilities.follow_restore,
        )  # fmt: skip
        eta = f", done by about {clock_time(op.eta)}" if op.eta else ""
        host.notify(f"Restore of {clean(backup.id)} into {target} started{eta} — a to watch")

    host.app.push_screen(RestoreModal(site, backup, send), callback=done)


def open_new_backup(
    host: Screen[Any], session: Session, site: Site, created: Callable[[Backup], None]
) -> None:
    from wpe_tui.modals.backup import NewBackupModal

    if not allowed(host, session, "creating a backup"):
        return
    backend = session.backend

    async def send(description: str | None, type: str) -> Backup:
        return await session.write(
            lambda: backend.create_backup(site.id, description=description, type=type)
        )

    def done(backup: Backup | None) -> None:
        if backup is None:
            return
        session.store.put("backup", backup, fetched_at=session.now())
        record(
            session, "backup", "backup", backup, site_id=site.id, site_name=site.name,
            detail=clean(backup.description),
        )  # fmt: skip
        host.notify(f"Backup {clean(backup.id)} started")
        created(backup)

    host.app.push_screen(NewBackupModal(site, send), callback=done)


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

    def done(deletion: Deletion | None) -> None:
        if deletion is None:
            return
        now_deleting = deleting(backup, deletion)
        session.store.put("backup", now_deleting, fetched_at=session.now())
        record(
            session, "delete", "backup", deletion, site_id=site.id, site_name=site.name,
            default_status="deleting",
        )  # fmt: skip
        host.notify(f"Backup {clean(deletion.id)} is being deleted")
        deleted(now_deleting)

    question = Text.assemble(
        "Delete backup ",
        (clean(backup.id), "bold"),
        f" ({dash(backup.description)}, {when(backup.created_at)}, {dash(backup.size)})",
        f" of {site_label(site)}? It cannot be restored afterwards.",
    )
    modal: ConfirmModal[Deletion] = ConfirmModal("Delete backup", question, "Delete", send)
    host.app.push_screen(modal, callback=done)
