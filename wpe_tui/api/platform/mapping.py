"""From the Hosting Platform API's shapes to the app's models (`wpe_tui.api.models`).

A platform site is a container of installs; its installs are the environments the
app shows. Disk usage and bandwidth come from the installs' daily usage against the
account's plan limits (1 GB = 10^9 bytes). An install that belongs to no site shows
as a site of its own, whose ID is ``install:<install id>``. An item the API sent that
could not be read keeps its `unreadable` reason and shows status "unreadable".
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from wpe_tui.api import models as app
from wpe_tui.api.platform import models as wire

GB = 10**9
ORPHAN_PREFIX = "install:"
STALE_AFTER = timedelta(days=7)  # storage measured longer ago than this is not shown
ENVIRONMENT_ORDER = {"production": 0, "staging": 1, "development": 2}


def orphan_site_id(install_id: str) -> str:
    return ORPHAN_PREFIX + install_id


def orphan_install_id(site_id: str) -> str | None:
    """The install behind a site ID of an install that belongs to no site, else None."""
    return site_id[len(ORPHAN_PREFIX) :] if site_id.startswith(ORPHAN_PREFIX) else None


def label(environment: str | None, name: str | None, install_id: str) -> str:
    """What the user calls an install: its environment type, else its name."""
    return environment or name or install_id


@dataclass(frozen=True)
class InstallFacts:
    """What the adapter knows of one install, from whichever answer told it."""

    id: str
    name: str | None
    environment: str | None
    cname: str | None = None
    php_version: str | None = None
    status: str | None = None
    primary_domain: str | None = None
    site_id: str | None = None
    account_id: str | None = None
    wp_version: str | None = None  # only GET /installs/{id} says
    unreadable: str | None = None  # why the install's answer could not be read

    @property
    def label(self) -> str:
        return label(self.environment, self.name, self.id)

    @classmethod
    def from_site(cls, item: wire.SiteInstall, site: wire.Site) -> InstallFacts:
        return cls(
            id=item.id,
            name=item.name,
            environment=item.environment,
            cname=item.cname,
            php_version=item.php_version,
            site_id=site.id,
            account_id=site.account.id,
        )

    @classmethod
    def from_install(cls, install: wire.Installation) -> InstallFacts:
        return cls(
            id=install.id,
            name=install.name,
            environment=install.environment,
            cname=install.cname,
            php_version=install.php_version,
            status=install.status,
            primary_domain=install.primary_domain,
            site_id=install.site_id,
            account_id=install.account.id,
            wp_version=install.wp_version,
            unreadable=install.unreadable,
        )

    def merged(self, newer: InstallFacts) -> InstallFacts:
        """These facts updated by ``newer``, keeping what it does not say."""
        return InstallFacts(
            id=self.id,
            name=newer.name or self.name,
            environment=newer.environment if newer.name is not None else self.environment,
            cname=newer.cname or self.cname,
            php_version=newer.php_version or self.php_version,
            status=newer.status or self.status,
            primary_domain=newer.primary_domain or self.primary_domain,
            site_id=newer.site_id or self.site_id,
            account_id=newer.account_id or self.account_id,
            wp_version=newer.wp_version or self.wp_version,
            unreadable=newer.unreadable,
        )


def environment(facts: InstallFacts) -> app.Environment:
    host = facts.primary_domain or facts.cname
    return app.Environment(
        name=facts.environment or "",
        url=f"https://{host}" if host else None,
        install_id=facts.id,
        install_name=facts.name,
        status=facts.status,
        php_version=facts.php_version,
        cname=facts.cname,
        primary_domain=facts.primary_domain,
    )


def ordered(installs: Iterable[InstallFacts]) -> list[InstallFacts]:
    # Production first, then staging and development; legacy installs keep their place.
    return sorted(installs, key=lambda i: ENVIRONMENT_ORDER.get(i.environment or "", 3))


def _joined(pairs: Sequence[tuple[str, str]]) -> dict[str, str]:
    """{part: its errors, "; "-joined}: one install's usage failing, or three."""
    joined: dict[str, list[str]] = {}
    for part, error in pairs:
        joined.setdefault(part, []).append(error)
    return {part: "; ".join(errors) for part, errors in joined.items()}


def site(
    *,
    site_id: str,
    name: str,
    installs: Sequence[InstallFacts],
    account_id: str | None,
    account_names: Mapping[str, str],
    created_at: datetime | None = None,
    disk_usage: app.DiskUsage | None = None,
    bandwidth: app.Bandwidth | None = None,
    unreadable: str | None = None,
    not_read: Sequence[tuple[str, str]] = (),
) -> app.Site:
    ordered_installs = ordered(installs)
    environments = [environment(i) for i in ordered_installs]
    main = ordered_installs[0] if ordered_installs else None
    # The API has no site status: a site is pending while one of its installs is, and
    # active once each of them was read and none is (until then, not known).
    pending = any(i.status == "pending" for i in ordered_installs)
    known = pending or all(i.status is not None for i in ordered_installs)
    domains: list[str] = []
    for install in ordered_installs:
        for host in (install.primary_domain, install.cname):
            if host and host not in domains:
                domains.append(host)
    status = "pending" if pending else "active" if known else None
    return app.Site(
        id=site_id,
        unreadable=unreadable,
        name=name,
        environment=main.environment if main else None,
        created_at=created_at,
        url=environments[0].url if environments else None,
        status=app.UNREADABLE if unreadable else status,
        php_version=main.php_version if main else None,
        wordpress_version=main.wp_version if main else None,
        disk_usage=disk_usage,
        bandwidth=bandwidth,
        environments=environments,
        account_id=account_id,
        account_name=account_names.get(account_id or ""),
        domains=domains,
        not_read=_joined(not_read),
    )


