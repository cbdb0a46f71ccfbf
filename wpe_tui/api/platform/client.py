"""`PlatformClient`: one async method per Hosting Platform API endpoint the app uses.

The wire rules: HTTP Basic auth with the API user ID and password; lists paged with
``limit`` (at most 100) and ``offset``, ``count`` being the total; ``next`` followed
only when it points at the configured base URL, else the next page is rebuilt from
the offset, so no request ever goes to another host. GETs are retried on 5xx and
network errors; a 429 is raised at once (the app's scheduler honours Retry-After in
one place) and writes are sent exactly once.
"""

from __future__ import annotations

import asyncio
import base64
import json
import random
from collections.abc import Awaitable, Callable, Mapping, Sequence
from types import TracebackType
from typing import Any, Self, TypeVar
from urllib.parse import parse_qsl, quote, urlsplit

import httpx
from pydantic import BaseModel, SecretStr
from pydantic import ValidationError as PydanticValidationError

from wpe_tui import __version__
from wpe_tui.api.client import check_base_url
from wpe_tui.api.errors import (
    AuthError,
    DecodeError,
    NetworkError,
    ServerError,
    ValidationError,
)
from wpe_tui.api.platform import models as wire
from wpe_tui.api.platform.errors import error_for

PLATFORM_BASE_URL = "https://api.wpengineapi.com/v1"
MAX_LIMIT = 100
PURGE_TYPES = ("object", "page", "cdn", "all")

M = TypeVar("M", bound=BaseModel)
T = TypeVar("T", bound=BaseModel)
Sleep = Callable[[float], Awaitable[None]]
Params = Mapping[str, str | int]


def _segment(value: str) -> str:
    # IDs come from the server or the user; quoting keeps one from changing the path.
    return quote(value, safe="")


def _default_port(scheme: str) -> int:
    return 443 if scheme == "https" else 80


