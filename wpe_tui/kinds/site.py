"""Sites: their row, the light entry a sweep keeps, and new / edit / delete."""

from __future__ import annotations

import sys
from collections.abc import Callable
from datetime import datetime
from typing import Any, NamedTuple

from rich.text import Text
from textual.screen import Screen

from wpe_tui.api import Deletion, Site
from wpe_tui.api.capabilities import Capabilities
from wpe_tui.core.outcome import ItemCheck, NewItemCheck
from wpe_tui.core.session import Session
from wpe_tui.kinds.actions import PendingWrite, allowed, deletion_done, record
from wpe_tui.kinds.base import Field, KindUI
from wpe_tui.kinds.cells import short_url, status_text
from wpe_tui.text import clean, dash, day, without_scheme
from wpe_tui.widgets import Column, Row


def site_label(site: Site | SiteEntry) -> str:
    """What the user types to confirm: the name as shown, or the ID when it has none."""
    return clean(site.name).strip() or site.id


def _search_text(site: Site | SiteEntry) -> str:
    """What `/` looks for a needle in, lower case. A URL is kept without its scheme;
    the list view cuts a pasted URL's scheme off the needle too (`without_scheme`)."""
    domains = "\n".join(site.domains) if site.domains else ""
    return f"{site.name}\n{without_scheme(site.url or '')}\n{site.id}\n{domains}".lower()


def _accounts(capabilities: Capabilities) -> bool:
    return capabilities.accounts


def _listed_versions(capabilities: Capabilities) -> bool:
    # The Hosting Platform API lists each install's PHP; the Customer API does not.
    return capabilities.accounts


SITE_FIELDS = [
    Field(Column("Name", min_width=16, weight=3, max_width=48, want=28), lambda s: dash(s.name)),
    Field(Column("Status", width=14), lambda s: status_text(s.status)),
    Field(
        # Flexible: a nickname ("Harbor Light Agency") is longer than a unique name.
        Column(
            "Account", min_width=12, weight=2, max_width=24, optional=True, drop=6, from_width=100
        ),
        lambda s: dash(getattr(s, "account_name", None)),
        _accounts,
    ),
    Field(
        Column("Env", width=11, optional=True, drop=9),
        lambda s: dash(s.environment),
    ),
    Field(
        Column("URL", min_width=14, weight=2, max_width=44, optional=True, drop=3, tokens=True),
        lambda s: short_url(s.url),
    ),
    Field(
        Column("PHP", width=5, optional=True, drop=7, from_width=120),
        lambda s: dash(getattr(s, "php_version", None)),
        _listed_versions,
    ),
    Field(
        Column("Created", width=10, optional=True, drop=5),
        lambda s: day(s.created_at),
    ),
]


def site_row(site: Site) -> Row:
    return SiteUI().row(site)


class SiteEntry(NamedTuple):
    """What a sweep keeps of a site: enough to match it and draw its row, no more. A
    sweep keeps 100,000 of them: what the Customer API never sends (an account, a PHP
    version, a reason it could not be read) shares one field, None there, and the
    search text leaves out the URL's scheme (8 bytes less per site, see `_search_text`)."""

    id: str
    name: str
    url: str | None
    status: str | None
    environment: str | None
    created_at: datetime | None
    domains: tuple[str, ...]
    search: str
    # (unreadable, account_id, account_name, php_version), or None when all are None.
    rare: tuple[str | None, str | None, str | None, str | None] | None = None

    @property
    def unreadable(self) -> str | None:
        return self.rare[0] if self.rare else None

    @property
    def account_id(self) -> str | None:
        return self.rare[1] if self.rare else None

    @property
    def account_name(self) -> str | None:
        return self.rare[2] if self.rare else None

    @property
    def php_version(self) -> str | None:
        return self.rare[3] if self.rare else None

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
            unreadable=self.unreadable,
            account_id=self.account_id,
            account_name=self.account_name,
            php_version=self.php_version,
        )


def _intern(value: str | None) -> str | None:
    # A status or environment is one of a few words: one copy each, not 100,000.
    return sys.intern(value) if value is not None else None