@dataclass(frozen=True)
class Storage:
    """The latest storage measurement of one install (None fields: not measured)."""

    used_bytes: int | None
    measured_at: datetime | None


def _day(text: str | None) -> date | None:
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        return None


def latest_storage(series: wire.InstallDailyUsageMetricsSeries) -> Storage:
    """Files + database of the newest day that has both; nothing if that measurement is
    older than STALE_AFTER before the newest day of the series (the API fills days with
    no measurement with the last known value)."""
    days = sorted(
        (m for m in series.metrics if _day(m.date) is not None),
        key=lambda m: _day(m.date) or date.min,
        reverse=True,
    )
    newest = _day(days[0].date) if days else None
    for metric in days:
        if metric.storage_file_bytes is None or metric.storage_database_bytes is None:
            continue
        at = metric.storage_update_time
        measured_day = at.date() if at else _day(metric.date)
        if newest and measured_day and newest - measured_day > STALE_AFTER:
            return Storage(None, at)
        return Storage(metric.storage_file_bytes + metric.storage_database_bytes, at)
    rollup = series.metrics_rollup
    if not days and rollup and rollup.storage_file_bytes and rollup.storage_database_bytes:
        files, database = rollup.storage_file_bytes.latest, rollup.storage_database_bytes.latest
        if files and database and files.value is not None and database.value is not None:
            return Storage(files.value + database.value, None)
    return Storage(None, None)


def traffic_bytes(series: wire.InstallDailyUsageMetricsSeries) -> int | None:
    """``network_total_bytes`` over the series' days (the last 30 by default)."""
    values = [m.network_total_bytes for m in series.metrics if m.network_total_bytes is not None]
    if values:
        return sum(values)
    rollup = series.metrics_rollup
    if rollup and rollup.network_total_bytes and rollup.network_total_bytes.sum is not None:
        return rollup.network_total_bytes.sum
    return None


def disk_usage(
    usage: Sequence[wire.InstallDailyUsageMetricsSeries | None], limits: wire.AccountLimits | None
) -> app.DiskUsage | None:
    """The site's installs' storage against the account plan; None if usage is unknown
    (a request failed), ``used=None`` if an install has no recent measurement."""
    if not usage or any(series is None for series in usage):
        return None
    measurements = [latest_storage(series) for series in usage if series is not None]
    unmeasured = any(m.used_bytes is None for m in measurements)
    used = None if unmeasured else sum(m.used_bytes or 0 for m in measurements) / GB
    times = [m.measured_at for m in measurements if m.measured_at is not None]
    return app.DiskUsage(
        used=round(used, 3) if used is not None else None,
        total=limits.storage if limits else None,
        unit="GB",
        scope="account plan",
        measured_at=min(times) if times and not unmeasured else None,
    )


def bandwidth(
    usage: Sequence[wire.InstallDailyUsageMetricsSeries | None], limits: wire.AccountLimits | None
) -> app.Bandwidth | None:
    if not usage or any(series is None for series in usage):
        return None
    values = [traffic_bytes(series) for series in usage if series is not None]
    known = [v for v in values if v is not None]
    return app.Bandwidth(
        current_month=round(sum(known) / GB, 3) if known else None,
        unit="GB",
        period="last 30 days",
        limit=limits.bandwidth if limits else None,
    )


def backup(item: wire.Backup, facts: InstallFacts, site_id: str) -> app.Backup:
    return app.Backup(
        id=item.id,
        unreadable=item.unreadable,
        site_id=site_id,
        description=item.description or "",
        status=item.status,  # as sent: requested, initiated, in_progress, completed, aborted
        created_at=item.create_time,
        completed_at=item.complete_time,
        environment=facts.label,
        install_id=facts.id,
    )


def domain(item: wire.Domain, facts: InstallFacts) -> app.Domain:
    return app.Domain(
        id=item.id,
        unreadable=item.unreadable,
        name=item.name or "",
        install_id=facts.id,
        environment=facts.label,
        primary=item.primary,
        duplicate=item.duplicate,
        redirects_to=[r.name for r in item.redirects_to if r.name],
        network_type=item.network_type,
        network_status=item.network_status,
        ssl_status=item.ssl_status,
        status=app.UNREADABLE if item.unreadable else item.ownership_status,
    )


def account_names(accounts: Iterable[app.Account]) -> dict[str, str]:
    """What the site list shows for each account: its nickname, else its name."""
    return {a.id: a.shown_name for a in accounts}


def account(item: wire.Account) -> app.Account:
    return app.Account(
        id=item.id,
        name=item.name or item.nickname or item.id,
        nickname=item.nickname,
        unreadable=item.unreadable,
    )
