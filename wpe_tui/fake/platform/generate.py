"""Deterministic data of the fake Hosting Platform account.

Cheap per-index facts (which account a site is in, how many installs it has) come
from integer hashing, so 100,000 sites cost a fraction of a second; a site's records,
an install's backups and its domains come from a ``random.Random`` seeded by
(seed, what) and are made only when first needed.
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from typing import overload

from wpe_tui.fake.generate import ACME_NAMES, mix64, rng_for, stream
from wpe_tui.fake.platform import ids
from wpe_tui.fake.platform.records import BackupRecord, DomainRecord, InstallRecord, SiteRecord

ENVIRONMENTS = ("production", "staging", "development")
PHP_VERSIONS = ("7.4", "8.0", "8.1", "8.2", "8.3")
ORPHAN_SLOT = 3  # an install code whose slot is 3 belongs to no site

SALT_LAYOUT = 201
SALT_INSTALL = 202
SALT_BACKUPS = 203
SALT_DOMAINS = 204
SALT_STUCK = 205
SALT_SITE = 206
SALT_NEW = 207

# (name, nickname): an agency and one of its clients, who gave the agency access.
ACCOUNTS = (
    ("harborlightagency", "Harbor Light Agency"),
    ("acmeholdings", "Acme Holdings"),
)
CLIENT_EVERY = 4  # every fourth site belongs to the client account

# Installs from before sites existed: no site, no environment type.
ORPHANS = (
    (0, "legacyshop", "shop.harborlight-legacy.com"),
    (0, "acmeoldsite", "old.acme-example.com"),
    (1, "promo2019", None),
)

_TLDS = (".com", ".com", ".com", ".co", ".org", ".net", ".io")
_GROUPS = (None, None, "Retainer", "Maintenance", "Overdue", "Launch queue")
_TAGS = ("woocommerce", "multilingual", "membership", "headless", "high-traffic", "seasonal")


def account_no(index: int) -> int:
    return 1 if index % CLIENT_EVERY == CLIENT_EVERY - 1 else 0


class AccountSites(Sequence[int]):
    """The site indices of one account, in order, without listing them."""

    def __init__(self, number: int, sites: int) -> None:
        self.number = number
        client = len(range(CLIENT_EVERY - 1, sites, CLIENT_EVERY))
        self._len = client if number == 1 else sites - client

    def __len__(self) -> int:
        return self._len

    @overload
    def __getitem__(self, k: int) -> int: ...

    @overload
    def __getitem__(self, k: slice) -> Sequence[int]: ...

    def __getitem__(self, k: int | slice) -> int | Sequence[int]:
        if isinstance(k, slice):
            return [self[i] for i in range(*k.indices(self._len))]
        if not 0 <= k < self._len:
            raise IndexError(k)
        if self.number == 1:
            return CLIENT_EVERY * k + CLIENT_EVERY - 1
        return k + k // (CLIENT_EVERY - 1)


class InstallIndex:
    """The install codes of a set of sites, in order: orphans first (the oldest), then
    each site's installs. Position -> code by bisecting the running install counts."""

    def __init__(self, orphans: list[int], sites: Sequence[int], count: Callable[[int], int]):
        self.orphans = orphans
        self.sites = sites
        self._starts = list(itertools.accumulate((count(i) for i in sites), initial=len(orphans)))

    def __len__(self) -> int:
        return self._starts[-1]

    def codes(self, offset: int, limit: int) -> list[int]:
        codes = []
        for position in range(offset, min(offset + limit, len(self))):
            if position < len(self.orphans):
                codes.append(self.orphans[position])
                continue
            k = bisect.bisect_right(self._starts, position) - 1
            codes.append(install_code(self.sites[k], position - self._starts[k]))
        return codes


def layout(seed: int, index: int) -> tuple[str | None, ...]:
    """The environment types of a site's installs (None: a legacy install)."""
    if index in ACME_NAMES:  # the demo's acme sites are complete and modern
        return ENVIRONMENTS if index == 0 else ENVIRONMENTS[:2]
    h = mix64(stream(seed, SALT_LAYOUT) ^ index)
    roll = h % 100
    if roll < 6:
        return (None,) if (h >> 8) % 3 else (None, None)
    if roll < 9:
        return ("development",)  # a sandbox site
    return ENVIRONMENTS[: (1, 2, 2, 3, 3)[(h >> 16) % 5]]


