"""`Backend`: every read and write the screens need, in the user's words, and what an API
can and cannot do (`Capabilities`).

Two wire adapters implement it: `WpeClient` (the Customer API of the spec) and
`PlatformBackend` (the WP Engine Hosting Platform API). The screens see only this
protocol and the models of `wpe_tui.api.models`, never a URL or a JSON shape, so a
key the API cannot serve is hidden or explained by asking `capabilities`, not by
catching a failure.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import Any, Protocol, runtime_checkable

from wpe_tui.api.capabilities import CUSTOMER_CAPABILITIES, Capabilities
from wpe_tui.api.models import (
    Account,
    Backup,
    BackupContents,
    Deletion,
    Deployment,
    DeploymentSource,
    Domain,
    Page,
    Restore,
    Site,
    StatusScan,
)


@runtime_checkable
class Backend(Protocol):
    """The reads and writes of the app. Reads may be retried by the caller; a write is
    sent exactly once per call, and its failure is the caller's to show."""

    @property
    def capabilities(self) -> Capabilities: ...

    # Told "online", "offline" and "unauthorized" from any request, so the app can show a
    # banner or ask for new credentials wherever the user is.
    listener: Callable[[str], None] | None
    # Waited for before each HTTP request, when the API must be paced (set by the session).
    pace: Callable[[], Awaitable[None]] | None

    async def aclose(self) -> None: ...

    # -- sites ---------------------------------------------------------------

    async def list_sites(
        self,
        *,
        page: int = 1,
        per_page: int = 10,
        sort: str | None = None,
        order: str | None = None,
        status: str | None = None,
    ) -> Page[Site]: ...

    async def get_site(self, site_id: str) -> Site: ...

    async def site_status(self, site_id: str) -> Site:
        """The site as its list row shows it, to follow its status: on an API whose site
        list carries no status, fewer requests than `get_site`."""
        ...

    async def scan_site_statuses(self) -> StatusScan:
        """One step of learning the sites' statuses, on an API whose site list does not
        say them (`Capabilities.site_list_statuses` off): a request, and the rows it
        told about. Done at once elsewhere."""
        ...

    def forget_statuses(self) -> None:
        """`r` on the site list: statuses kept from earlier answers are read again."""
        ...

    def listed_rows(self, site_ids: list[str]) -> list[Site]:
        """Rows of sites listed before, as what was learnt since makes them (a status the
        list did not say, read with a later page). No request."""
        ...

    async def create_site(
        self,
        name: str,
        *,
        environment: str | None = None,
        php_version: str | None = None,
        wordpress_version: str | None = None,
        template: str | None = None,
    ) -> Site: ...

    async def update_site(
        self,
        site_id: str,
        *,
        name: str | None = None,
        php_version: str | None = None,
        wordpress_version: str | None = None,
        status: str | None = None,
    ) -> Site: ...

    async def delete_site(self, site_id: str) -> Deletion: ...

    # -- backups -------------------------------------------------------------

    async def list_backups(
        self,
        site_id: str,
        *,
        page: int = 1,
        per_page: int = 10,
        sort: str | None = None,
        order: str | None = None,
        status: str | None = None,
    ) -> Page[Backup]: ...

    async def get_backup(self, site_id: str, backup_id: str) -> Backup: ...

    async def create_backup(
        self,
        site_id: str,
        *,
        description: str | None = None,
        type: str | None = None,
        environment: str | None = None,
        notification_emails: Sequence[str] = (),
    ) -> Backup: ...

    async def restore_backup(
        self,
        site_id: str,
        backup_id: str,
        *,
        environment: str | None = None,
        contents: BackupContents | Mapping[str, bool] | None = None,
        restore_database: bool = True,
        create_checkpoint: bool = True,
        notification_emails: Sequence[str] = (),
    ) -> Restore | None:
        """The restore, or None when the API accepts it without anything to follow."""
        ...

    async def get_restore(self, site_id: str, backup_id: str, restore_id: str) -> Restore: ...

    async def delete_backup(self, site_id: str, backup_id: str) -> Deletion: ...

    # -- deployments ---------------------------------------------------------

    async def list_deployments(
        self,
        site_id: str,
        *,
        page: int = 1,
        per_page: int = 10,
        sort: str | None = None,
        order: str | None = None,
        status: str | None = None,
    ) -> Page[Deployment]: ...

    async def get_deployment(self, site_id: str, deployment_id: str) -> Deployment: ...

    async def create_deployment(
        self,
        site_id: str,
        *,
        environment: str,
        source: DeploymentSource | Mapping[str, Any],
    ) -> Deployment: ...

    # -- the Hosting Platform API's own (capabilities say which) -------------

    async def list_accounts(self) -> list[Account]: ...

    async def current_user_email(self) -> str | None: ...

    async def list_domains(
        self, site_id: str, *, page: int = 1, per_page: int = 100
    ) -> Page[Domain]: ...

    async def purge_cache(self, install_id: str, type: str) -> None: ...

    async def copy_environment(
        self,
        source_install_id: str,
        destination_install_id: str,
        *,
        files: bool = True,
        database: bool = True,
        notification_emails: Sequence[str] = (),
    ) -> None: ...


__all__ = ["CUSTOMER_CAPABILITIES", "Backend", "Capabilities"]
