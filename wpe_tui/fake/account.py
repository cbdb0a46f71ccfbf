"""The fake account: lazily generated sites, backups and deployments, plus their state.

Everything historic is placed relative to ``epoch`` (the clock's time at construction),
so a ManualClock with a fixed start gives byte-for-byte identical answers. Per-site data
is generated from (seed, index) on first use and cached; mutations live on the cached
records.
"""

from __future__ import annotations

import bisect
import threading
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta

from wpe_tui.fake import generate as gen
from wpe_tui.fake import work
from wpe_tui.fake.clock import Clock
from wpe_tui.fake.generate_deployments import generate_deployments
from wpe_tui.fake.listing import GONE, ListParams, list_rows, paginate
from wpe_tui.fake.records import (
    JSON,
    BackupRecord,
    Conflict,
    DeploymentRecord,
    NotFound,
    SiteRecord,
    ValidationFailed,
    iso,
)
from wpe_tui.fake.world import World

__all__ = ["DELETE_SECONDS", "PROVISION_SECONDS", "FakeAccount", "ListParams", "paginate"]

PROVISION_SECONDS = work.PROVISION_SECONDS
DELETE_SECONDS = 10.0


class FakeAccount(gen.GeneratedAccount):
    """An in-memory WP Engine account of ``sites`` generated sites.

    The keyword options make it less kind than it is by default, as real accounts are:
    see `World` for ``stuck_rate``, ``odd_status_rate``, ``backup_seconds`` and
    ``bad_record_rate``.
    """

    def __init__(
        self,
        sites: int = 120,
        seed: int = 1,
        clock: Clock | None = None,
        *,
        stuck_rate: float = 0.0,
        odd_status_rate: float = 0.0,
        backup_seconds: float | None = None,
        bad_record_rate: float = 0.0,
    ) -> None:
        super().__init__(sites, seed, clock)
        self.world = World(
            stuck_rate=stuck_rate,
            odd_status_rate=odd_status_rate,
            backup_seconds=backup_seconds,
            bad_record_rate=bad_record_rate,
        )
        self.generated_sites = sites
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
                settles=index == self.generated_sites - 1,  # else a "provisioning" is stuck
            )
            self._records[index] = record
        return record

    def _base_status(self, index: int) -> str:
        if self._base_statuses is not None:
            return self._base_statuses[index]
        return gen.base_status(self.seed, self.generated_sites, index, self.world)

    def _statuses_base(self) -> list[str]:
        if self._base_statuses is None:
            self._base_statuses = gen.base_statuses(self.seed, self.generated_sites, self.world)
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
        if site.status_at(self.now()) == GONE:
            raise NotFound(f"Site {site_id} not found")
        return site

    def _backups(self, site: SiteRecord) -> dict[str, BackupRecord]:
        if site.backups is None:
            generated = gen.generate_backups(self.seed, site, self.epoch, self.world)
            site.backups = {b.id: b for b in generated}
        return site.backups

    def _deployments(self, site: SiteRecord) -> dict[str, DeploymentRecord]:
        if site.deployments is None:
            generated = generate_deployments(self.seed, site, self.epoch, self.world)
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
            gone = {i for i in self._dynamic if i in records and records[i].status_at(now) == GONE}
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
            spoil = self.world.spoil
            return {
                "results": [spoil(self.seed, self._site(i).summary(now), "name") for i in chunk],
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
            site = work.new_site(
                index, name, slug, environment, php_version, wordpress_version, now
            )
            self._records[index] = site
            self._created += 1
            self._dynamic.add(index)
            if self._by_name is not None:
                bisect.insort(self._by_name, (name.casefold(), index))
            self._name_index = None
            return work.created_site(site, now)

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
        if backup is None or backup.status_at(now) == GONE:
            raise NotFound(f"Backup {backup_id} not found for site {site.id}")
        return backup

    def list_backups(self, site_id: str, params: ListParams) -> JSON:
        with self._lock:
            now = self.now()
            site = self._live_site(site_id)
            rows = [(b, b.status_at(now)) for b in self._backups(site).values()]
            return list_rows(rows, params, now, self._spoiler("description"))

    def get_backup(self, site_id: str, backup_id: str) -> JSON:
        with self._lock:
            now = self.now()
            site = self._live_site(site_id)
            return self._live_backup(site, backup_id, now).detail(now)

    def _spoiler(self, text_field: str) -> Callable[[JSON], JSON]:
        return lambda body: self.world.spoil(self.seed, body, text_field)

    def _seconds(self, drawn: int) -> float:
        """How long a new backup or a restore takes: the draw, or --backup-seconds."""
        chosen = self.world.backup_seconds
        return float(drawn) if chosen is None else chosen

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
            backup = work.new_backup(
                self.seed, site, seq, now, description=description, type=type, seconds=self._seconds
            )
            backups[backup.id] = backup
            return work.created_backup(backup, now)

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
            restore = work.new_restore(
                self.seed, self._restore_seq, backup, target, contents, now, self._seconds
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
            return list_rows(rows, params, now, self._spoiler("environment"))

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
            deployment = work.new_deployment(self.seed, site, seq, now, environment, source)
            deployments[deployment.id] = deployment
            return work.created_deployment(deployment, now)


def _unknown_environment(name: str, known: list[str]) -> str:
    return f"Unknown environment '{name}'; this site has: {', '.join(known)}"
