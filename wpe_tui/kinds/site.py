"""Sites: their row, the light entry a sweep keeps, and new / edit / delete."""

from __future__ import annotations

import sys
from collections.abc import Callable
from datetime import datetime
from typing import Any, NamedTuple

from rich.text import Text
from textual.screen import Screen

from wpe_tui.api import Deletion, Site
from wpe_tui.core.session import Session
from wpe_tui.kinds.actions import allowed, deleting, record
from wpe_tui.kinds.base import KindUI
from wpe_tui.kinds.cells import short_url, status_text
from wpe_tui.text import clean, dash, when_short
from wpe_tui.widgets import Column, Row

SITE_COLUMNS = [
    Column("Name", min_width=16),
    Column("Status", width=12),
    Column("Env", width=10, optional=True),
    Column("URL", min_width=16),
    Column("Created", width=12, optional=True),
]


def site_label(site: Site | SiteEntry) -> str:
    """What the user types to confirm: the name as shown, or the ID when it has none."""
    return clean(site.name).strip() or site.id


def _search_text(site: Site | SiteEntry) -> str:
    domains = "\n".join(site.domains) if site.domains else ""
    return f"{site.name}\n{site.url or ''}\n{site.id}\n{domains}".lower()


def site_row(site: Site) -> Row:
    return Row(
        key=site.id,
        cells=[
            dash(site.name),
            status_text(site.status),
            dash(site.environment),
            short_url(site.url),
            when_short(site.created_at),
        ],
        data=site,
        search_text=_search_text(site),
    )


class SiteEntry(NamedTuple):
    """What a sweep keeps of a site: enough to match it and draw its row, no more."""

    id: str
    name: str
    url: str | None
    status: str | None
    environment: str | None
    created_at: datetime | None
    domains: tuple[str, ...]
    search: str

    def site(self) -> Site:
        """A site to open: the detail screen asks for the rest."""
        return Site(
            id=self.id,
            name=self.name,
            url=self.url,
            status=self.status,
            environment=self.environment,
            created_at=self.created_at,
            domains=list(self.domains),
        )


def _intern(value: str | None) -> str | None:
    # A status or environment is one of a few words: one copy each, not 100,000.
    return sys.intern(value) if value is not None else None


def site_entry(site: Site) -> SiteEntry:
    return SiteEntry(
        id=site.id,
        name=site.name,
        url=site.url,
        status=_intern(site.status),
        environment=_intern(site.environment),
        created_at=site.created_at,
        domains=tuple(site.domains),
        search=_search_text(site),
    )


def entry_row(entry: SiteEntry) -> Row:
    return Row(
        key=entry.id,
        cells=[
            dash(entry.name),
            status_text(entry.status),
            dash(entry.environment),
            short_url(entry.url),
            when_short(entry.created_at),
        ],
        data=entry.site(),
        search_text=entry.search,
    )


class SiteUI(KindUI):
    name = "site"
    columns = SITE_COLUMNS
    mutating = {"new": "creating a site", "edit": "editing a site", "delete": "deleting a site"}

    def row(self, item: Any) -> Row:
        return site_row(item)

    def entry(self, item: Any) -> SiteEntry:
        return site_entry(item)

    def entry_row(self, entry: Any) -> Row:
        return entry_row(entry)

    def entry_key(self, entry: Any) -> str:
        return str(entry.id)

    def entry_text(self, entry: Any) -> str:
        return str(entry.search)


# -- changes ---------------------------------------------------------------------


def open_new_site(host: Screen[Any], session: Session, created: Callable[[Site], None]) -> None:
    from wpe_tui.modals.site import NewSiteModal

    if not allowed(host, session, "creating a site"):
        return
    backend = session.backend

    async def send(**fields: Any) -> Site:
        return await session.write(lambda: backend.create_site(**fields))

    def done(site: Site | None) -> None:
        if site is None:
            return
        record(
            session, "create", "site", site, site_id=site.id, site_name=site.name,
            default_status="provisioning",
        )  # fmt: skip
        host.notify(f"Site {site_label(site)} created ({dash(site.status)})")
        created(site)

    host.app.push_screen(NewSiteModal(send), callback=done)


def open_edit_site(
    host: Screen[Any], session: Session, site: Site, saved: Callable[[Site], None]
) -> None:
    from wpe_tui.modals.site import EditSiteModal

    if not allowed(host, session, "editing a site"):
        return
    backend = session.backend

    async def send(**changes: Any) -> Site:
        return await session.write(lambda: backend.update_site(site.id, **changes))

    def done(updated: Site | None) -> None:
        if updated is None:
            return
        session.store.put("site", updated, fetched_at=session.now())
        host.notify(f"Site {site_label(updated)} saved")
        saved(updated)

    host.app.push_screen(EditSiteModal(site, send), callback=done)


def open_delete_site(
    host: Screen[Any], session: Session, site: Site, deleted: Callable[[Site], None]
) -> None:
    from wpe_tui.modals.confirm import TypedConfirmModal

    if not allowed(host, session, "deleting a site"):
        return
    backend = session.backend

    async def send() -> Deletion:
        return await session.write(lambda: backend.delete_site(site.id))

    def done(deletion: Deletion | None) -> None:
        if deletion is None:
            return
        now_deleting = deleting(site, deletion)
        session.store.put("site", now_deleting, fetched_at=session.now())
        record(
            session, "delete", "site", deletion, site_id=site.id, site_name=site.name,
            default_status="deleting",
        )  # fmt: skip
        host.notify(f"Site {clean(deletion.id)} is being deleted")
        deleted(now_deleting)

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
    host.app.push_screen(modal, callback=done)
