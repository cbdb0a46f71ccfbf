"""Pydantic models of the Hosting Platform API's Swagger definitions that the app uses.

Field names are the Swagger file's. Like `wpe_tui.api.models` they bend to a drifting
API: unknown fields are ignored, every field may be missing or null, statuses the
file does not name (such as the legacy backup status ``initiated``) are kept as sent,
and the usage counters, int64 values sent as JSON strings, become ints (None when
null or not a number). A list page is read item by item: a site, install, backup,
domain or account that does not fit (a timestamp that is not one among them) is
marked unreadable, as in `wpe_tui.api.models.read_item`, and the rest of the page
reads. A timestamp of the usage figures that does not parse is as good as none.
Anything else that does not fit becomes a `DecodeError` in the client.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Annotated, Any, Generic, TypeVar

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field

from wpe_tui.api.models import (
    ItemByItem,
    When,
    WpeModel,
    none_to_empty_dict,
    none_to_empty_list,
)

BACKUP_STATUSES = ("requested", "initiated", "in_progress", "completed", "aborted")
INSTALL_STATUSES = ("active", "pending")
ENVIRONMENT_TYPES = ("production", "staging", "development")
_INT64 = re.compile(r"\s*[+-]?\d{1,19}\s*")


def _int64(value: Any) -> int | None:
    """An int64 counter: a JSON string per proto3, though a number is taken too."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        return int(value) if value.is_integer() else None
    if isinstance(value, str) and _INT64.fullmatch(value):
        return int(value)
    return None


def _number(value: Any) -> float | None:
    """A plan limit: a number, a numeric string, or None for anything else."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int | float):
        return float(value)
    try:
        return float(str(value))
    except ValueError:
        return None


def _not_a_date(value: Any) -> Any:
    # A usage figure's timestamp that does not parse (or is a number, which pydantic
    # would read as seconds since 1970) is as good as none: the figures still show.
    if isinstance(value, datetime):
        return value
    if isinstance(value, str):
        try:
            datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            return None
        return value
    return None


Int64 = Annotated[int | None, BeforeValidator(_int64)]
Number = Annotated[float | None, BeforeValidator(_number)]
List = BeforeValidator(none_to_empty_list)
Moment = Annotated[datetime | None, BeforeValidator(_not_a_date)]


class PlatformModel(WpeModel):
    """As tolerant as the app's models: unknown fields ignored, numbers read as text
    where text belongs, naive timestamps taken as UTC."""


T = TypeVar("T", bound=BaseModel)


class Page(ItemByItem, Generic[T]):
    """``{previous, next, count, results}``: ``count`` is the total, ``next`` and
    ``previous`` absolute URLs (or null)."""

    model_config = ConfigDict(extra="ignore", frozen=True, defer_build=True)

    previous: str | None = None
    next: str | None = None
    count: int | None = None
    results: Annotated[list[T], List] = Field(default_factory=list)


class Ref(PlatformModel):
    """``{id}``: an account or a site an item points at."""

    id: str | None = None


class Status(PlatformModel):
    success: bool | None = None
    created_on: Moment = None


class User(PlatformModel):
    id: str
    first_name: str | None = None
    last_name: str | None = None
    email: str | None = None
    phone_number: str | None = None


class Account(PlatformModel):
    id: str
    unreadable: str | None = None  # why this list item could not be read (see read_item)
    name: str | None = None
    nickname: str | None = None


class AccountLimits(PlatformModel):
    """Plan limits: storage and bandwidth in GB; any of them may be null."""

    visitors: Number = None
    storage: Number = None
    bandwidth: Number = None


class SiteInstall(PlatformModel):
    """An install as a site lists it."""

    id: str
    name: str | None = None
    environment: str | None = None
    cname: str | None = None
    php_version: str | None = None
    is_multisite: bool | None = None


class Site(PlatformModel):
    id: str
    unreadable: str | None = None  # why this list item could not be read (see read_item)
    name: str | None = None
    account: Annotated[Ref, BeforeValidator(none_to_empty_dict)] = Field(default_factory=Ref)
    group_name: str | None = None
    tags: Annotated[list[str], List] = Field(default_factory=list)
    created_at: When = None
    sandbox: bool | None = None
    transferable: bool | None = None
    installs: Annotated[list[SiteInstall], List] = Field(default_factory=list)


class Installation(PlatformModel):
    id: str
    unreadable: str | None = None  # why this list item could not be read (see read_item)
    name: str | None = None
    account: Annotated[Ref, BeforeValidator(none_to_empty_dict)] = Field(default_factory=Ref)
    php_version: str | None = None
    status: str | None = None
    site: Ref | None = None
    cname: str | None = None
    stable_ips: Annotated[list[str], List] = Field(default_factory=list)
    environment: str | None = None
    primary_domain: str | None = None
    is_multisite: bool | None = None
    created_at: When = None
    wp_version: str | None = None  # only in GET /installs/{id}

    @property
    def site_id(self) -> str | None:
        return self.site.id if self.site is not None else None


class Backup(PlatformModel):
    id: str
    unreadable: str | None = None  # why this list item could not be read (see read_item)
    status: str | None = None
    description: str | None = None
    create_time: When = None
    complete_time: When = None
    wordpress_version: str | None = None


class DomainRedirect(PlatformModel):
    id: str | None = None
    name: str | None = None


class SslInfo(PlatformModel):
    status: str | None = None


class NetworkInfo(PlatformModel):
    status: str | None = None
    ssl: SslInfo | None = None


class NetworkDetails(PlatformModel):
    network_info: NetworkInfo | None = None


class Domain(PlatformModel):
    id: str
    unreadable: str | None = None  # why this list item could not be read (see read_item)
    name: str | None = None
    duplicate: bool | None = None
    primary: bool | None = None
    secure_all_urls: bool | None = None
    network_type: str | None = None
    network_details: NetworkDetails | None = None
    redirects_to: Annotated[list[DomainRedirect], List] = Field(default_factory=list)
    ownership_status: str | None = None

    @property
    def network_status(self) -> str | None:
        info = self.network_details.network_info if self.network_details else None
        return info.status if info else None

    @property
    def ssl_status(self) -> str | None:
        info = self.network_details.network_info if self.network_details else None
        return info.ssl.status if info and info.ssl else None


class DailyUsageMetrics(PlatformModel):
    date: str | None = None
    visit_count: Int64 = None
    billable_visits: Int64 = None
    network_origin_bytes: Int64 = None
    network_cdn_bytes: Int64 = None
    network_total_bytes: Int64 = None
    request_origin_count: Int64 = None
    storage_file_bytes: Int64 = None
    storage_database_bytes: Int64 = None
    storage_update_time: Moment = None


class LatestMetricValue(PlatformModel):
    date: str | None = None
    value: Int64 = None


class UsageRollup(PlatformModel):
    average: Int64 = None
    sum: Int64 = None
    latest: LatestMetricValue | None = None


class UsageMetricsRollup(PlatformModel):
    visit_count: UsageRollup | None = None
    network_total_bytes: UsageRollup | None = None
    storage_file_bytes: UsageRollup | None = None
    storage_database_bytes: UsageRollup | None = None


class InstallDailyUsageMetricsSeries(PlatformModel):
    install_name: str | None = None
    metrics: Annotated[list[DailyUsageMetrics], List] = Field(default_factory=list)
    metrics_rollup: UsageMetricsRollup | None = None
    storage_refresh_expected_time: Moment = None
