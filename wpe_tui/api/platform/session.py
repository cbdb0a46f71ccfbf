"""`PlatformSession`: the Hosting Platform API client and what one session caches."""

from __future__ import annotations

import asyncio
import inspect
import time
from collections.abc import Awaitable, Callable, Mapping, Sequence
from typing import Any, TypeVar, Unpack

from pydantic import SecretStr

from wpe_tui.api import models as app
from wpe_tui.api.capabilities import Capabilities
from wpe_tui.api.errors import ApiError, ValidationError
from wpe_tui.api.platform import mapping
from wpe_tui.api.platform import models as wire
from wpe_tui.api.platform.client import MAX_LIMIT, PLATFORM_BASE_URL, PlatformClient
from wpe_tui.api.platform.directory import SiteDirectory
from wpe_tui.api.wire import WireClient, WireOptions

PLATFORM_CAPABILITIES = Capabilities(
    name="Hosting Platform API",
    create_site=False,
    edit_site=False,
    delete_site=False,
    backup_types=(),
    delete_backup=False,
    backup_sizes=False,
    restore_environment_choice=False,
    restore_contents=False,
    follow_restore=False,
    backup_needs_environment=True,
    notification_emails=True,
    deployments=False,
    domains=True,
    purge_cache=True,
    copy_environment=True,
    accounts=True,
    site_statuses=("active", "pending"),
    site_list_statuses=False,
    follow_pages=False,
    server_sort=False,
    server_status_filter=False,
    server_search=False,
    max_page_size=MAX_LIMIT,
    requests_per_second=5.0,
)
USAGE_SECONDS = 600.0  # daily figures: asking again within minutes would tell nothing new

R = TypeVar("R")


class PlatformSession(WireClient):
    """The client, and what a session keeps: the user, the accounts, their plan limits,
    each install's usage (10 minutes) and which install each backup belongs to. The
    listener, the pacer and closing are those of the client's `Wire`."""

    def __init__(
        self,
        api_user: str,
        api_password: str | SecretStr,
        base_url: str = PLATFORM_BASE_URL,
        *,
        parallel: int = 3,
        monotonic: Callable[[], float] = time.monotonic,
        **options: Unpack[WireOptions],
    ) -> None:
        self.client = PlatformClient(api_user, api_password, base_url, **options)
        super().__init__(self.client.wire)
        self.directory = SiteDirectory(self.client)
        self._parallel = asyncio.Semaphore(parallel)  # one call fans out to a few at a time
        self._monotonic = monotonic
        self._memo: dict[str, Any] = {}
        self._locks: dict[str, asyncio.Lock] = {}
        self._usage: dict[str, tuple[float, wire.InstallDailyUsageMetricsSeries]] = {}
        self._backup_install: dict[str, str] = {}  # backup ID -> install ID

    @property
    def capabilities(self) -> Capabilities:
        return PLATFORM_CAPABILITIES

    # -- session caches --------------------------------------------------------------

    async def _once(self, key: str, load: Callable[[], Awaitable[R]]) -> R:
        """``load()`` once per session; concurrent callers share the one request, and a
        failure is not kept, so the next caller tries again."""
        if key in self._memo:
            value: R = self._memo[key]
            return value
        async with self._locks.setdefault(key, asyncio.Lock()):
            if key not in self._memo:
                self._memo[key] = await load()
            value = self._memo[key]
            return value

    async def _fan_out(self, calls: Sequence[Awaitable[R]]) -> list[R]:
        async def limited(call: Awaitable[R]) -> R:
            async with self._parallel:
                return await call

        tasks = [asyncio.ensure_future(limited(call)) for call in calls]
        try:
            return list(await asyncio.gather(*tasks))
        finally:
            # Left (the user went elsewhere) or one call failed: the rest are not wanted.
            # A call that never got its turn is closed, or Python warns on the terminal.
            for task in tasks:
                task.cancel()
            for call in calls:
                if (
                    inspect.iscoroutine(call)
                    and inspect.getcoroutinestate(call) == inspect.CORO_CREATED
                ):
                    call.close()

    async def _account_names(self, missed: list[tuple[str, str]] | None = None) -> dict[str, str]:
        try:
            return mapping.account_names(await self.list_accounts())
        except ApiError as error:
            if error.status == 401:
                raise
            if missed is not None:
                missed.append(("account names", str(error)))
            return {}  # the names are a nicety; the sites still show

    def _known_account_names(self) -> Mapping[str, str]:
        accounts = self._memo.get("accounts")
        return mapping.account_names(accounts) if accounts is not None else {}

    async def _limits(
        self, account_id: str | None, missed: list[tuple[str, str]] | None = None
    ) -> wire.AccountLimits | None:
        if not account_id:
            return None
        try:
            return await self._once(
                f"limits:{account_id}", lambda: self.client.get_account_limits(account_id)
            )
        except ApiError as error:
            if error.status == 401:
                raise
            if error.status in (403, 404):  # this user may not see the plan: not asked again
                self._memo[f"limits:{account_id}"] = None
            elif missed is not None:
                missed.append(("plan limits", str(error)))
            return None

    async def _usage_of(
        self, install_id: str, missed: list[tuple[str, str]] | None = None
    ) -> wire.InstallDailyUsageMetricsSeries | None:
        kept = self._usage.get(install_id)
        now = self._monotonic()
        if kept is not None and now - kept[0] < USAGE_SECONDS:
            return kept[1]
        try:
            series = await self.client.get_install_usage(install_id)
        except ApiError as error:
            if error.status == 401:
                raise
            if missed is not None:  # shown as unknown, and why; the rest of the site shows
                missed.append(("disk usage", str(error)))
            return None
        self._usage[install_id] = (now, series)
        return series

    async def _emails(self, given: Sequence[str]) -> list[str]:
        emails = [e.strip() for e in given if e and e.strip()]
        if emails:
            return emails
        own = await self.current_user_email()
        if own:
            return [own]
        raise ValidationError(
            "Give an address for WP Engine to email when it is done",
            fields={"notification_emails": ["at least one address is required"]},
        )

    # -- accounts and the user -------------------------------------------------------

    async def list_accounts(self) -> list[app.Account]:
        async def load() -> list[app.Account]:
            return [mapping.account(a) for a in await self.client.all_accounts()]

        accounts: list[app.Account] = await self._once("accounts", load)
        return list(accounts)

    async def current_user_email(self) -> str | None:
        user = await self._once("user", self.client.current_user)
        return user.email or None