class PlatformClient:
    """An async context manager over one `httpx.AsyncClient`, with Basic credentials."""

    def __init__(
        self,
        api_user: str,
        api_password: str | SecretStr,
        base_url: str = PLATFORM_BASE_URL,
        *,
        transport: httpx.AsyncBaseTransport | None = None,
        connect_timeout: float = 5.0,
        read_timeout: float = 20.0,
        max_retries: int = 3,
        backoff_base: float = 0.5,
        backoff_cap: float = 8.0,
        sleep: Sleep = asyncio.sleep,
    ) -> None:
        password = (
            api_password.get_secret_value() if isinstance(api_password, SecretStr) else api_password
        )
        user = (api_user or "").strip()
        if not user or not password:
            raise AuthError("No API user and password are configured")
        self.base_url = check_base_url(base_url)
        self._max_retries = max_retries
        self._backoff_base = backoff_base
        self._backoff_cap = backoff_cap
        self._sleep = sleep
        self._random = random.Random()  # jitter only; no security meaning
        self.requests_sent = 0
        # Told "online", "offline" (no answer after the retries) and "unauthorized" (a 401).
        self.listener: Callable[[str], None] | None = None
        token = base64.b64encode(f"{user}:{password}".encode()).decode("ascii")
        # Whatever a server might echo back: the password, the pair, or the header's token.
        self._secrets = tuple(
            SecretStr(s) for s in sorted({password, f"{user}:{password}", token}, key=len)[::-1]
        )
        self._http = httpx.AsyncClient(
            base_url=self.base_url + "/",
            transport=transport,
            headers={
                "Authorization": f"Basic {token}",
                "Accept": "application/json",
                "User-Agent": f"wpe-tui/{__version__}",
            },
            timeout=httpx.Timeout(read_timeout, connect=connect_timeout),
            follow_redirects=False,
        )

    def __repr__(self) -> str:
        return f"PlatformClient(base_url={self.base_url!r})"

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        await self._http.aclose()

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
        return self._parse(wire.Account, await self._get(f"accounts/{_segment(account_id)}"))

    async def get_account_limits(self, account_id: str) -> wire.AccountLimits:
        path = f"accounts/{_segment(account_id)}/limits"
        return self._parse(wire.AccountLimits, await self._get(path))

    async def get_account_usage_summary(self, account_id: str) -> wire.UsageMetricsRollup:
        path = f"accounts/{_segment(account_id)}/usage/summary"
        return self._parse(wire.UsageMetricsRollup, await self._get(path))

    async def list_sites(
        self, *, limit: int = MAX_LIMIT, offset: int = 0, account_id: str | None = None
    ) -> wire.Page[wire.Site]:
        extra = {"account_id": account_id} if account_id else {}
        return await self._page(wire.Page[wire.Site], "sites", limit, offset, extra)

    async def get_site(self, site_id: str) -> wire.Site:
        return self._parse(wire.Site, await self._get(f"sites/{_segment(site_id)}"))

    async def list_installs(
        self, *, limit: int = MAX_LIMIT, offset: int = 0, account_id: str | None = None
    ) -> wire.Page[wire.Installation]:
        extra = {"account_id": account_id} if account_id else {}
        return await self._page(wire.Page[wire.Installation], "installs", limit, offset, extra)

    async def get_install(self, install_id: str) -> wire.Installation:
        path = f"installs/{_segment(install_id)}"
        return self._parse(wire.Installation, await self._get(path))

    async def get_install_usage(self, install_id: str) -> wire.InstallDailyUsageMetricsSeries:
        """The last 30 days of the install's daily usage, newest first."""
        path = f"installs/{_segment(install_id)}/usage"
        return self._parse(wire.InstallDailyUsageMetricsSeries, await self._get(path))

    async def list_domains(
        self, install_id: str, *, limit: int = MAX_LIMIT, offset: int = 0
    ) -> wire.Page[wire.Domain]:
        path = f"installs/{_segment(install_id)}/domains"
        return await self._page(wire.Page[wire.Domain], path, limit, offset)

    async def get_domain(self, install_id: str, domain_id: str) -> wire.Domain:
        path = f"installs/{_segment(install_id)}/domains/{_segment(domain_id)}"
        return self._parse(wire.Domain, await self._get(path))

    async def list_backups(
        self, install_id: str, *, limit: int = MAX_LIMIT, offset: int = 0
    ) -> wire.Page[wire.Backup]:
        path = f"installs/{_segment(install_id)}/backups"
        return await self._page(wire.Page[wire.Backup], path, limit, offset)

    async def get_backup(self, install_id: str, backup_id: str) -> wire.Backup:
        path = f"installs/{_segment(install_id)}/backups/{_segment(backup_id)}"
        return self._parse(wire.Backup, await self._get(path))

    async def create_backup(
        self, install_id: str, *, description: str, notification_emails: Sequence[str]
    ) -> wire.Backup:
        body = {"description": description, "notification_emails": list(notification_emails)}
        path = f"installs/{_segment(install_id)}/backups"
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
        path = f"installs/{_segment(install_id)}/backups/{_segment(backup_id)}/restore"
        await self._write("POST", path, body)

    async def purge_cache(self, install_id: str, type: str) -> None:
        if type not in PURGE_TYPES:
            raise ValidationError(
                f"The cache to purge is one of {', '.join(PURGE_TYPES)}, not {type!r}",
                fields={"type": [f"one of {', '.join(PURGE_TYPES)}"]},
            )
        await self._write("POST", f"installs/{_segment(install_id)}/purge_cache", {"type": type})

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
        path = f"installs/{_segment(install_id)}/backups"
        return await self.collect(wire.Page[wire.Backup], path, at_most=at_most)

    async def all_domains(self, install_id: str) -> list[wire.Domain]:
        path = f"installs/{_segment(install_id)}/domains"
        items, _ = await self.collect(wire.Page[wire.Domain], path)
        return items

    # -- every page of a list --------------------------------------------------------

    async def collect(
        self,
        model: type[wire.Page[T]],
        path: str,
        *,
        extra: Mapping[str, str] | None = None,
        at_most: int | None = None,
    ) -> tuple[list[T], int]:
        """The items of a list, page after page (100 at a time), and its ``count``.

        Stops after ``at_most`` items. ``next`` is followed only when it points at this
        client's base URL and the same path; otherwise the next page is rebuilt from
        the offset, so the credentials never go to another host.
        """
        extra = dict(extra or {})
        items: list[T] = []
        request: tuple[str, Params] = (path, {**extra, "limit": MAX_LIMIT, "offset": 0})
        total: int | None = None
        for _ in range(10_000):  # a server whose pages never end must not loop us forever
            page = self._parse(model, await self._get(*request))
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
    ) -> M:
        if not 0 <= limit <= MAX_LIMIT:
            raise ValidationError(
                f"limit must be between 0 and {MAX_LIMIT}, not {limit}",
                fields={"limit": [f"must be between 0 and {MAX_LIMIT}"]},
            )
        if offset < 0:
            raise ValidationError(
                f"offset must be 0 or more, not {offset}", fields={"offset": ["must be 0 or more"]}
            )
        params: dict[str, str | int] = {**(extra or {}), "limit": limit, "offset": offset}
        return self._parse(model, await self._get(path, params))

    def _parse(self, model: type[M], payload: Any) -> M:
        try:
            return model.model_validate(payload)
        except PydanticValidationError as error:
            detail = error.errors()[0]
            where = ".".join(str(part) for part in detail["loc"]) or "body"
            raise DecodeError(
                f"Unexpected response shape from the API ({where}: {detail['msg']})"
            ) from None

    async def _get(self, path: str, params: Params | None = None) -> Any:
        attempt = 0
        while True:
            try:
                return await self._send("GET", path, params=params)
            except (ServerError, NetworkError) as error:
                if attempt >= self._max_retries:
                    if isinstance(error, NetworkError):
                        self._tell("offline")
                    raise
                ceiling = min(self._backoff_cap, self._backoff_base * 2**attempt)
                attempt += 1
                await self._sleep(self._random.uniform(ceiling / 2, ceiling))

    async def _write(self, method: str, path: str, body: Mapping[str, Any]) -> Any:
        # Never retried: a restore or a copy must not run twice because an answer was lost.
        try:
            return await self._send(method, path, json_body=body)
        except NetworkError:
            self._tell("offline")
            raise

    def _tell(self, event: str) -> None:
        if self.listener is not None:
            self.listener(event)

    async def _send(
        self,
        method: str,
        path: str,
        *,
        params: Params | None = None,
        json_body: Mapping[str, Any] | None = None,
    ) -> Any:
        label = f"{method} /{path}"
        self.requests_sent += 1
        try:
            response = await self._http.request(method, path, params=params, json=json_body)
        except httpx.TimeoutException:
            raise NetworkError(f"{label}: the API did not answer in time") from None
        except httpx.TransportError as error:
            reason = type(error).__name__
            raise NetworkError(f"{label}: could not reach {self.base_url} ({reason})") from None
        self._tell("online")  # any answer at all means the network is back
        if response.status_code == 401:
            self._tell("unauthorized")
        if response.is_success:
            if not response.content.strip() and response.status_code in (202, 204):
                return None  # accepted, and nothing more to say
            try:
                return response.json()
            except (json.JSONDecodeError, UnicodeDecodeError):
                raise DecodeError(
                    f"{label}: the API answered {response.status_code} with something "
                    "that is not JSON",
                    status=response.status_code,
                ) from None
        failure = error_for(label, response)
        # A server that echoes the credentials back must not make them leak.
        failure.message = self._redact(failure.message)
        failure.args = (failure.message,)
        if isinstance(failure, ValidationError):
            failure.fields = {k: [self._redact(m) for m in v] for k, v in failure.fields.items()}
        raise failure

    def _redact(self, text: str) -> str:
        for secret in self._secrets:
            text = text.replace(secret.get_secret_value(), "[redacted]")
        return text