def site_entry(site: Site) -> SiteEntry:
    installs = [env.install_name for env in site.environments if env.install_name]
    search = _search_text(site) + ("\n" + "\n".join(installs).lower() if installs else "")
    rare = (
        site.unreadable,
        _intern(site.account_id),
        _intern(site.account_name),
        _intern(site.php_version),
    )
    return SiteEntry(
        id=site.id,
        name=site.name,
        url=site.url,
        status=_intern(site.status),
        environment=_intern(site.environment),
        created_at=site.created_at,
        domains=tuple(site.domains),
        search=search,
        rare=rare if any(value is not None for value in rare) else None,
    )


class SiteUI(KindUI):
    name = "site"
    fields = SITE_FIELDS
    mutating = {"new": "creating a site", "edit": "editing a site", "delete": "deleting a site"}

    def search_text(self, item: Any) -> str:
        if isinstance(item, SiteEntry):
            return item.search
        return site_entry(item).search

    def row(self, item: Any, capabilities: Capabilities | None = None) -> Row:
        row = super().row(item, capabilities)
        if isinstance(item, SiteEntry):
            row.data = item.site()
        return row

    def entry(self, item: Any) -> SiteEntry:
        return site_entry(item)

    def entry_text(self, entry: Any) -> str:
        return str(entry.search)


# -- changes ---------------------------------------------------------------------


def open_new_site(host: Screen[Any], session: Session, created: Callable[[Site], None]) -> None:
    from wpe_tui.modals.site import NewSiteModal

    if not allowed(host, session, "creating a site"):
        return
    backend = session.backend

    sent: dict[str, Any] = {}

    async def send(**fields: Any) -> Site:
        sent.update(fields)
        return await session.write(lambda: backend.create_site(**fields))

    async def newest() -> list[Site]:
        page = await session.read(
            lambda: backend.list_sites(page=1, per_page=20, sort="created_at", order="desc")
        )
        return list(page.results)

    check = NewItemCheck(newest, lambda site: site.name == sent.get("name"))

    def done(site: Site | None) -> None:
        if site is None:
            return
        record(
            session, "create", "site", site, site_id=site.id, site_name=site.name,
            default_status="provisioning",
        )  # fmt: skip
        host.notify(f"Site {site_label(site)} created ({dash(site.status)})")
        created(site)

    pending = PendingWrite(session, "New site", "", "")
    host.app.push_screen(NewSiteModal(send, check=check, on_outcome=pending), callback=done)


def open_edit_site(
    host: Screen[Any], session: Session, site: Site, saved: Callable[[Site], None]
) -> None:
    from wpe_tui.modals.site import EditSiteModal

    if not allowed(host, session, "editing a site"):
        return
    backend = session.backend

    wanted: dict[str, Any] = {}

    async def send(**changes: Any) -> Site:
        wanted.update(changes)
        return await session.write(lambda: backend.update_site(site.id, **changes))

    def took(now: Site | None) -> bool:
        return now is not None and all(getattr(now, k, None) == v for k, v in wanted.items())

    check = ItemCheck(lambda: session.read(lambda: backend.get_site(site.id)), took)

    def done(updated: Site | None) -> None:
        if updated is None:
            return
        session.store.put("site", updated, fetched_at=session.now())
        host.notify(f"Site {site_label(updated)} saved")
        saved(updated)

    pending = PendingWrite(session, f"Edit of {site_label(site)}", site.id, site.name)
    modal = EditSiteModal(site, send, check=check, on_outcome=pending)
    host.app.push_screen(modal, callback=done)


def open_delete_site(
    host: Screen[Any], session: Session, site: Site, deleted: Callable[[Site], None]
) -> None:
    from wpe_tui.modals.confirm import TypedConfirmModal

    if not allowed(host, session, "deleting a site"):
        return
    backend = session.backend

    async def send() -> Deletion:
        return await session.write(lambda: backend.delete_site(site.id))

    done = deletion_done(host, session, "site", site, site, deleted)

    name = site_label(site)
    question = Text.assemble(
        "Delete the site ",
        (name, "bold"),
        f" ({site.id}, {dash(site.url)}) with all its environments and backups? ",
        ("This cannot be undone.", "bold red"),
    )
    check = ItemCheck(
        lambda: session.read(lambda: backend.get_site(site.id)),
        lambda now: now is None or (now.status or "").lower() == "deleting",
    )
    modal: TypedConfirmModal[Deletion] = TypedConfirmModal(
        "Delete site", question, "Delete site", name, send, check=check,
        on_outcome=PendingWrite(session, f"Delete {name}", site.id, site.name),
    )  # fmt: skip
    host.app.push_screen(modal, callback=done)