def install_code(owner: int, slot: int) -> int:
    return owner * 4 + slot


def is_stuck(seed: int, key: int, rate: float) -> bool:
    """Whether this thing stays in flight for good (the `stuck_rate` share of them)."""
    return rate > 0 and mix64(stream(seed, SALT_STUCK) ^ key) / 2.0**64 < rate


def _letters(name: str) -> str:
    return re.sub(r"[^a-z]", "", name.lower()) or "site"


def install_names(site_name: str, index: int, envs: tuple[str | None, ...]) -> list[str]:
    """Names that match the API's ``^[a-z][a-z0-9]{2,13}$``."""
    digits = str(index) if index >= 2000 else ""  # generated names repeat past ~2,400
    base = (_letters(site_name)[: 11 - len(digits)] + digits).ljust(3, "x")
    names = []
    for slot, env in enumerate(envs):
        if env is None:
            names.append(base if slot == 0 else base[:11] + "old")
        else:
            names.append(
                {"production": base, "staging": base[:11] + "stg"}.get(env, base[:11] + "dev")
            )
    return names


def make_site(
    seed: int, index: int, *, name: str, account_id: str, created_at: datetime
) -> SiteRecord:
    envs = layout(seed, index)
    rng = rng_for(seed, SALT_SITE, index)
    sandbox = envs == ("development",)
    return SiteRecord(
        index=index,
        id=ids.make_id(seed, ids.SITE, index),
        name=name,
        account_id=account_id,
        created_at=created_at,
        group_name=rng.choice(_GROUPS),
        tags=sorted(rng.sample(_TAGS, rng.choice((0, 0, 1, 2)))),
        sandbox=sandbox,
        transferable=sandbox,
        install_codes=[install_code(index, slot) for slot in range(len(envs))],
    )


def make_orphan(seed: int, n: int, account_ids: list[str], epoch: datetime) -> InstallRecord:
    """Install ``n`` of ORPHANS: years old, active, no site, no environment type."""
    account, name, domain = ORPHANS[n]
    created = epoch - timedelta(days=2900 - 200 * n)
    return make_install(
        seed,
        install_code(n, ORPHAN_SLOT),
        name=name,
        environment=None,
        account_id=account_ids[account],
        site_id=None,
        site_name=name,
        created_at=created,
        active_at=created,
        custom_domain=domain,
    )


def make_install(
    seed: int,
    code: int,
    *,
    name: str,
    environment: str | None,
    account_id: str,
    site_id: str | None,
    site_name: str,
    created_at: datetime,
    active_at: datetime | None,
    custom_domain: str | None = None,
) -> InstallRecord:
    rng = rng_for(seed, SALT_INSTALL, code)
    cname = f"{name}.wpengine.com"
    primary: str | None = cname
    if custom_domain is not None:
        primary = custom_domain
    elif environment in ("production", None) and rng.random() < 0.8:
        primary = _letters(site_name)[:24] + rng.choice(_TLDS)
    elif environment == "development" and rng.random() < 0.3:
        primary = None
    legacy = environment is None
    php: str | None = rng.choices(PHP_VERSIONS, weights=(8, 12, 30, 35, 15))[0]
    if legacy:
        php = rng.choice(("7.4", "7.4", "8.0", None))
    stable = rng.random() < 0.05
    return InstallRecord(
        code=code,
        id=ids.make_id(seed, ids.INSTALL, code),
        name=name,
        account_id=account_id,
        site_id=site_id,
        environment=environment,
        cname=cname,
        primary_domain=primary,
        php_version=php,
        wp_version=f"6.{rng.randint(2, 8)}.{rng.randint(0, 3)}",
        is_multisite=None if legacy else rng.random() < 0.05,
        stable_ips=[f"35.{rng.randint(1, 250)}.{rng.randint(1, 250)}.{n}" for n in (10, 11)]
        if stable
        else None,
        created_at=created_at,
        active_at=active_at,
    )


