"""The fake account: lazily generated sites, backups and deployments, plus their state.

Everything historic is placed relative to ``epoch`` (the clock's time at construction),
so a ManualClock with a fixed start gives byte-for-byte identical answers. Per-site data
is generated from (seed, index) on first use and cached; mutations live on the cached
records.
"""

from __future__ import annotations

import bisect
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from wpe_tui.fake import generate as gen
from wpe_tui.fake.clock import Clock, SystemClock
from wpe_tui.fake.records import (
    JSON,
    BackupRecord,
    Conflict,
    DeploymentRecord,
    NotFound,
    RestoreRecord,
    SiteRecord,
    ValidationFailed,
    iso,
)

PROVISION_SECONDS = 15.0
DELETE_SECONDS = 10.0

_STATUS_SENTINEL_GONE = "gone"


@dataclass(frozen=True)
class ListParams:
    page: int = 1
    per_page: int = 10
    sort: str = "created_at"
    order: str = "asc"
    status: str | None = None


def paginate(items: Sequence[Any], params: ListParams) -> tuple[Sequence[Any], JSON]:
    total = len(items)
    start = (params.page - 1) * params.per_page
    chunk = items[start : start + params.per_page]
    pagination = {
        "total": total,
        "count": len(chunk),
        "per_page": params.per_page,
        "current_page": params.page,
        "total_pages": -(-total // params.per_page),
    }
    return chunk, pagination


class FakeAccount:
    """An in-memory WP Engine account of ``sites`` generated sites."""

    def __init__(self, sites: int = 120, seed: int = 1, clock: Clock | None = None) -> None:
        if sites < 0:
            raise ValueError("sites must be 0 or more")
        self.seed = seed
        self.clock: Clock = clock if clock is not None else SystemClock()
        self.epoch: datetime = self.clock.now().replace(microsecond=0)
        self.generated_sites = sites
        self._names = gen.NameBook(seed)
        self._timeline = gen.SiteTimeline(seed, sites, self.epoch)
        self._records: dict[int, SiteRecord] = {}
        self._created = 0  # sites added through POST /sites, indices after the generated ones
        self._base_statuses: list[str] | None = None
        # Indices whose status can differ from the cheap base status (time or mutation).
        self._dynamic: set[int] = set()
        if sites >= 2:
            self._dynamic.add(sites - 1)
        self._by_name: list[tuple[str, int]] | None = None
        # The indices alone, in name order: a 100k list not rebuilt for every page.
        self._name_index: list[int] | None = None
        self._restore_seq = 0
        self._lock = threading.RLock()

    # -- introspection used by tests and the demo ------------------------------------

    @property
    def generated_count(self) -> int:
        """How many site records have been materialised so far (laziness check)."""
        return len(self._records)

    @property
    def total_indices(self) -> int:
        return self.generated_sites + self._created

    def now(self) -> datetime:
        return self.clock.now()

    @staticmethod
    def site_id(index: int) -> str:
        return gen.site_id(index)

    # -- direct access to records, for tests of data a real API might send ----------
    # Change fields in place, or set a record's ``overrides`` (see records.overlay) to
    # make its answers carry nulls, missing keys or values the spec never names. Rename
    # a site with ``update_site`` instead, so that the order by name follows.

    def site_record(self, site_id: str) -> SiteRecord:
        with self._lock:
            return self._live_site(site_id)

    def backup_records(self, site_id: str) -> dict[str, BackupRecord]:
        """The site's backups by ID, oldest first."""
        with self._lock:
            return self._backups(self._live_site(site_id))

    def deployment_records(self, site_id: str) -> dict[str, DeploymentRecord]:
        """The site's deployments by ID, oldest first."""
        with self._lock:
            return self._deployments(self._live_site(site_id))

    # -- records ---------------------------------------------------------------------

    def _site(self, index: int) -> SiteRecord:
        record = self._records.get(index)
        if record is None:
            record = gen.generate_site(
                self.seed,
                index,
                self._names.name(index),
                self._base_status(index),
                self._timeline.created_at(index),
                self.epoch,
            )
            self._records[index] = record
        return record

    def _base_status(self, index: int) -> str:
        if self._base_statuses is not None:
            return self._base_statuses[index]
        return gen.base_status(self.seed, self.generated_sites, index)

    def _statuses_base(self) -> list[str]:
        if self._base_statuses is None:
            self._base_statuses = gen.base_statuses(self.seed, self.generated_sites)
        return self._base_statuses

    def _statuses(self, now: datetime) -> list[str]:
        statuses = list(self._statuses_base())
        statuses.extend("" for _ in range(self._created))
        for index in self._dynamic:
            statuses[index] = self._site(index).status_at(now)
        return statuses

    def _live_site(self, site_id: str) -> SiteRecord:
        index = gen.site_index(site_id)
        if index is None or not 0 <= index < self.total_indices:
            raise NotFound(f"Site {site_id} not found")
        site = self._site(index)
        if site.status_at(self.now()) == _STATUS_SENTINEL_GONE:
            raise NotFound(f"Site {site_id} not found")
        return site

    def _backups(self, site: SiteRecord) -> dict[str, BackupRecord]:
        if site.backups is None:
            site.backups = {b.id: b for b in gen.generate_backups(self.seed, site, self.epoch)}
        return site.backups

    def _deployments(self, site: SiteRecord) -> dict[str, DeploymentRecord]:
        if site.deployments is None:
            generated = gen.generate_deployments(self.seed, site, self.epoch)
            site.deployments = {d.id: d for d in generated}
        return site.deployments

    def _name_order(self) -> list[tuple[str, int]]:
        if self._by_name is None:
            names = self._names
            records = self._records
            keys: list[tuple[str, int]] = []
            for index in range(self.total_indices):
                record = records.get(index)
                name = record.name if record is not None else names.name(index)
                keys.append((name.casefold(), index))
            keys.sort()
            self._by_name = keys
        return self._by_name

    def _name_indices(self) -> list[int]:
        if self._name_index is None:
            self._name_index = [index for _, index in self._name_order()]
        return self._name_index

    def _rename(self, site: SiteRecord, name: str) -> None:
        self._name_index = None
        if self._by_name is not None:
            old = (site.name.casefold(), site.index)
            at = bisect.bisect_left(self._by_name, old)
            if at < len(self._by_name) and self._by_name[at] == old:
                del self._by_name[at]
            bisect.insort(self._by_name, (name.casefold(), site.index))
        site.name = name

    # -- sites -----------------------------------------------------------------------

    def list_sites(self, params: ListParams) -> JSON:
        with self._lock:
            now = self.now()
            total = self.total_indices
            # Only a materialised record can have been deleted.
            records = self._records
            gone = {
                i
                for i in self._dynamic
                if i in records and records[i].status_at(now) == _STATUS_SENTINEL_GONE
            }
            order: Sequence[int]
            statuses: list[str] | None = None
            if params.status is not None or params.sort == "status":
                statuses = self._statuses(now)
            if params.sort == "name":
                order = self._name_indices()
            elif params.sort == "status":
                assert statuses is not None
                order = sorted(range(total), key=lambda i: (statuses[i], i))
            else:
                order = range(total)  # created_at grows with the index
            if gone:
                order = [i for i in order if i not in gone]
            if statuses is not None and params.status is not None:
                wanted = params.status
                order = [i for i in order if statuses[i] == wanted]
            if params.order == "desc":
                order = order[::-1]
            chunk, pagination = paginate(order, params)
            return {
                "results": [self._site(i).summary(now) for i in chunk],
                "pagination": pagination,
            }

    def get_site(self, site_id: str) -> JSON:
        with self._lock:
            return self._live_site(site_id).detail(self.now())

    def create_site(
        self,
        name: str,
        environment: str = "production",
        php_version: str | None = None,
        wordpress_version: str | None = None,
        template: str | None = None,
    ) -> JSON:
        with self._lock:
            now = self.now()
            index = self.total_indices
            slug = gen.slugify(name)
            if self._created and any(
                self._site(i).url == f"https://{slug}.wpengine.com"
                for i in range(self.generated_sites, index)
            ):
                slug = f"{slug}{gen.SITE_NUMBER_BASE + index}"
            environments = [
                ("production", f"https://{slug}.wpengine.com"),
                ("staging", f"https://staging{slug}.wpengine.com"),
            ]
            if environment == "development":
                environments.append(("development", f"https://dev{slug}.wpengine.com"))
            site = SiteRecord(
                index=index,
                id=gen.site_id(index),
                name=name,
                url=environments[0][1],
                environment=environment,
                created_at=now,
                updated_at=now,
                status="active",
                php_version=php_version or gen.LATEST_PHP,
                wordpress_version=wordpress_version or gen.LATEST_WORDPRESS,
                disk_used=0.05,
                disk_total=10.0,
                bandwidth=0.0,
                environments=environments,
                provisioned_at=now + timedelta(seconds=PROVISION_SECONDS),
                backups={},
                deployments={},
            )
            self._records[index] = site
            self._created += 1
            self._dynamic.add(index)
            if self._by_name is not None:
                bisect.insort(self._by_name, (name.casefold(), index))
            self._name_index = None
            return {
                "id": site.id,
                "name": site.name,
                "environment": site.environment,
                "created_at": iso(site.created_at),
                "url": site.url,
                "status": site.status_at(now),
                "php_version": site.php_version,
                "wordpress_version": site.wordpress_version,
                "estimated_completion_time": iso(site.provisioned_at or now),
            }

    def update_site(
        self,
        site_id: str,
        *,
        name: str | None = None,
        php_version: str | None = None,
        wordpress_version: str | None = None,
        status: str | None = None,
    ) -> JSON:
        with self._lock:
            now = self.now()
            site = self._live_site(site_id)
            current = site.status_at(now)
            if current == "deleting":
                raise Conflict(f"Site {site_id} is being deleted")
            if status is not None and current == "provisioning":
                raise Conflict(f"Site {site_id} is still provisioning")
            if name is not None and name != site.name:
                self._rename(site, name)
            if php_version is not None:
                site.php_version = php_version
            if wordpress_version is not None:
                site.wordpress_version = wordpress_version
            if status is not None:
                site.status = status
                self._dynamic.add(site.index)
            site.updated_at = now
            return site.update_view(now)

    def delete_site(self, site_id: str) -> JSON:
        with self._lock:
            now = self.now()
            site = self._live_site(site_id)
            if site.gone_at is None:  # a repeated DELETE answers the same, so retries are safe
                site.gone_at = now + timedelta(seconds=DELETE_SECONDS)
                self._dynamic.add(site.index)
            return {
                "id": site.id,
                "status": "deleting",
                "estimated_completion_time": iso(site.gone_at),
            }

    # -- backups ---------------------------------------------------------------------

    def _live_backup(self, site: SiteRecord, backup_id: str, now: datetime) -> BackupRecord:
        backup = self._backups(site).get(backup_id)
        if backup is None or backup.status_at(now) == _STATUS_SENTINEL_GONE:
            raise NotFound(f"Backup {backup_id} not found for site {site.id}")
        return backup

    def list_backups(self, site_id: str, params: ListParams) -> JSON:
        with self._lock:
            now = self.now()
            site = self._live_site(site_id)
            rows = [(b, b.status_at(now)) for b in self._backups(site).values()]
            return _list_rows(rows, params, now)

    def get_backup(self, site_id: str, backup_id: str) -> JSON:
        with self._lock:
            now = self.now()
            site = self._live_site(site_id)
            return self._live_backup(site, backup_id, now).detail(now)

    def _ensure_writable(self, site: SiteRecord, now: datetime) -> None:
        status = site.status_at(now)
        if status == "deleting":
            raise Conflict(f"Site {site.id} is being deleted")
        if status == "provisioning":
            raise Conflict(f"Site {site.id} is still provisioning")

    def create_backup(self, site_id: str, *, description: str | None, type: str) -> JSON:
        with self._lock:
            now = self.now()
            site = self._live_site(site_id)
            self._ensure_writable(site, now)
            backups = self._backups(site)
            seq = site.next_backup_seq
            site.next_backup_seq += 1
            rng = gen.rng_for(self.seed, gen.SALT_NEW, site.index * 100_003 + seq)
            backup = BackupRecord(
                id=gen.backup_id(site, seq),
                site_id=site.id,
                description=description if description is not None else "Manual backup",
                type=type,
                created_at=now,
                finished_at=now + timedelta(seconds=rng.randint(8, 20)),
                outcome="completed",
                size=gen.backup_size(rng, site, type),
                contents=gen.backup_contents(type),
            )
            backups[backup.id] = backup
            body = backup.summary(now)
            return {
                "id": body["id"],
                "site_id": body["site_id"],
                "description": body["description"],
                "type": body["type"],
                "status": body["status"],
                "created_at": body["created_at"],
                "estimated_completion_time": iso(backup.finished_at),
            }

    def delete_backup(self, site_id: str, backup_id: str) -> JSON:
        with self._lock:
            now = self.now()
            site = self._live_site(site_id)
            backup = self._live_backup(site, backup_id, now)
            if backup.status_at(now) == "in_progress":
                raise Conflict(f"Backup {backup_id} is still in progress")
            if backup.gone_at is None:
                backup.gone_at = now + timedelta(seconds=DELETE_SECONDS)
            return {
                "id": backup.id,
                "status": "deleting",
                "estimated_completion_time": iso(backup.gone_at),
            }

    def restore_backup(
        self,
        site_id: str,
        backup_id: str,
        *,
        environment: str | None,
        contents: dict[str, bool] | None,
    ) -> JSON:
        with self._lock:
            now = self.now()
            site = self._live_site(site_id)
            backup = self._live_backup(site, backup_id, now)
            target = environment if environment is not None else backup.environment
            if target not in site.environment_names():
                raise ValidationFailed(
                    {"environment": [_unknown_environment(target, site.environment_names())]}
                )
            status = backup.status_at(now)
            if status != "completed":
                raise Conflict(f"Backup {backup_id} is {status}; only completed backups restore")
            if site.status_at(now) == "deleting":
                raise Conflict(f"Site {site_id} is being deleted")
            self._restore_seq += 1
            rng = gen.rng_for(self.seed, gen.SALT_NEW, 7_000_000 + self._restore_seq)
            restore = RestoreRecord(
                id=f"restore_{90000 + self._restore_seq}",
                backup_id=backup.id,
                site_id=site.id,
                environment=target,
                created_at=now,
                finished_at=now + timedelta(seconds=rng.randint(15, 30)),
                contents=dict(contents) if contents is not None else dict(backup.contents),
            )
            site.restores[restore.id] = restore
            body = restore.to_json(now)
            del body["completed_at"]  # the spec's answer has no such field while in progress
            return body

    def get_restore(self, site_id: str, backup_id: str, restore_id: str) -> JSON:
        with self._lock:
            site = self._live_site(site_id)
            restore = site.restores.get(restore_id)
            if restore is None or restore.backup_id != backup_id:
                raise NotFound(f"Restore {restore_id} not found")
            return restore.to_json(self.now())

    # -- deployments -----------------------------------------------------------------

    def list_deployments(self, site_id: str, params: ListParams) -> JSON:
        with self._lock:
            now = self.now()
            site = self._live_site(site_id)
            rows = [(d, d.status_at(now)) for d in self._deployments(site).values()]
            return _list_rows(rows, params, now)

    def get_deployment(self, site_id: str, deployment_id: str) -> JSON:
        with self._lock:
            now = self.now()
            site = self._live_site(site_id)
            deployment = self._deployments(site).get(deployment_id)
            if deployment is None:
                raise NotFound(f"Deployment {deployment_id} not found for site {site_id}")
            return deployment.detail(now)

    def create_deployment(self, site_id: str, *, environment: str, source: dict[str, str]) -> JSON:
        with self._lock:
            now = self.now()
            site = self._live_site(site_id)
            if environment not in site.environment_names():
                raise ValidationFailed(
                    {"environment": [_unknown_environment(environment, site.environment_names())]}
                )
            self._ensure_writable(site, now)
            deployments = self._deployments(site)
            seq = site.next_deployment_seq
            site.next_deployment_seq += 1
            rng = gen.rng_for(self.seed, gen.SALT_NEW, 3_000_000 + site.index * 100_003 + seq)
            finished = now + timedelta(seconds=rng.randint(12, 30))
            # Predictable for client tests: only a source that names "fail" fails.
            marker = source.get("branch", "") + source.get("zip_url", "")
            outcome = "failed" if "fail" in marker.lower() else "completed"
            deployment = DeploymentRecord(
                id=gen.deployment_id(site, seq),
                site_id=site.id,
                environment=environment,
                source=dict(source),
                created_at=now,
                finished_at=finished,
                outcome=outcome,
                log_lines=gen.deployment_log(source, environment, now, finished, outcome, rng),
                changes=gen.random_changes(rng),
            )
            deployments[deployment.id] = deployment
            return {
                "id": deployment.id,
                "site_id": deployment.site_id,
                "environment": deployment.environment,
                "source": dict(deployment.source),
                "status": deployment.status_at(now),
                "created_at": iso(now),
                "estimated_completion_time": iso(finished),
            }


def _unknown_environment(name: str, known: list[str]) -> str:
    return f"Unknown environment '{name}'; this site has: {', '.join(known)}"


def _list_rows(
    rows: list[tuple[BackupRecord, str]] | list[tuple[DeploymentRecord, str]],
    params: ListParams,
    now: datetime,
) -> JSON:
    live: list[tuple[Any, str]] = [row for row in rows if row[1] != _STATUS_SENTINEL_GONE]
    if params.status is not None:
        live = [row for row in live if row[1] == params.status]
    # Ties break by id (sequence order) so every page is stable.
    if params.sort == "status":
        live.sort(key=lambda row: (row[1], row[0].created_at, row[0].id))
    else:
        live.sort(key=lambda row: (row[0].created_at, row[0].id))
    if params.order == "desc":
        live.reverse()
    chunk, pagination = paginate(live, params)
    return {"results": [record.summary(now) for record, _ in chunk], "pagination": pagination}
