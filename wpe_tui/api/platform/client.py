"""`PlatformClient`: one async method per Hosting Platform API endpoint the app uses.

The wire rules: HTTP Basic auth with the API user ID and password; lists paged with
``limit`` (at most 100) and ``offset``, ``count`` being the total; ``next`` followed
only when it points at the configured base URL, else the next page is rebuilt from
the offset, so no request ever goes to another host. GETs are retried on 5xx and
network errors; a 429 is raised at once (the app's scheduler honours Retry-After in
one place) and writes are sent exactly once.
"""

from __future__ import annotations

import base64
from collections.abc import Mapping, Sequence
from typing import TypeVar, Unpack
from urllib.parse import parse_qsl, urlsplit

from pydantic import BaseModel, SecretStr

from wpe_tui.api.client import check_base_url
from wpe_tui.api.errors import AuthError, DecodeError, ValidationError
from wpe_tui.api.models import UNREADABLE
from wpe_tui.api.platform import models as wire
from wpe_tui.api.platform.errors import PLATFORM_ERRORS
from wpe_tui.api.wire import Params, Wire, WireClient, WireOptions, check_count, segment

PLATFORM_BASE_URL = "https://api.wpengineapi.com/v1"
MAX_LIMIT = 100
PURGE_TYPES = ("object", "page", "cdn", "all")

M = TypeVar("M", bound=BaseModel)
T = TypeVar("T", bound=BaseModel)


def placeholder(scope: str | None) -> str:
    """The ID of an unreadable list item that has none: ``unreadable-<n>`` (its place on
    the list, from 1), or ``unreadable-<install ID>-<n>`` on a list of one install's."""
    return f"{UNREADABLE}-{scope}" if scope else UNREADABLE


def _default_port(scheme: str) -> int:
    return 443 if scheme == "https" else 80


