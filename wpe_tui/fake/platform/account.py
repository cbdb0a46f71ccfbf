"""`PlatformAccount`: what the credentials of the fake Hosting Platform API can see.

Two accounts (an agency and a client of it), ``sites`` sites spread over them, each
with one to three installs, and a few installs from before sites existed. Everything
historic is placed relative to ``epoch`` (the clock's time at construction), so a
ManualClock gives byte-for-byte identical answers. Records are made on first use and
cached; listing page N costs the N-th page, not the N pages before it.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from datetime import date, datetime, timedelta

from wpe_tui.fake.clock import Clock
from wpe_tui.fake.generate import GeneratedAccount
from wpe_tui.fake.platform import generate as gen
from wpe_tui.fake.platform import ids, rules
from wpe_tui.fake.platform.records import (
    JSON,
    BackupRecord,
    CopyRecord,
    DomainRecord,
    InstallRecord,
    NotFound,
    PurgeRecord,
    RestoreRecord,
    SiteRecord,
    iso,
)
from wpe_tui.fake.platform.usage import Profile, UsageBook, profile

PENDING_SECONDS = 30.0  # the newest site's installs are still being set up
REQUESTED_SECONDS = 3.0  # a new backup waits this long before it starts
USER = {"first_name": "Jordan", "last_name": "Rivera", "email": "jordan@harborlight.example"}


class PlatformAccount(GeneratedAccount):
    """The fake's whole world: accounts, sites, installs and what happened to them."""

    def __init__(
        self,
        sites: int = 120,
        seed: int = 1,
        clock: Clock | None = None,
        *,
        stuck_rate: float = 0.0,
        backup_seconds: float = 20.0,
    ) -> None:
        super().__init__(sites, seed, clock)
        if not 0.0 <= stuck_rate <= 1.0:
            raise ValueError("stuck_rate is between 0 and 1")
        self.sites = sites
        self.stuck_rate = stuck_rate
        self.backup_seconds = backup_seconds
        self.user_id = ids.make_id(seed, ids.USER, 0)
        self.account_ids = [ids.make_id(seed, ids.ACCOUNT, n) for n in range(len(gen.ACCOUNTS))]
        self.restores: list[RestoreRecord] = []  # every restore accepted, in order
        self.copies: list[CopyRecord] = []
        self.purges: list[PurgeRecord] = []
        self._usage = UsageBook(seed, self.epoch)
        self._sites: dict[int, SiteRecord] = {}
        self._installs: dict[int, InstallRecord] = {}
        self._indexes: dict[int | None, gen.InstallIndex] = {}
        self._counts: list[int] | None = None
        self._summaries: dict[tuple[str, date], JSON] = {}
        self._lock = threading.RLock()

    # -- cheap facts -------------------------------------------------------------------

    @property
    def generated_count(self) -> int:
        """Site records made so far (the laziness check of the tests)."""
        return len(self._sites)

    def _account_no(self, account_id: str | None) -> int | None:
        if account_id is None:
            return None
        if account_id not in self.account_ids:
            raise NotFound(f"Account {account_id} not found")
        return self.account_ids.index(account_id)

    def _site_indices(self, account: int | None) -> Sequence[int]:
        return range(self.sites) if account is None else gen.AccountSites(account, self.sites)

    def _install_count(self, index: int) -> int:
        if self._counts is None:
            self._counts = [len(gen.layout(self.seed, i)) for i in range(self.sites)]
        return self._counts[index]

    def _install_index(self, account: int | None) -> gen.InstallIndex:
        index = self._indexes.get(account)
        if index is None:
            orphans = [
                gen.install_code(n, gen.ORPHAN_SLOT)
                for n, (owner, _, _) in enumerate(gen.ORPHANS)
                if account is None or owner == account
            ]
            index = gen.InstallIndex(orphans, self._site_indices(account), self._install_count)
            self._indexes[account] = index
        return index

    # -- records -----------------------------------------------------------------------

    def site_record(self, index: int) -> SiteRecord:
        with self._lock:
            return self._site(index)

    def _site(self, index: int) -> SiteRecord:
        record = self._sites.get(index)
        if record is None:
            record = gen.make_site(
                self.seed,
                index,
                name=self._names.name(index),
                account_id=self.account_ids[gen.account_no(index)],
                created_at=self._timeline.created_at(index),
            )
            self._sites[index] = record
        return record

    def install_record(self, install_id: str) -> InstallRecord:
        with self._lock:
            return self._live_install(install_id)

    def _install(self, code: int) -> InstallRecord:
        record = self._installs.get(code)
        if record is not None:
            return record
        owner, slot = divmod(code, 4)
        if slot == gen.ORPHAN_SLOT:
            record = gen.make_orphan(self.seed, owner, self.account_ids, self.epoch)
        else:
            site = self._site(owner)
            envs = gen.layout(self.seed, owner)
            created = site.created_at + timedelta(days=3 * slot)
            active_at: datetime | None = created + timedelta(minutes=20)
            if self.sites >= 2 and owner == self.sites - 1:
                created = site.created_at
                active_at = self.epoch + timedelta(seconds=PENDING_SECONDS)
            if gen.is_stuck(self.seed, code, self.stuck_rate):
                active_at = None
            record = gen.make_install(
                self.seed,
                code,
                name=gen.install_names(site.name, owner, envs)[slot],
                environment=envs[slot],
                account_id=site.account_id,
                site_id=site.id,
                site_name=site.name,
                created_at=created,
                active_at=active_at,
            )
        self._installs[code] = record
        return record

    def _code(self, install_id: str) -> int:
        parsed = ids.parse_id(self.seed, ids.INSTALL, install_id)
        if parsed is not None:
            code = parsed[0]
            owner, slot = divmod(code, 4)
            if slot == gen.ORPHAN_SLOT and owner < len(gen.ORPHANS):
                return code
            if slot < 3 and owner < self.sites and slot < self._install_count(owner):
                return code
        raise NotFound(f"Install {install_id} not found")

    def _live_install(self, install_id: str) -> InstallRecord:
        return self._install(self._code(install_id))

    def _live_site(self, site_id: str) -> SiteRecord:
        parsed = ids.parse_id(self.seed, ids.SITE, site_id)
        if parsed is None or not 0 <= parsed[0] < self.sites:
            raise NotFound(f"Site {site_id} not found")
        return self._site(parsed[0])

    def backups(self, install: InstallRecord) -> dict[str, BackupRecord]:
        with self._lock:
            if install.backups is None:
                made = gen.generate_backups(self.seed, install, self.epoch, self.stuck_rate)
                install.backups = {b.id: b for b in made}
            return install.backups

    def domains(self, install: InstallRecord) -> list[DomainRecord]:
        with self._lock:
            if install.domains is None:
                install.domains = gen.generate_domains(self.seed, install, self.epoch)
            return install.domains

    def _profile(self, install: InstallRecord) -> Profile:
        new = install.active_at is None or install.active_at > self.epoch
        return profile(self.seed, install.code, install.environment, new=new)

    def _cheap_profile(self, code: int) -> Profile:
        """The profile of an install without making its record (for account-wide sums)."""
        made = self._installs.get(code)
        if made is not None:
            return self._profile(made)
        owner, slot = divmod(code, 4)
        if slot == gen.ORPHAN_SLOT:
            return profile(self.seed, code, None, new=False)
        newest = self.sites >= 2 and owner == self.sites - 1
        new = newest or gen.is_stuck(self.seed, code, self.stuck_rate)
        return profile(self.seed, code, gen.layout(self.seed, owner)[slot], new=new)

    # -- answers -----------------------------------------------------------------------

    def user(self) -> JSON:
        return {"id": self.user_id, **USER, "phone_number": None}

    def account(self, number: int) -> JSON:
        name, nickname = gen.ACCOUNTS[number]
        return {"id": self.account_ids[number], "name": name, "nickname": nickname}

    def accounts(self) -> list[JSON]:
        return [self.account(n) for n in range(len(gen.ACCOUNTS))]

    def get_account(self, account_id: str) -> JSON:
        number = self._account_no(account_id)
        assert number is not None
        return self.account(number)

    def limits(self, account_id: str) -> JSON:
        number = self._account_no(account_id)
        assert number is not None
        sites = len(gen.AccountSites(number, self.sites))
        if number == 1:  # the client's plan has no storage cap on record
            return {"visitors": 25_000, "storage": None, "bandwidth": 400}
        storage = max(100, -(-sites * 6 // 50) * 50)  # GB, rounded up to 50
        return {"visitors": storage * 1_000, "storage": storage, "bandwidth": storage * 4}

    def usage_summary(self, account_id: str) -> JSON:
        with self._lock:
            number = self._account_no(account_id)
            now = self.now()
            key = (account_id, now.date())
            if key not in self._summaries:
                index = self._install_index(number)
                profiles = (self._cheap_profile(c) for c in index.codes(0, len(index)))
                self._summaries[key] = self._usage.summary(profiles, now)
            return self._summaries[key]

    def list_sites(self, offset: int, limit: int, account_id: str | None) -> tuple[list[JSON], int]:
        with self._lock:
            now = self.now()
            indices = self._site_indices(self._account_no(account_id))
            chunk = [indices[k] for k in range(offset, min(offset + limit, len(indices)))]
            return [self._site_json(self._site(i), now) for i in chunk], len(indices)

    def get_site(self, site_id: str) -> JSON:
        with self._lock:
            return self._site_json(self._live_site(site_id), self.now())

    def _site_json(self, site: SiteRecord, now: datetime) -> JSON:
        body: JSON = {
            "id": site.id,
            "name": site.name,
            "account": {"id": site.account_id},
            "group_name": site.group_name,
            "tags": list(site.tags),
            "created_at": iso(site.created_at),
            "sandbox": site.sandbox,
            "transferable": site.transferable,
            "installs": [self._install(code).summary() for code in site.install_codes],
        }
        return {**body, **site.overrides}

    def list_installs(
        self, offset: int, limit: int, account_id: str | None
    ) -> tuple[list[JSON], int]:
        with self._lock:
            now = self.now()
            index = self._install_index(self._account_no(account_id))
            rows = [self._install(code).to_json(now) for code in index.codes(offset, limit)]
            return rows, len(index)

    def get_install(self, install_id: str) -> JSON:
        with self._lock:
            return self._live_install(install_id).to_json(self.now(), single=True)

    def usage(self, install_id: str, first: date | None, last: date | None) -> JSON:
        with self._lock:
            install = self._live_install(install_id)
            now = self.now()
            return self._usage.series(self._profile(install), install.name, now, first, last)

    def list_domains(self, install_id: str, offset: int, limit: int) -> tuple[list[JSON], int]:
        with self._lock:
            domains = self.domains(self._live_install(install_id))
            return [d.to_json() for d in domains[offset : offset + limit]], len(domains)

    def get_domain(self, install_id: str, domain_id: str) -> JSON:
        with self._lock:
            for domain in self.domains(self._live_install(install_id)):
                if domain.id == domain_id:
                    return domain.to_json()
            raise NotFound(f"Domain {domain_id} not found on install {install_id}")

    def list_backups(self, install_id: str, offset: int, limit: int) -> tuple[list[JSON], int]:
        with self._lock:
            now = self.now()
            rows = sorted(
                self.backups(self._live_install(install_id)).values(),
                key=lambda b: (b.created_at, b.id),
                reverse=True,  # newest first, as the Portal shows them
            )
            return [b.to_json(now) for b in rows[offset : offset + limit]], len(rows)

    def _live_backup(self, install_id: str, backup_id: str) -> BackupRecord:
        backup = self.backups(self._live_install(install_id)).get(backup_id)
        if backup is None:
            raise NotFound(f"Backup {backup_id} not found on install {install_id}")
        return backup

    def get_backup(self, install_id: str, backup_id: str) -> JSON:
        with self._lock:
            return self._live_backup(install_id, backup_id).to_json(self.now())

    def create_backup(self, install_id: str, description: str, emails: list[str]) -> JSON:
        with self._lock:
            now = self.now()
            install = self._live_install(install_id)
            rules.refuse_pending(install, now, "Backup")
            backups = self.backups(install)
            seq = install.next_backup_seq
            install.next_backup_seq += 1
            stuck = gen.is_stuck(self.seed, install.code * 4096 + seq, self.stuck_rate)
            started = now + timedelta(seconds=min(REQUESTED_SECONDS, self.backup_seconds))
            backup = BackupRecord(
                id=ids.make_id(self.seed, ids.BACKUP, install.code, seq),
                install_id=install.id,
                description=description,
                created_at=now,
                started_at=started,
                finished_at=None if stuck else now + timedelta(seconds=self.backup_seconds),
                outcome="completed",
                wordpress_version=install.wp_version,
            )
            backups[backup.id] = backup
            return backup.to_json(now)

    def restore(self, install_id: str, backup_id: str, **options: object) -> None:
        with self._lock:
            now = self.now()
            backup = self._live_backup(install_id, backup_id)
            rules.refuse_unfinished(backup, now)
            emails = options["notification_emails"]
            assert isinstance(emails, list)
            self.restores.append(
                RestoreRecord(
                    install_id=install_id,
                    backup_id=backup_id,
                    notification_emails=tuple(emails),
                    restore_database=bool(options["restore_database"]),
                    create_checkpoint=bool(options["create_checkpoint"]),
                    at=now,
                )
            )

    def purge(self, install_id: str, kind: str) -> None:
        with self._lock:
            now = self.now()
            install = self._live_install(install_id)
            rules.refuse_too_soon(install, kind, now)
            if kind in ("object", "all"):
                install.last_object_purge = now
            self.purges.append(PurgeRecord(install_id=install.id, type=kind, at=now))

    def copy(self, source_id: str, destination_id: str, **options: object) -> None:
        with self._lock:
            now = self.now()
            source = self._live_install(source_id)
            destination = self._live_install(destination_id)
            rules.refuse_copy(source, destination, now)
            emails = options["notification_emails"]
            assert isinstance(emails, list)
            self.copies.append(
                CopyRecord(
                    source_install_id=source.id,
                    destination_install_id=destination.id,
                    notification_emails=tuple(emails),
                    include_files=bool(options["include_files"]),
                    include_db=bool(options["include_db"]),
                    at=now,
                )
            )

    # -- for tests and the demo --------------------------------------------------------

    def site_ids(self, account_id: str | None = None) -> Sequence[int]:
        return self._site_indices(self._account_no(account_id))

    def install_ids_of_site(self, index: int) -> list[str]:
        with self._lock:
            return [self._install(code).id for code in self._site(index).install_codes]

    def orphan_install_ids(self) -> list[str]:
        with self._lock:
            return [self._install(code).id for code in self._install_index(None).orphans]

    def install_by_code(self, code: int) -> InstallRecord:
        with self._lock:
            return self._install(code)
