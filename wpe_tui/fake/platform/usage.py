"""Daily usage of the fake installs: traffic, visits and storage, as int64 strings.

Everything is a cheap hash of (seed, install, day), so an account-wide summary over
200,000 installs needs no per-day random generator. Some installs were never measured
(storage null) and some stopped being measured weeks ago: the API fills the days
since with the last known value, and ``storage_update_time`` tells how old it is.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from wpe_tui.fake.generate import mix64, stream
from wpe_tui.fake.platform.records import JSON, iso

GB = 10**9
SALT_USAGE = 301
SALT_DAY = 302
STALE_DAYS = 20  # a stale install was last measured this many days before the epoch
STALE_CODE = 5 * 4  # the production install of the sixth site
UNMEASURED_CODE = 6 * 4  # the production install of the seventh site
_MEASURED_AT = time(3, 17, tzinfo=UTC)  # storage is measured once a day, in the night
_SCALE = {"production": 1.0, "staging": 0.55, "development": 0.3, None: 0.8}
_TRAFFIC = {"production": 1.0, "staging": 0.01, "development": 0.004, None: 0.3}
TRAFFIC_METRICS = (
    "visit_count",
    "billable_visits",
    "network_origin_bytes",
    "network_cdn_bytes",
    "network_total_bytes",
    "request_origin_count",
)


def _frac(seed: int, salt: int, key: int) -> float:
    return mix64(stream(seed, salt) ^ key) / 2.0**64


@dataclass(frozen=True)
class Profile:
    """What one install stores and serves, before the day's variation."""

    files: float  # bytes on the measurement day of the epoch
    database: float
    traffic: float  # bytes served on an average day
    cdn_share: float
    bytes_per_visit: float
    measured: str  # "ok", "stale" (stopped STALE_DAYS before the epoch) or "never"


def profile(seed: int, code: int, environment: str | None, *, new: bool) -> Profile:
    def f(n: int) -> float:
        return _frac(seed, SALT_USAGE, code * 16 + n)

    roll = mix64(stream(seed, SALT_USAGE) ^ code) % 25
    measured = "never" if new or roll == 3 else "stale" if roll == 7 else "ok"
    if code < 16:  # the first four sites (the demo's, of both accounts) are measured
        measured = "never" if new else "ok"
    elif code in (STALE_CODE, UNMEASURED_CODE):  # and every account has one of each other kind
        measured = "stale" if code == STALE_CODE else "never"
    scale = _SCALE.get(environment, 0.8)
    return Profile(
        files=(0.4 + 13.6 * f(1) ** 2) * GB * scale,
        database=(0.03 + 1.8 * f(2) ** 3) * GB * scale,
        traffic=(0.05 + 6.0 * f(3) ** 2) * GB * _TRAFFIC.get(environment, 0.3),
        cdn_share=0.55 + 0.35 * f(4),
        bytes_per_visit=(1.5 + 2.5 * f(5)) * 10**6,
        measured=measured,
    )