class PlatformClient(WireClient):
    """An async context manager over one `httpx.AsyncClient`, with Basic credentials."""

    def __init__(
        self,
        api_user: str,
        api_password: str | SecretStr,
        base_url: str = PLATFORM_BASE_URL,
        **options: Unpack[WireOptions],
    ) -> None:
        password = (
            api_password.get_secret_value() if isinstance(api_password, SecretStr) else api_password
        )
        user = (api_user or "").strip()
        if not user or not password:
            raise AuthError("No API user and password are configured")
        token = base64.b64encode(f"{user}:{password}".encode()).decode("ascii")
        wire = Wire(
            check_base_url(base_url),
            authorization=f"Basic {token}",
            # Whatever a server might echo back: the password, the pair, or the token.
            secrets=[password, f"{user}:{password}", token],
            error_for=PLATFORM_ERRORS,
            **options,
        )
        super().__init__(wire)

    # -- the API, one method per endpoint ------------------------------------------

    async def status(self) -> wire.Status:
        return self._parse(wire.Status, await self._get("status"))

    async def current_user(self) -> wire.User:
        return self._parse(wire.User, await self._get("user"))

    async def list_accounts(
        self, *, limit: int = MAX_LIMIT, offset: int = 0
    ) -> wire.Page[wire.Account]:
        return await self._page(wire.Page[wire.Account], "accounts", limit, offset)

    async def get_account(self, account_id: str) -> wire.Account:
        return self._parse(wire.Account, await self._get(f"accounts/{segment(account_id)}"))

    async def get_account_limits(self, account_id: str) -> wire.AccountLimits:
        path = f"accounts/{segment(account_id)}/limits"
        return self._parse(wire.AccountLimits, await self._get(path))

    async def get_account_usage_summary(self, account_id: str) -> wire.UsageMetricsRollup:
        path = f"accounts/{segment(account_id)}/usage/summary"
        return self._parse(wire.UsageMetricsRollup, await self._get(path))

    async def list_sites(
        self, *, limit: int = MAX_LIMIT, offset: int = 0, account_id: str | None = None
    ) -> wire.Page[wire.Site]:
        extra = {"account_id": account_id} if account_id else {}
        return await self._page(wire.Page[wire.Site], "sites", limit, offset, extra)

    async def get_site(self, site_id: str) -> wire.Site:
        return self._parse(wire.Site, await self._get(f"sites/{segment(site_id)}"))

    async def list_installs(
        self, *, limit: int = MAX_LIMIT, offset: int = 0, account_id: str | None = None
    ) -> wire.Page[wire.Installation]:
        extra = {"account_id": account_id} if account_id else {}
        return await self._page(wire.Page[wire.Installation], "installs", limit, offset, extra)

    async def get_install(self, install_id: str) -> wire.Installation:
        path = f"installs/{segment(install_id)}"
        return self._parse(wire.Installation, await self._get(path))

    async def get_install_usage(self, install_id: str) -> wire.InstallDailyUsageMetricsSeries:
        """The last 30 days of the install's daily usage, newest first."""
        path = f"installs/{segment(install_id)}/usage"
        return self._parse(wire.InstallDailyUsageMetricsSeries, await self._get(path))

    async def list_domains(
        self, install_id: str, *, limit: int = MAX_LIMIT, offset: int = 0
    ) -> wire.Page[wire.Domain]:
        path = f"installs/{segment(install_id)}/domains"
        return await self._page(wire.Page[wire.Domain], path, limit, offset, scope=install_id)

    async def get_domain(self, install_id: str, domain_id: str) -> wire.Domain:
        path = f"installs/{segment(install_id)}/domains/{segment(domain_id)}"
        return self._parse(wire.Domain, await self._get(path))

    async def list_backups(
        self, install_id: str, *, limit: int = MAX_LIMIT, offset: int = 0
    ) -> wire.Page[wire.Backup]:
        path = f"installs/{segment(install_id)}/backups"
        return await self._page(wire.Page[wire.Backup], path, limit, offset, scope=install_id)

    async def get_backup(self, install_id: str, backup_id: str) -> wire.Backup:
        path = f"installs/{segment(install_id)}/backups/{segment(backup_id)}"
        return self._parse(wire.Backup, await self._get(path))

    async def create_backup(
        self, install_id: str, *, description: str, notification_emails: Sequence[str]
    ) -> wire.Backup:
        body = {"description": description, "notification_emails": list(notification_emails)}
        path = f"installs/{segment(install_id)}/backups"
        answer = await self._write("POST", path, body)
        if answer is None:
            raise DecodeError(
                f"POST /{path}: the API accepted the backup but sent no details of it; "
                "it will show in the list (do not request it again)"
            )
        return self._parse(wire.Backup, answer)

    async def restore_backup(
        self,
        install_id: str,
        backup_id: str,
        *,
        notification_emails: Sequence[str],
        restore_database: bool = True,
        create_checkpoint: bool = True,
    ) -> None:
        """Accepted (202) with no body: WP Engine emails the addresses when it is done."""
        body = {
            "notification_emails": list(notification_emails),
            "restore_database": restore_database,
            "create_checkpoint": create_checkpoint,
        }
        path = f"installs/{segment(install_id)}/backups/{segment(backup_id)}/restore"
        await self._write("POST", path, body)

    async def purge_cache(self, install_id: str, type: str) -> None:
        if type not in PURGE_TYPES:
            raise ValidationError(
                f"The cache to purge is one of {', '.join(PURGE_TYPES)}, not {type!r}",
                fields={"type": [f"one of {', '.join(PURGE_TYPES)}"]},
            )
        await self._write("POST", f"installs/{segment(install_id)}/purge_cache", {"type": type})

    async def copy_install(
        self,
        source_install_id: str,
        destination_install_id: str,
        *,
        notification_emails: Sequence[str] = (),
        include_files: bool = True,
        include_db: bool = True,
    ) -> None:
        """Accepted (202) with no body and nothing to follow: the result comes by email."""
        body = {
            "source_environment_id": source_install_id,
            "destination_environment_id": destination_install_id,
            "notification_emails": list(notification_emails),
            "custom_options": {"include_files": include_files, "include_db": include_db},
        }
        await self._write("POST", "install_copy", body)

    async def all_accounts(self) -> list[wire.Account]:
        items, _ = await self.collect(wire.Page[wire.Account], "accounts")
        return items

    async def all_backups(
        self, install_id: str, *, at_most: int | None = None
    ) -> tuple[list[wire.Backup], int]:
        """The install's backups (the first ``at_most`` of them) and how many it has."""
        path = f"installs/{segment(install_id)}/backups"
        return await self.collect(wire.Page[wire.Backup], path, at_most=at_most, scope=install_id)

    async def all_domains(self, install_id: str) -> list[wire.Domain]:
        path = f"installs/{segment(install_id)}/domains"
        items, _ = await self.collect(wire.Page[wire.Domain], path, scope=install_id)
        return items

    # -- every page of a list --------------------------------------------------------

    async def collect(
        self,
        model: type[wire.Page[T]],
        path: str,
        *,
        extra: Mapping[str, str] | None = None,
        at_most: int | None = None,
        scope: str | None = None,
    ) -> tuple[list[T], int]:
        """The items of a list, page after page (100 at a time), and its ``count``.

        Stops after ``at_most`` items. ``next`` is followed only when it points at this
        client's base URL and the same path; otherwise the next page is rebuilt from
        the offset, so the credentials never go to another host. Items that cannot be
        read are marked so (see `placeholder` for those without an ID of their own).
        """
        extra = dict(extra or {})
        items: list[T] = []
        request: tuple[str, Params] = (path, {**extra, "limit": MAX_LIMIT, "offset": 0})
        total: int | None = None
        for _ in range(10_000):  # a server whose pages never end must not loop us forever
            payload = await self._get(*request)
            page = self._parse(model, payload, placeholder=placeholder(scope), start=len(items))
            total = page.count if page.count is not None else total
            items.extend(page.results)
            done = not page.results or page.next is None
            if done or (total is not None and len(items) >= total):
                break
            if at_most is not None and len(items) >= at_most:
                break
            request = self._follow(page.next, path) or (
                path,
                {**extra, "limit": MAX_LIMIT, "offset": len(items)},
            )
        return items, total if total is not None else len(items)

    def _follow(self, url: str | None, path: str) -> tuple[str, Params] | None:
        """(path, query) of a ``next`` URL on this base URL and path, else None."""
        if not url:
            return None
        there, here = urlsplit(url), urlsplit(self.base_url)
        if there.scheme != here.scheme or there.hostname != here.hostname:
            return None
        if (there.port or _default_port(there.scheme)) != (here.port or _default_port(here.scheme)):
            return None
        if there.path.rstrip("/") != f"{here.path.rstrip('/')}/{path}":
            return None
        return path, dict(parse_qsl(there.query))

    # -- plumbing --------------------------------------------------------------------

    async def _page(
        self,
        model: type[M],
        path: str,
        limit: int,
        offset: int,
        extra: Mapping[str, str] | None = None,
        *,
        scope: str | None = None,
    ) -> M:
        check_count("limit", limit, 0, MAX_LIMIT)
        check_count("offset", offset, 0)
        params: dict[str, str | int] = {**(extra or {}), "limit": limit, "offset": offset}
        payload = await self._get(path, params)
        return self._parse(model, payload, placeholder=placeholder(scope), start=offset)
