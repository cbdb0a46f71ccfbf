"""`WpeClient`: one async method per endpoint of the WP Engine Customer API."""

from __future__ import annotations

import ipaddress
from collections.abc import Mapping, Sequence
from typing import Any, Unpack
from urllib.parse import urlsplit

from pydantic import SecretStr
from pydantic import ValidationError as PydanticValidationError

from wpe_tui.api.capabilities import CUSTOMER_CAPABILITIES, Capabilities
from wpe_tui.api.errors import AuthError, InsecureUrlError, UnsupportedError, ValidationError
from wpe_tui.api.models import (
    UNREADABLE,
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
from wpe_tui.api.wire import ErrorWords, Wire, WireClient, WireOptions, check_page, segment

DEFAULT_BASE_URL = "https://wpengineapi.com/v1"
CUSTOMER_API = CUSTOMER_CAPABILITIES.name
MAX_PER_PAGE = 100
CUSTOMER_ERRORS = ErrorWords(
    unauthorized="the API key was refused", forbidden="the API key lacks permission"
)


def is_loopback_host(host: str) -> bool:
    host = host.strip("[]").lower()
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_base_url(base_url: str) -> str:
    """The base URL without a trailing slash, or an error saying why it cannot be used.

    The key travels in a header on every request, so plain http is allowed only
    to this machine.
    """
    parts = urlsplit(base_url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise InsecureUrlError(f"{base_url!r} is not an http(s) URL with a host")
    if parts.scheme == "http" and not is_loopback_host(parts.hostname):
        raise InsecureUrlError(
            f"Refusing to send the API key over plain http to {parts.hostname}; use https "
            "(plain http is allowed only to this machine)"
        )
    return base_url.strip().rstrip("/")


def _without_none(**fields: Any) -> dict[str, Any]:
    return {k: v for k, v in fields.items() if v is not None}


class WpeClient(WireClient):
    """An async context manager over one `httpx.AsyncClient` (see `Wire`).

    GETs are retried on 5xx and network errors with capped exponential backoff and
    jitter. A 429 is raised at once with its Retry-After: the app's scheduler waits
    it out and holds background work meanwhile. POST, PUT and DELETE are sent
    exactly once: a restore must never run twice because a reply was lost.
    """

    def __init__(
        self,
        api_key: str | SecretStr,
        base_url: str = DEFAULT_BASE_URL,
        **options: Unpack[WireOptions],
    ) -> None:
        key = api_key.get_secret_value() if isinstance(api_key, SecretStr) else api_key
        if not key or not key.strip():
            raise AuthError("No API key is configured")
        wire = Wire(
            check_base_url(base_url),
            authorization=f"ApiKey {key.strip()}",
            secrets=[key.strip()],
            error_for=CUSTOMER_ERRORS,
            **options,
        )
        super().__init__(wire)

    @property
    def capabilities(self) -> Capabilities:
        return CUSTOMER_CAPABILITIES

    # -- sites -------------------------------------------------------------

    async def list_sites(
        self,
        *,
        page: int = 1,
        per_page: int = 10,
        sort: str | None = None,
        order: str | None = None,
        status: str | None = None,
    ) -> Page[Site]:
        params = self._list_params(page, per_page, sort, order, status)
        payload = await self._get("sites", params)
        return self._parse(Page[Site], payload, placeholder=f"{UNREADABLE}-{page}")

    async def get_site(self, site_id: str) -> Site:
        return self._parse(Site, await self._get(f"sites/{segment(site_id)}"))

    async def site_status(self, site_id: str) -> Site:
        return await self.get_site(site_id)  # its list carries statuses: pages are followed

    async def scan_site_statuses(self) -> StatusScan:
        return StatusScan(rows=[], read=0, total=None, done=True)  # its rows carry theirs

    def forget_statuses(self) -> None:
        pass  # nothing kept: each page says its sites' statuses

    def listed_rows(self, site_ids: list[str]) -> list[Site]:
        return []  # a row says all its page said: nothing learnt since

    async def create_site(
        self,
        name: str,
        *,
        environment: str | None = None,
        php_version: str | None = None,
        wordpress_version: str | None = None,
        template: str | None = None,
    ) -> Site:
        if not name.strip():
            raise ValidationError("A site needs a name", fields={"name": ["name is required"]})
        body = _without_none(
            name=name,
            environment=environment,
            php_version=php_version,
            wordpress_version=wordpress_version,
            template=template,
        )
        return self._parse(Site, await self._write("POST", "sites", body))

    async def update_site(
        self,
        site_id: str,
        *,
        name: str | None = None,
        php_version: str | None = None,
        wordpress_version: str | None = None,
        status: str | None = None,
    ) -> Site:
        body = _without_none(
            name=name, php_version=php_version, wordpress_version=wordpress_version, status=status
        )
        path = f"sites/{segment(site_id)}"
        return self._parse(Site, await self._write("PUT", path, body))

    async def delete_site(self, site_id: str) -> Deletion:
        path = f"sites/{segment(site_id)}"
        return self._parse(Deletion, await self._write("DELETE", path, None))

    # -- backups -----------------------------------------------------------

    async def list_backups(
        self,
        site_id: str,
        *,
        page: int = 1,
        per_page: int = 10,
        sort: str | None = None,
        order: str | None = None,
        status: str | None = None,
    ) -> Page[Backup]:
        params = self._list_params(page, per_page, sort, order, status)
        path = f"sites/{segment(site_id)}/backups"
        placeholder = f"{UNREADABLE}-{site_id}-{page}"
        return self._parse(Page[Backup], await self._get(path, params), placeholder=placeholder)

    async def get_backup(self, site_id: str, backup_id: str) -> Backup:
        path = f"sites/{segment(site_id)}/backups/{segment(backup_id)}"
        return self._parse(Backup, await self._get(path))

    async def create_backup(
        self,
        site_id: str,
        *,
        description: str | None = None,
        type: str | None = None,
        environment: str | None = None,
        notification_emails: Sequence[str] = (),
    ) -> Backup:
        """A backup of the site (the Customer API backs up the whole site: `environment`
        and `notification_emails` are not part of its request)."""
        if type is not None and type not in ("full", "database"):
            raise ValidationError(
                "A backup's type is full or database", fields={"type": ["must be full or database"]}
            )
        body = _without_none(description=description, type=type)
        path = f"sites/{segment(site_id)}/backups"
        return self._parse(Backup, await self._write("POST", path, body))

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
    ) -> Restore:
        """`restore_database`, `create_checkpoint` and `notification_emails` are the
        Hosting Platform API's; the Customer API chooses contents one by one instead."""
        flags: BackupContents | None
        try:
            flags = (
                BackupContents.from_mapping(contents) if isinstance(contents, Mapping) else contents
            )
        except ValueError as error:
            raise ValidationError(str(error), fields={"contents": [str(error)]}) from None
        if flags is not None and not flags.selected():
            raise ValidationError(
                "Choose at least one of database, files, plugins and themes to restore",
                fields={"contents": ["choose at least one"]},
            )
        body = _without_none(
            environment=environment, contents=flags.model_dump() if flags else None
        )
        path = f"sites/{segment(site_id)}/backups/{segment(backup_id)}/restore"
        return self._parse(Restore, await self._write("POST", path, body))

    async def get_restore(self, site_id: str, backup_id: str, restore_id: str) -> Restore:
        """Not in the spec: an API that offers it lets a restore be followed to the end.

        A `NotFoundError` means the API has no such endpoint (or forgot the
        restore); callers then fall back to the estimated completion time.
        """
        path = (
            f"sites/{segment(site_id)}/backups/{segment(backup_id)}/restores/{segment(restore_id)}"
        )
        return self._parse(Restore, await self._get(path))

    async def delete_backup(self, site_id: str, backup_id: str) -> Deletion:
        path = f"sites/{segment(site_id)}/backups/{segment(backup_id)}"
        return self._parse(Deletion, await self._write("DELETE", path, None))

    # -- deployments -------------------------------------------------------

    async def list_deployments(
        self,
        site_id: str,
        *,
        page: int = 1,
        per_page: int = 10,
        sort: str | None = None,
        order: str | None = None,
        status: str | None = None,
    ) -> Page[Deployment]:
        params = self._list_params(page, per_page, sort, order, status)
        path = f"sites/{segment(site_id)}/deployments"
        placeholder = f"{UNREADABLE}-{site_id}-{page}"
        payload = await self._get(path, params)
        return self._parse(Page[Deployment], payload, placeholder=placeholder)

    async def get_deployment(self, site_id: str, deployment_id: str) -> Deployment:
        path = f"sites/{segment(site_id)}/deployments/{segment(deployment_id)}"
        return self._parse(Deployment, await self._get(path))

    async def create_deployment(
        self,
        site_id: str,
        *,
        environment: str,
        source: DeploymentSource | Mapping[str, Any],
    ) -> Deployment:
        if isinstance(source, Mapping):
            try:
                source = DeploymentSource.model_validate(dict(source))
            except PydanticValidationError as error:
                detail = error.errors()[0]
                where = "source." + ".".join(str(part) for part in detail["loc"])
                message = f"{where}: {detail['msg']}"
                raise ValidationError(message, fields={where: [detail["msg"]]}) from None
        problems = source.missing_fields()
        if not environment or not environment.strip():
            problems["environment"] = ["environment is required"]
        if problems:
            first = next(iter(problems.values()))[0]
            raise ValidationError(first[0].upper() + first[1:], fields=problems)
        if source.type == "git":
            wire = _without_none(
                type="git", repository=source.repository, branch=source.branch, commit=source.commit
            )
        else:
            wire = {"type": "zip", "zip_url": source.zip_url}
        body = {"environment": environment, "source": wire}
        path = f"sites/{segment(site_id)}/deployments"
        return self._parse(Deployment, await self._write("POST", path, body))

    # -- what only the Hosting Platform API has ------------------------------

    async def list_accounts(self) -> list[Account]:
        return []  # the key belongs to one account, which has no name in this API

    async def current_user_email(self) -> str | None:
        return None

    async def list_domains(
        self, site_id: str, *, page: int = 1, per_page: int = 100
    ) -> Page[Domain]:
        raise UnsupportedError(CUSTOMER_API, "list domains")

    async def purge_cache(self, install_id: str, type: str) -> None:
        raise UnsupportedError(CUSTOMER_API, "purge a cache")

    async def copy_environment(
        self,
        source_install_id: str,
        destination_install_id: str,
        *,
        files: bool = True,
        database: bool = True,
        notification_emails: Sequence[str] = (),
    ) -> None:
        raise UnsupportedError(CUSTOMER_API, "copy an environment")

    # -- plumbing ----------------------------------------------------------

    @staticmethod
    def _list_params(
        page: int, per_page: int, sort: str | None, order: str | None, status: str | None
    ) -> dict[str, str | int]:
        check_page(page, per_page, MAX_PER_PAGE)
        if order is not None and order not in ("asc", "desc"):
            raise ValidationError(
                f"order must be asc or desc, not {order!r}", fields={"order": ["asc or desc"]}
            )
        params: dict[str, str | int] = {"page": page, "per_page": per_page}
        params |= _without_none(sort=sort, order=order, status=status)
        return params
