"""`PlatformBackend`: the app's `Backend` over the WP Engine Hosting Platform API.

It implements `wpe_tui.core.backend.Backend` structurally (the wire layer does not
import the core). What each call costs, in requests:

- ``list_sites``: 1 (``GET /sites``) + 1 while the scan of ``GET /installs`` for
  installs that belong to no site is unfinished (see `SiteDirectory`).
- ``get_site``: 1 (``GET /sites/{id}``) + per install 1 (``GET /installs/{id}``, its
  status) + per install 1 (``GET /installs/{id}/usage``, kept 10 minutes) + the
  account's limits and the account list, once per session each.
- ``list_backups`` / ``list_domains``: 1 per install (per 100 items), + 1
  ``GET /sites/{id}`` if the site's installs were never seen.
- ``get_backup``: 1 when the backup's install is known, else 1 per install tried.
- ``create_backup``, ``restore_backup``, ``purge_cache``, ``copy_environment``: exactly
  one POST (+ ``GET /user`` once per session when no notification address is given).
- ``list_accounts``, ``current_user_email``: once per session.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from wpe_tui.api import models as app
from wpe_tui.api.errors import NotFoundError, UnsupportedError, ValidationError
from wpe_tui.api.platform import mapping
from wpe_tui.api.platform.client import MAX_LIMIT
from wpe_tui.api.platform.session import PLATFORM_CAPABILITIES, PlatformSession
from wpe_tui.api.wire import check_page

API = PLATFORM_CAPABILITIES.name


def _no_server_side(sort: str | None, order: str | None, status: str | None) -> None:
    if sort is not None or order is not None:
        raise UnsupportedError(API, "sort a list")
    if status is not None:
        raise UnsupportedError(API, "filter a list by status")


def _check_page(page: int, per_page: int) -> None:
    check_page(page, per_page, MAX_LIMIT)


def _page(items: Sequence[Any], page: int, per_page: int, total: int) -> app.Pagination:
    start = (page - 1) * per_page
    return app.Pagination(
        total=total,
        count=len(items[start : start + per_page]),
        per_page=per_page,
        current_page=page,
        total_pages=-(-total // per_page),
    )


class PlatformBackend(PlatformSession):
    """The app's reads and writes on the Hosting Platform API (see the module's costs).

    ``PlatformBackend(api_user, api_password, base_url=PLATFORM_BASE_URL, transport=...)``.
    """

    # -- sites -----------------------------------------------------------------------

    async def list_sites(
        self,
        *,
        page: int = 1,
        per_page: int = 10,
        sort: str | None = None,
        order: str | None = None,
        status: str | None = None,
    ) -> app.Page[app.Site]:
        """Every site of every account the credentials see, then the installs that
        belong to no site (site ID ``install:<install id>``)."""
        _no_server_side(sort, order, status)
        _check_page(page, per_page)
        return await self.directory.page(page, per_page, self._known_account_names())

    async def get_site(self, site_id: str) -> app.Site:
        orphan = mapping.orphan_install_id(site_id)
        if orphan is not None:
            install = await self.client.get_install(orphan)
            installs = [self.directory.learn_install(install)]
            name, account_id, created = (
                install.name or orphan,
                install.account.id,
                install.created_at,
            )
        else:
            item = await self.client.get_site(site_id)
            self.directory.learn_site(item)
            installs = await self._fan_out([self._install_detail(i.id) for i in item.installs])
            name, account_id, created = item.name or "", item.account.id, item.created_at
        missed: list[tuple[str, str]] = []  # parts that failed, told with the site
        usage = await self._fan_out([self._usage_of(i.id, missed) for i in installs])
        limits = await self._limits(account_id, missed)
        return mapping.site(
            site_id=site_id,
            name=name,
            installs=installs,
            account_id=account_id,
            account_names=await self._account_names(missed),
            created_at=created,
            disk_usage=mapping.disk_usage(usage, limits),
            bandwidth=mapping.bandwidth(usage, limits),
            not_read=missed,
        )

    async def site_status(self, site_id: str) -> app.Site:
        """A site's row with its installs' statuses as they are now. The site list
        carries no status, so it is read from the ``GET /installs`` pages the scan saw
        its installs on (shared by every row that follows them), else per install."""
        orphan = mapping.orphan_install_id(site_id)
        if orphan is not None:
            facts = await self._install_detail(orphan)
            return self.directory.orphan_row(facts, self._known_account_names())
        ids = self.directory.install_ids(site_id)
        if not ids:
            return await self.get_site(site_id)  # not listed yet: the whole site
        unscanned = await self.directory.refresh_installs(ids, self._monotonic())
        await self._fan_out([self._install_detail(i) for i in unscanned])
        row = self.directory.status_row(site_id, self._known_account_names())
        return row if row is not None else await self.get_site(site_id)

    async def scan_site_statuses(self) -> app.StatusScan:
        return await self.directory.scan_statuses(self._known_account_names())

    def forget_statuses(self) -> None:
        self.directory.forget_statuses()

    def listed_rows(self, site_ids: list[str]) -> list[app.Site]:
        return self.directory.listed_rows(site_ids, self._known_account_names())

    async def _install_detail(self, install_id: str) -> mapping.InstallFacts:
        try:
            return self.directory.learn_install(await self.client.get_install(install_id))
        except NotFoundError:  # gone since the site was listed: show what the site said
            return self.directory.facts(install_id)

    async def create_site(
        self,
        name: str,
        *,
        environment: str | None = None,
        php_version: str | None = None,
        wordpress_version: str | None = None,
        template: str | None = None,
    ) -> app.Site:
        raise UnsupportedError(API, "create a site")

    async def update_site(
        self,
        site_id: str,
        *,
        name: str | None = None,
        php_version: str | None = None,
        wordpress_version: str | None = None,
        status: str | None = None,
    ) -> app.Site:
        raise UnsupportedError(API, "edit a site")

    async def delete_site(self, site_id: str) -> app.Deletion:
        raise UnsupportedError(API, "delete a site")

    # -- what lives on installs: in backups.py ---------------------------------------
    # -- backups: per install ----------------------------------------------------------

    async def list_backups(
        self,
        site_id: str,
        *,
        page: int = 1,
        per_page: int = 10,
        sort: str | None = None,
        order: str | None = None,
        status: str | None = None,
    ) -> app.Page[app.Backup]:
        """The backups of the site's installs, one list per install, merged newest first
        (each install's list is read up to this page's last row)."""
        _no_server_side(sort, order, status)
        _check_page(page, per_page)
        installs = await self.directory.installs_of(site_id)
        wanted = page * per_page
        lists = await self._fan_out(
            [self.client.all_backups(i.id, at_most=wanted) for i in installs]
        )
        rows: list[app.Backup] = []
        for facts, (items, _) in zip(installs, lists, strict=True):
            for item in items:
                self._backup_install[item.id] = facts.id
                rows.append(mapping.backup(item, facts, site_id))
        rows.sort(key=_newest_first)
        total = sum(count for _, count in lists)
        start = (page - 1) * per_page
        return app.Page[app.Backup](
            results=rows[start : start + per_page], pagination=_page(rows, page, per_page, total)
        )

    async def get_backup(self, site_id: str, backup_id: str) -> app.Backup:
        install_id = self._backup_install.get(backup_id)
        if install_id is not None:
            item = await self.client.get_backup(install_id, backup_id)
            return mapping.backup(item, self.directory.facts(install_id), site_id)
        for facts in await self.directory.installs_of(site_id):
            try:
                item = await self.client.get_backup(facts.id, backup_id)
            except NotFoundError:
                continue
            self._backup_install[item.id] = facts.id
            return mapping.backup(item, facts, site_id)
        raise NotFoundError(f"Backup {backup_id} is on none of the installs of site {site_id}")

    async def create_backup(
        self,
        site_id: str,
        *,
        description: str | None = None,
        type: str | None = None,
        environment: str | None = None,
        notification_emails: Sequence[str] = (),
    ) -> app.Backup:
        """A backup of one install: ``environment`` is its install ID (or its environment
        type or name); the API requires a description and addresses to notify."""
        if type is not None:
            raise UnsupportedError(API, "choose a backup type")
        text = (description or "").strip()
        if not text:
            raise ValidationError(
                "A backup needs a description on the Hosting Platform API",
                fields={"description": ["a description is required"]},
            )
        facts = await self._install_of(site_id, environment)
        emails = await self._emails(notification_emails)
        item = await self.client.create_backup(
            facts.id, description=text, notification_emails=emails
        )
        self._backup_install[item.id] = facts.id
        return mapping.backup(item, facts, site_id)

    async def _install_of(self, site_id: str, environment: str | None) -> mapping.InstallFacts:
        installs = await self.directory.installs_of(site_id)
        if environment is None:
            if len(installs) == 1:
                return installs[0]
            raise ValidationError(
                "Choose which install (environment) to back up",
                fields={"environment": ["choose an install"]},
            )
        # The install's ID, else its environment type, else its name.
        for key in ("id", "environment", "name"):
            found = [i for i in installs if getattr(i, key) == environment]
            if len(found) == 1:
                return found[0]
        names = ", ".join(i.label for i in installs) or "none"
        raise ValidationError(
            f"This site has no install {environment!r} (it has: {names})",
            fields={"environment": [f"no such install; this site has: {names}"]},
        )

    async def restore_backup(
        self,
        site_id: str,
        backup_id: str,
        *,
        environment: str | None = None,
        contents: app.BackupContents | Mapping[str, bool] | None = None,
        restore_database: bool = True,
        create_checkpoint: bool = True,
        notification_emails: Sequence[str] = (),
    ) -> None:
        """Exactly one POST, into the backup's own install. The API accepts it (202) with
        no body: there is nothing to follow, and WP Engine emails when it is done."""
        if contents is not None:
            raise UnsupportedError(API, "choose the contents of a restore one by one")
        install_id = self._backup_install.get(backup_id)
        if install_id is None:
            install_id = (await self.get_backup(site_id, backup_id)).install_id
        assert install_id is not None
        facts = self.directory.facts(install_id)
        if environment is not None and environment not in (facts.id, facts.environment, facts.name):
            raise UnsupportedError(API, "restore a backup into another environment")
        emails = await self._emails(notification_emails)
        await self.client.restore_backup(
            install_id,
            backup_id,
            notification_emails=emails,
            restore_database=restore_database,
            create_checkpoint=create_checkpoint,
        )

    async def get_restore(self, site_id: str, backup_id: str, restore_id: str) -> app.Restore:
        raise UnsupportedError(API, "follow a restore")

    async def delete_backup(self, site_id: str, backup_id: str) -> app.Deletion:
        raise UnsupportedError(API, "delete a backup")

    # -- deployments: none on this API -------------------------------------------------

    async def list_deployments(
        self,
        site_id: str,
        *,
        page: int = 1,
        per_page: int = 10,
        sort: str | None = None,
        order: str | None = None,
        status: str | None = None,
    ) -> app.Page[app.Deployment]:
        raise UnsupportedError(API, "list deployments")

    async def get_deployment(self, site_id: str, deployment_id: str) -> app.Deployment:
        raise UnsupportedError(API, "show a deployment")

    async def create_deployment(
        self,
        site_id: str,
        *,
        environment: str,
        source: app.DeploymentSource | Mapping[str, Any],
    ) -> app.Deployment:
        raise UnsupportedError(API, "deploy")

    # -- domains, cache, copies --------------------------------------------------------

    async def list_domains(
        self, site_id: str, *, page: int = 1, per_page: int = 100
    ) -> app.Page[app.Domain]:
        """The domains of the site's installs, production's first."""
        _check_page(page, per_page)
        installs = mapping.ordered(await self.directory.installs_of(site_id))
        lists = await self._fan_out([self.client.all_domains(i.id) for i in installs])
        rows = [
            mapping.domain(item, facts)
            for facts, items in zip(installs, lists, strict=True)
            for item in items
        ]
        start = (page - 1) * per_page
        return app.Page[app.Domain](
            results=rows[start : start + per_page],
            pagination=_page(rows, page, per_page, len(rows)),
        )

    async def purge_cache(self, install_id: str, type: str) -> None:
        """One POST. The API allows one object (or "all") purge per install a minute and
        answers a 429 (`RateLimitError`) to the next one; it is not retried."""
        await self.client.purge_cache(install_id, type)

    async def copy_environment(
        self,
        source_install_id: str,
        destination_install_id: str,
        *,
        files: bool = True,
        database: bool = True,
        notification_emails: Sequence[str] = (),
    ) -> None:
        """One POST /install_copy. It overwrites the destination; the 202 has no body
        and nothing to follow: the result comes by email."""
        if not (files or database):
            raise ValidationError(
                "Copy the files, the database or both",
                fields={"contents": ["choose files, database or both"]},
            )
        if source_install_id == destination_install_id:
            raise ValidationError(
                "An environment cannot be copied onto itself",
                fields={"destination": ["choose another install than the source"]},
            )
        emails = await self._emails(notification_emails)
        await self.client.copy_install(
            source_install_id,
            destination_install_id,
            notification_emails=emails,
            include_files=files,
            include_db=database,
        )


def _newest_first(backup: app.Backup) -> tuple[float, str]:
    stamp = backup.created_at.timestamp() if backup.created_at else float("-inf")
    return (-stamp, backup.id)