class UsageBook:
    """Usage series of every install, from the seed and the account's epoch."""

    def __init__(self, seed: int, epoch: datetime) -> None:
        self.seed = seed
        self.epoch_day = epoch.date()

    def _day_factor(self, day: date) -> float:
        weekend = 0.8 if day.weekday() >= 5 else 1.0
        return weekend * (0.75 + 0.5 * _frac(self.seed, SALT_DAY, day.toordinal()))

    def _traffic(self, p: Profile, day: date) -> dict[str, int]:
        total = int(p.traffic * self._day_factor(day))
        cdn = int(total * p.cdn_share)
        visits = int(total / p.bytes_per_visit)
        return {
            "visit_count": visits,
            "billable_visits": int(visits * 0.92),
            "network_origin_bytes": total - cdn,
            "network_cdn_bytes": cdn,
            "network_total_bytes": total,
            "request_origin_count": (total - cdn) // 45_000,
        }

    def _storage(self, p: Profile, day: date, now: datetime) -> tuple[int, int, datetime] | None:
        """(files, database, measured at) as known on ``day``; None if never measured."""
        if p.measured == "never":
            return None
        measured_day = day
        if datetime.combine(day, _MEASURED_AT) > now:
            measured_day = day - timedelta(days=1)  # today's measurement has not run yet
        if p.measured == "stale":
            measured_day = min(measured_day, self.epoch_day - timedelta(days=STALE_DAYS))
        growth = 1 + 0.0015 * (measured_day - self.epoch_day).days
        at = datetime.combine(measured_day, _MEASURED_AT)
        return int(p.files * growth), int(p.database * growth), at

    def series(
        self,
        p: Profile,
        install_name: str,
        now: datetime,
        first: date | None = None,
        last: date | None = None,
    ) -> JSON:
        """``InstallDailyUsageMetricsSeries``: the last 30 days by default, newest first."""
        last = last or now.date()
        first = first or last - timedelta(days=29)
        days = [last - timedelta(days=n) for n in range((last - first).days + 1)]
        metrics = [self._day(p, day, now) for day in days]
        return {
            "install_name": install_name,
            "metrics": metrics,
            "metrics_rollup": rollup(metrics),
            "storage_refresh_expected_time": None,
        }

    def _day(self, p: Profile, day: date, now: datetime) -> JSON:
        traffic = self._traffic(p, day)
        storage = self._storage(p, day, now)
        body: JSON = {"date": day.isoformat()}
        body.update({name: str(value) for name, value in traffic.items()})
        if storage is None:
            body.update(
                storage_file_bytes=None,
                storage_database_bytes=None,
                storage_update_time=None,
                database_tables_count=None,
                database_sql_bytes=None,
                autoloaded_bytes=None,
            )
        else:
            files, database, at = storage
            body.update(
                storage_file_bytes=str(files),
                storage_database_bytes=str(database),
                storage_update_time=iso(at),
                database_tables_count=str(12 + database % 180),
                database_sql_bytes=str(int(database * 0.8)),
                autoloaded_bytes=str(200_000 + database % 2_800_000),
            )
        body["traffic_metrics_source"] = "BIGQUERY"
        return body

    def summary(self, profiles: Iterable[Profile], now: datetime) -> JSON:
        """``UsageMetricsRollup`` of many installs over the last 30 days, without building
        every install's rows (the day factor is shared, so the sums factor out)."""
        last = now.date()
        days = [last - timedelta(days=n) for n in range(30)]
        factor_sum = sum(self._day_factor(day) for day in days)
        sums = dict.fromkeys(TRAFFIC_METRICS, 0)
        files = database = 0
        measured = False
        for p in profiles:
            total = int(p.traffic * factor_sum)
            cdn = int(total * p.cdn_share)
            visits = int(total / p.bytes_per_visit)
            for name, value in (
                ("visit_count", visits),
                ("billable_visits", int(visits * 0.92)),
                ("network_origin_bytes", total - cdn),
                ("network_cdn_bytes", cdn),
                ("network_total_bytes", total),
                ("request_origin_count", (total - cdn) // 45_000),
            ):
                sums[name] += value
            storage = self._storage(p, last, now)
            if storage is not None:
                measured = True
                files += storage[0]
                database += storage[1]
        body: JSON = {
            name: {"average": str(value // 30), "sum": str(value), "latest": None}
            for name, value in sums.items()
        }
        for name, value in (("storage_file_bytes", files), ("storage_database_bytes", database)):
            latest = {"date": last.isoformat(), "value": str(value)} if measured else None
            body[name] = {"average": None, "sum": None, "latest": latest}
        return body


def rollup(metrics: list[JSON]) -> JSON:
    """``UsageMetricsRollup`` of one install's days (newest first)."""
    body: JSON = {}
    for name in TRAFFIC_METRICS:
        values = [int(m[name]) for m in metrics if m.get(name) is not None]
        total = sum(values)
        body[name] = {
            "average": str(total // len(values)) if values else None,
            "sum": str(total) if values else None,
            "latest": None,
        }
    for name in ("storage_file_bytes", "storage_database_bytes"):
        known = next((m for m in metrics if m.get(name) is not None), None)
        latest = {"date": known["date"], "value": known[name]} if known else None
        body[name] = {"average": None, "sum": None, "latest": latest}
    return body
