"""Installs (Hosting Platform API): the environments of a site, shown in its Overview;
their actions are purging a cache and copying one onto another."""

from __future__ import annotations

from typing import Any

from textual.screen import Screen

from wpe_tui.api import ApiError, Environment, RateLimitError, Site
from wpe_tui.core.session import Session
from wpe_tui.kinds.actions import FieldNotes, PendingWrite, allowed, open_with_emails, record
from wpe_tui.kinds.base import Fact, KindUI
from wpe_tui.kinds.cells import status_text
from wpe_tui.text import clean, dash


class InstallUI(KindUI):
    name = "install"
    mutating = {"purge": "purging a cache", "copy_environment": "copying an environment"}

    def facts(self, item: Any) -> list[Fact]:
        env: Environment = item
        return [
            ("Environment", dash(env.name)),
            ("Install", dash(env.install_name)),
            ("Domain", dash(env.primary_domain or env.cname)),
            ("PHP", dash(env.php_version)),
            ("Status", status_text(env.status)),
        ]


class _Sent:
    """What a write with an empty answer (202) is recorded as."""

    def __init__(self, item_id: str, status: str = "sent") -> None:
        self.id = item_id
        self.status = status


def _install_name(site: Site, install_id: str) -> str:
    for env in site.environments:
        if env.install_id == install_id:
            return clean(env.install_name or env.name or install_id)
    return install_id


def open_purge_cache(host: Screen[Any], session: Session, site: Site) -> None:
    from wpe_tui.modals.install import PurgeCacheModal

    if not allowed(host, session, "purging a cache"):
        return
    backend = session.backend

    async def send(install_id: str, type: str) -> str:
        try:
            await session.write(lambda: backend.purge_cache(install_id, type))
        except RateLimitError as error:
            # Its own answer, shown in the modal; the app does not send it again.
            raise ApiError(
                f"The API allows one object-cache purge per environment a minute: try again "
                f"in about a minute ({error.message})",
                status=429,
            ) from None
        caches = "every cache" if type == "all" else f"the {type} cache"
        return f"{caches} of {_install_name(site, install_id)}"

    def done(what: str | None) -> None:
        if what is not None:
            host.notify(f"Purged {what}")

    pending = PendingWrite(session, f"Cache purge of {clean(site.name)}", site.id, site.name)
    host.app.push_screen(PurgeCacheModal(site, send, on_outcome=pending), callback=done)


def open_copy_environment(host: Screen[Any], session: Session, site: Site) -> None:
    from wpe_tui.modals.install import CopyEnvironmentModal

    if not allowed(host, session, "copying an environment"):
        return
    backend = session.backend

    async def send(**copy: Any) -> tuple[str, str]:
        await session.write(lambda: backend.copy_environment(**copy))
        return copy["source_install_id"], copy["destination_install_id"]

    def done(ends: tuple[str, str] | None) -> None:
        if ends is None:
            return
        source, destination = (_install_name(site, i) for i in ends)
        record(
            session, "copy", "install", _Sent(destination), site_id=site.id, site_name=site.name,
            detail=f"{source} → {destination}", followable=False, default_status="sent",
        )  # fmt: skip
        host.notify(
            f"Copy of {source} onto {destination} sent. The API gives nothing to follow: "
            "WP Engine emails when it is done."
        )

    pending = PendingWrite(
        session, f"Copy of an environment of {clean(site.name)}", site.id, site.name
    )

    def push(emails: list[str]) -> FieldNotes:
        modal = CopyEnvironmentModal(site, send, emails, on_outcome=pending)
        host.app.push_screen(modal, callback=done)
        return modal

    open_with_emails(host, session, push)
