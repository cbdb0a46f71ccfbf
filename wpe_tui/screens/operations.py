"""Every change the app can make, from a key to a modal to one request.

Each `open_*` function pushes the modal with a `send` coroutine over the
client, and on success records the operation in the activity panel, tells
the user, and hands the result to the screen so it can update its rows.
Read-only mode is enforced here too: the keys are hidden by the screens,
and anything that still reaches this module is refused before a modal opens.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, ClassVar

from rich.text import Text
from textual import events
from textual.screen import Screen

from wpe_tui.activity import (
    BACKUP,
    BACKUP_DELETION,
    DEPLOYMENT,
    RESTORE,
    SITE,
    SITE_DELETION,
    Operation,
)
from wpe_tui.api import Backup, BackupContents, Deletion, Deployment, Restore, Site
from wpe_tui.modals.backup import NewBackupModal
from wpe_tui.modals.confirm import ConfirmModal, TypedConfirmModal
from wpe_tui.modals.deployment import NewDeploymentModal
from wpe_tui.modals.restore import RestoreModal, site_label
from wpe_tui.modals.site import EditSiteModal, NewSiteModal
from wpe_tui.text import clean, clock_time, dash, when

if TYPE_CHECKING:
    from wpe_tui.app import WpeApp

# What each mutating action is called in a refusal.
ACTION_NAMES = {
    "restore": "restoring a backup",
    "new": "creating",
    "new_backup": "creating a backup",
    "edit": "editing a site",
    "delete": "deleting",
}


class ChangesGuard(Screen[Any]):
    """A screen with mutating actions: hidden and refused in read-only mode."""

    MUTATING: ClassVar[frozenset[str]] = frozenset(ACTION_NAMES)

    @property
    def wpe(self) -> WpeApp:
        return self.app  # type: ignore[return-value]

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # False hides it from the footer, the help and the palette.
        return not (action in self.MUTATING and self.wpe.read_only)

    def on_key(self, event: events.Key) -> None:
        # A hidden binding lets its key through: say why nothing happens.
        for binding in self._bindings.key_to_bindings.get(event.key, []):
            if self.check_action(binding.action, ()) is not False:
                continue
            event.stop()
            if self.wpe.read_only and binding.action in self.MUTATING:
                refuse(self.wpe, binding.action)
            else:
                self.unavailable(binding.action)
            return

    def unavailable(self, action: str) -> None:
        """The key of `action` was pressed where it does not apply."""


def refuse(app: WpeApp, action: str) -> None:
    what = ACTION_NAMES.get(action, "changing anything")
    app.notify(
        f"Read-only mode ({app.read_only_reason}): {what} is turned off. Nothing was sent.",
        severity="warning",
        timeout=6,
    )


def _allowed(app: WpeApp, action: str) -> bool:
    if app.read_only:
        refuse(app, action)
        return False
    return True


# -- backups -------------------------------------------------------------------


def open_restore(app: WpeApp, site: Site, backup: Backup) -> None:
    if not _allowed(app, "restore"):
        return

    async def send(environment: str | None, contents: BackupContents) -> Restore:
        return await app.client.restore_backup(
            site.id, backup.id, environment=environment, contents=contents
        )

    def done(restore: Restore | None) -> None:
        if restore is None:
            return
        contents = restore.contents.selected() if restore.contents else []
        target = clean(restore.environment or "")
        detail = f"{clean(backup.id)} → {target} ({', '.join(contents) or 'all'})"
        op = _follow(app, RESTORE, restore, site, detail=detail, backup_id=backup.id)
        eta = f", done by about {clock_time(op.eta)}" if op.eta else ""
        app.notify(f"Restore of {clean(backup.id)} into {target} started{eta} — a to watch")

    app.push_screen(RestoreModal(site, backup, send), callback=done)


def open_new_backup(app: WpeApp, site: Site, created: Callable[[Backup], None]) -> None:
    if not _allowed(app, "new_backup"):
        return

    async def send(description: str | None, type: str) -> Backup:
        return await app.client.create_backup(site.id, description=description, type=type)

    def done(backup: Backup | None) -> None:
        if backup is None:
            return
        _follow(app, BACKUP, backup, site, detail=clean(backup.description))
        app.notify(f"Backup {clean(backup.id)} started")
        created(backup)

    app.push_screen(NewBackupModal(site, send), callback=done)


def open_delete_backup(
    app: WpeApp, site: Site, backup: Backup, deleted: Callable[[Deletion], None]
) -> None:
    if not _allowed(app, "delete"):
        return

    async def send() -> Deletion:
        return await app.client.delete_backup(site.id, backup.id)

    def done(deletion: Deletion | None) -> None:
        if deletion is None:
            return
        _track_deletion(app, BACKUP_DELETION, deletion, site)
        deleted(deletion)

    question = Text.assemble(
        "Delete backup ",
        (clean(backup.id), "bold"),
        f" ({dash(backup.description)}, {when(backup.created_at)}, {dash(backup.size)})",
        f" of {site_label(site)}? It cannot be restored afterwards.",
    )
    modal: ConfirmModal[Deletion] = ConfirmModal("Delete backup", question, "Delete", send)
    app.push_screen(modal, callback=done)


# -- deployments -----------------------------------------------------------------


def open_new_deployment(app: WpeApp, site: Site, created: Callable[[Deployment], None]) -> None:
    if not _allowed(app, "new"):
        return

    async def send(environment: str, source: Any) -> Deployment:
        return await app.client.create_deployment(site.id, environment=environment, source=source)

    def done(deployment: Deployment | None) -> None:
        if deployment is None:
            return
        source = deployment.source.describe() if deployment.source else ""
        _follow(app, DEPLOYMENT, deployment, site, detail=source)
        app.notify(f"Deployment {clean(deployment.id)} started — enter follows its log")
        created(deployment)

    app.push_screen(NewDeploymentModal(site, send), callback=done)


# -- sites -------------------------------------------------------------------------


def open_new_site(app: WpeApp, created: Callable[[Site], None]) -> None:
    if not _allowed(app, "new"):
        return

    async def send(**fields: Any) -> Site:
        return await app.client.create_site(**fields)

    def done(site: Site | None) -> None:
        if site is None:
            return
        _follow(app, SITE, site, site, default_status="provisioning")
        app.notify(f"Site {site_label(site)} created ({dash(site.status)})")
        created(site)

    app.push_screen(NewSiteModal(send), callback=done)


def open_edit_site(app: WpeApp, site: Site, saved: Callable[[Site], None]) -> None:
    if not _allowed(app, "edit"):
        return

    async def send(**changes: Any) -> Site:
        return await app.client.update_site(site.id, **changes)

    def done(updated: Site | None) -> None:
        if updated is None:
            return
        app.notify(f"Site {site_label(updated)} saved")
        saved(updated)

    app.push_screen(EditSiteModal(site, send), callback=done)


def open_delete_site(app: WpeApp, site: Site, deleted: Callable[[Deletion], None]) -> None:
    if not _allowed(app, "delete"):
        return

    async def send() -> Deletion:
        return await app.client.delete_site(site.id)

    def done(deletion: Deletion | None) -> None:
        if deletion is None:
            return
        _track_deletion(app, SITE_DELETION, deletion, site)
        deleted(deletion)

    name = site_label(site)
    question = Text.assemble(
        "Delete the site ",
        (name, "bold"),
        f" ({site.id}, {dash(site.url)}) with all its environments and backups? ",
        ("This cannot be undone.", "bold red"),
    )
    modal: TypedConfirmModal[Deletion] = TypedConfirmModal(
        "Delete site", question, "Delete site", name, send
    )
    app.push_screen(modal, callback=done)


def _follow(
    app: WpeApp,
    kind: str,
    item: Site | Backup | Deployment | Restore,
    site: Site,
    *,
    default_status: str = "in_progress",
    detail: str = "",
    backup_id: str | None = None,
) -> Operation:
    """Record what the API just accepted in the activity panel, and follow it live."""
    op = app.activity.started(
        Operation(
            kind=kind,
            item_id=item.id,
            site_id=site.id,
            site_name=site.name,
            status=(item.status or default_status).lower(),
            started_at=(item.created_at or app.activity.now()).astimezone(),
            eta=item.estimated_completion_time,
            detail=detail,
            backup_id=backup_id,
        )
    )
    app.activity_changed()
    return op


def _track_deletion(app: WpeApp, kind: str, deletion: Deletion, site: Site) -> None:
    app.activity.started(
        Operation(
            kind=kind,
            item_id=deletion.id,
            site_id=site.id,
            site_name=site.name,
            status=(deletion.status or "deleting").lower(),
            started_at=app.activity.now(),
            eta=deletion.estimated_completion_time,
        )
    )
    what = "Site" if kind == SITE_DELETION else "Backup"
    app.notify(f"{what} {clean(deletion.id)} is being deleted")
    app.activity_changed()


def deleting(item: Site | Backup, deletion: Deletion) -> Site | Backup:
    """The row's item as the server now has it: deleting, with its estimate."""
    return item.model_copy(
        update={
            "status": deletion.status or "deleting",
            "estimated_completion_time": deletion.estimated_completion_time,
        }
    )