_DESCRIPTIONS = (
    ("Daily automatic backup", 55),
    ("Automatic backup before WordPress update", 10),
    ("Before plugin updates", 8),
    ("Pre-deploy snapshot", 8),
    ("Manual backup", 6),
    (None, 13),  # older automatic checkpoints carry no description
)
ALWAYS_BACKING_UP = install_code(2, 0)  # the production install of the third site


def has_running_backup(seed: int, code: int) -> bool:
    return code == ALWAYS_BACKING_UP or mix64(stream(seed, SALT_BACKUPS) ^ code) % 15 == 7


def generate_backups(
    seed: int, install: InstallRecord, epoch: datetime, stuck_rate: float
) -> list[BackupRecord]:
    """An install's backups, oldest first: about one a day, the newest maybe running."""
    if install.active_at is None or install.active_at > epoch - timedelta(hours=1):
        return []  # a new or pending install has none yet
    rng = rng_for(seed, SALT_BACKUPS, install.code)
    count = rng.randint(6, 24)
    running = has_running_backup(seed, install.code)
    texts = [text for text, _ in _DESCRIPTIONS]
    weights = [weight for _, weight in _DESCRIPTIONS]
    backups: list[BackupRecord] = []
    for k in range(count - 1, -1, -1):
        seq = count - k
        backup_id = ids.make_id(seed, ids.BACKUP, install.code, seq)
        description = rng.choices(texts, weights=weights)[0]
        if running and k == 0:
            created = epoch - timedelta(seconds=rng.randint(20, 90))
            started = created + timedelta(seconds=3)
            stuck = is_stuck(seed, install.code * 4096 + seq, stuck_rate)
            finished = None if stuck else epoch + timedelta(seconds=rng.randint(10, 60))
            outcome = "completed"
            description = "Daily automatic backup"
        else:
            created = epoch - timedelta(
                days=k + 1, hours=rng.uniform(0, 6), minutes=rng.randint(0, 59)
            )
            started = created + timedelta(seconds=rng.randint(2, 30))
            finished = started + timedelta(minutes=rng.uniform(3, 25))
            outcome = "aborted" if rng.random() < 0.03 else "completed"
        backups.append(
            BackupRecord(
                id=backup_id,
                install_id=install.id,
                description=description,
                created_at=created.replace(microsecond=0),
                started_at=started.replace(microsecond=0),
                finished_at=finished.replace(microsecond=0) if finished else None,
                outcome=outcome,
                wordpress_version=install.wp_version,
            )
        )
    install.next_backup_seq = count + 1
    return backups


def generate_domains(seed: int, install: InstallRecord, epoch: datetime) -> list[DomainRecord]:
    rng = rng_for(seed, SALT_DOMAINS, install.code)
    network = rng.choices(("AN", "GES", "LEGACY"), weights=(6, 2, 2))[0]
    verified = epoch - timedelta(days=rng.randint(30, 900))
    numbers = iter(range(1, 100))

    def domain(name: str, primary: bool, **changes: object) -> DomainRecord:
        record = DomainRecord(
            id=ids.make_id(seed, ids.DOMAIN, install.code, next(numbers)),
            name=name,
            primary=primary,
            duplicate=False,
            secure_all_urls=network != "LEGACY",
            network_type=network,
            network_status="ACTIVE",
            ssl_status="active",
            redirects_to=[],
            verified_at=verified,
            verification_value=f"wpe-{rng.getrandbits(64):016x}",
        )
        for key, value in changes.items():
            setattr(record, key, value)
        return record

    cname = domain(install.cname, primary=install.primary_domain in (None, install.cname))
    primary = install.primary_domain
    if primary is None or primary == install.cname:
        return [cname]
    apex = domain(primary, primary=True)
    domains = [apex, domain("www." + primary, False, redirects_to=[(apex.id, apex.name)]), cname]
    if rng.random() < 0.15:  # a domain just added: not verified, not serving yet
        domains.append(
            domain(
                "shop." + primary,
                False,
                network_status="PENDING",
                ssl_status="pending",
                verified_at=None,
            )
        )
    if rng.random() < 0.05:
        domains[0].ssl_status = "expired"
    return domains
