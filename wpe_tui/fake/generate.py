"""Deterministic data generation for the fake account.

Cheap per-index facts (name, base status) come from integer hashing so they can be
computed for 100,000 sites in a fraction of a second; the rest of a site, its backups
and its deployments come from a ``random.Random`` seeded by (seed, index) and are
generated only when first needed.
"""

from __future__ import annotations

import math
import random
import re
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from wpe_tui.fake.clock import Clock, SystemClock
from wpe_tui.fake.records import (
    CONTENT_KEYS,
    BackupRecord,
    SiteRecord,
)

if TYPE_CHECKING:
    from wpe_tui.fake.world import World

# Here rather than in world.py, which imports this module for its hashes.
FOREVER = datetime(9999, 1, 1, tzinfo=UTC)  # a finish that never comes
SALT_ODD_BACKUP = 9
SALT_ODD_DEPLOYMENT = 10

_M64 = (1 << 64) - 1

SITE_NUMBER_BASE = 10001
PHP_VERSIONS = ("7.4", "8.0", "8.1", "8.2", "8.3")
LATEST_PHP = "8.3"
LATEST_WORDPRESS = "6.7"
ENVIRONMENT_NAMES = ("production", "staging", "development")

# Salts keep the hash streams of different facts independent.
SALT_STATUS = 1
SALT_SITE = 2
SALT_BACKUPS = 3
SALT_DEPLOYMENTS = 4
SALT_NAMES = 5
SALT_JITTER = 6
SALT_NEW = 7

# Fixed names so a demo always has several "acme" sites; index 0 sorts first by name too,
# because no generated brand sorts before "acme corp blog".
ACME_NAMES = {
    0: "Acme Corp Blog",
    4: "Acme-Rocket Labs",
    11: "Acme Dental Group",
    29: "Acme Corp Careers",
    57: "Acme Hardware Co",
}
OVER_QUOTA = frozenset({5, 61})  # "one or two over quota"
ALWAYS_DEPLOYING = 0  # the first site in default order always has a deployment running
ALWAYS_BACKING_UP = 2

_BRANDS = (
    "Alder", "Alpine", "Amber", "Apex", "Arbor", "Aspen", "Atlas", "Aurora", "Beacon",
    "Birch", "Bluebird", "Blue-Ridge", "Bright Path", "Brightwater", "Cedar", "Cobalt",
    "Copper Kettle", "Crescent", "Driftwood", "Ember", "Evergreen", "Fern & Fox", "Firefly",
    "Foxglove", "Golden Hour", "Granite", "Harbor", "Hearth", "Highland", "Hill-Top",
    "Ironwood", "Juniper", "Kestrel", "Lakeside", "Lantern", "Maple", "Meadowlark", "Midtown",
    "Northwind", "Oak & Ivy", "Old Mill", "Orchard", "Pine-Cone", "Quarry", "Red-Tail",
    "Riverbend", "Saffron", "Silver Birch", "Summit", "Sunflower", "Tidewater", "Timberline",
    "Twin Oaks", "Union Square", "Willow", "Windmill", "Zephyr",
)  # fmt: skip
_KINDS = (
    "Bakery", "Blog", "Dental", "Law Group", "Digital", "Creative Co", "Media Group",
    "Design Studio", "Web Agency", "Interactive", "Outfitters", "Coffee Roasters", "Realty",
    "Fitness", "Yoga Studio", "Vineyards", "Brewing Co", "Landscaping", "Plumbing",
    "Photography", "Books", "Records", "Pet Supply", "Co-op", "Veterinary Clinic", "Florist",
    "Guitar Shop", "Surf School", "Animal Rescue", "Chamber of Commerce", "Community Church",
    "Family Farm", "Tea House", "Cycling Club", "Theatre", "Auto Repair", "Hotel",
    "Ski Rentals", "Magazine", "Podcast", "E-Commerce", "Portfolio",
)  # fmt: skip
_COMBOS = len(_BRANDS) * len(_KINDS)


def mix64(x: int) -> int:
    """splitmix64 finaliser: a fast, well-spread 64-bit hash."""
    x = (x + 0x9E3779B97F4A7C15) & _M64
    x = ((x ^ (x >> 30)) * 0xBF58476D1CE4E5B9) & _M64
    x = ((x ^ (x >> 27)) * 0x94D049BB133111EB) & _M64
    return x ^ (x >> 31)


def stream(seed: int, salt: int) -> int:
    """The key of one hash stream; combine with an index as ``mix64(stream ^ index)``."""
    return mix64((seed & _M64) * 1_000_003 + salt)


def rng_for(seed: int, salt: int, index: int) -> random.Random:
    return random.Random(mix64(stream(seed, salt) ^ index))


def site_id(index: int) -> str:
    return f"site_{SITE_NUMBER_BASE + index}"


def site_index(site_id_: str) -> int | None:
    match = re.fullmatch(r"site_(\d{1,12})", site_id_)
    if match is None:
        return None
    return int(match.group(1)) - SITE_NUMBER_BASE


def slugify(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", name.lower()) or "site"


class NameBook:
    """Site names by index: distinct for the first ~2,400, then numbered."""

    def __init__(self, seed: int) -> None:
        h = stream(seed, SALT_NAMES)
        # An affine permutation of the brand x kind grid: cheap and collision-free.
        step = 7919 + (h % 997)
        while math.gcd(step, _COMBOS) != 1:
            step += 1
        self._step = step
        self._offset = (h >> 20) % _COMBOS

    def name(self, index: int) -> str:
        fixed = ACME_NAMES.get(index)
        if fixed is not None:
            return fixed
        combo = (self._step * index + self._offset) % _COMBOS
        brand = _BRANDS[combo % len(_BRANDS)]
        kind = _KINDS[combo // len(_BRANDS)]
        if index < _COMBOS:
            return f"{brand} {kind}"
        return f"{brand} {kind} {index // _COMBOS + 1}"


def base_statuses(seed: int, count: int, world: World | None = None) -> list[str]:
    """The status of every generated site before any time passes (cheap, for filters)."""
    h = stream(seed, SALT_STATUS)
    if world is None or not world.unkind_sites:
        statuses = ["inactive" if mix64(h ^ i) % 100 < 10 else "active" for i in range(count)]
    else:
        statuses = [_status_of(mix64(h ^ i), world) for i in range(count)]
    if statuses:
        statuses[0] = "active"
    if count >= 2:
        statuses[count - 1] = "provisioning"  # the newest site is still being set up
    return statuses


def _status_of(site_hash: int, world: World) -> str:
    fate = world.site_status(site_hash)
    if fate is not None:
        return fate
    return "inactive" if site_hash % 100 < 10 else "active"


def base_status(seed: int, count: int, index: int, world: World | None = None) -> str:
    """One entry of ``base_statuses`` without computing the others."""
    if count >= 2 and index == count - 1:
        return "provisioning"
    if index == 0:
        return "active"
    site_hash = mix64(stream(seed, SALT_STATUS) ^ index)
    if world is not None and world.unkind_sites:
        return _status_of(site_hash, world)
    return "inactive" if site_hash % 100 < 10 else "active"


def has_running_deployment(seed: int, index: int) -> bool:
    return index == ALWAYS_DEPLOYING or mix64(stream(seed, SALT_DEPLOYMENTS) ^ index) % 8 == 3


def has_running_backup(seed: int, index: int) -> bool:
    return index == ALWAYS_BACKING_UP or mix64(stream(seed, SALT_BACKUPS) ^ index) % 15 == 7


class SiteTimeline:
    """created_at for generated sites: strictly increasing with the index."""

    SPAN = timedelta(days=5 * 365)

    def __init__(self, seed: int, count: int, epoch: datetime) -> None:
        self._seed_stream = stream(seed, SALT_JITTER)
        self._count = count
        self._epoch = epoch
        self._step = max(self.SPAN.total_seconds() / max(count, 1), 4.0)

    def created_at(self, index: int) -> datetime:
        if self._count >= 2 and index == self._count - 1:
            return self._epoch - timedelta(seconds=10)
        # Jitter stays under half a step, so the order by index is the order by time.
        jitter = (mix64(self._seed_stream ^ index) % 1000) / 1000 * self._step * 0.45
        back = timedelta(days=1).total_seconds() + (self._count - 2 - index) * self._step + jitter
        return self._epoch - timedelta(seconds=int(back))


class GeneratedAccount:
    """What both fake accounts start from: ``sites`` generated sites of ``seed``, a clock
    (the wall clock by default), and ``epoch``, the clock's time at construction in whole
    seconds, which everything historic is placed against; the sites' names and times."""

    def __init__(self, sites: int, seed: int, clock: Clock | None) -> None:
        if sites < 0:
            raise ValueError("sites must be 0 or more")
        self.seed = seed
        self.clock: Clock = clock if clock is not None else SystemClock()
        self.epoch: datetime = self.clock.now().replace(microsecond=0)
        self._names = NameBook(seed)
        self._timeline = SiteTimeline(seed, sites, self.epoch)

    def now(self) -> datetime:
        return self.clock.now()


def generate_site(
    seed: int,
    index: int,
    name: str,
    status: str,
    created_at: datetime,
    epoch: datetime,
    *,
    settles: bool = True,
) -> SiteRecord:
    """One site; a "provisioning" one becomes active 30 s after ``epoch`` if it
    ``settles``, else it stays provisioning for good (a stuck site)."""
    rng = rng_for(seed, SALT_SITE, index)
    slug = slugify(name)
    php = rng.choices(PHP_VERSIONS, weights=(8, 12, 30, 35, 15))[0]
    wordpress = f"6.{rng.randint(0, 7)}"
    total = float(rng.choice((10, 20, 30, 50, 100)))
    roll = rng.random()
    if index in OVER_QUOTA:
        fraction = rng.uniform(1.02, 1.15)
    elif roll < 0.04:
        fraction = rng.uniform(0.955, 0.995)
    elif roll < 0.16:
        fraction = rng.uniform(0.81, 0.945)
    else:
        fraction = rng.uniform(0.05, 0.75)
    environments = [
        ("production", f"https://{slug}.wpengine.com"),
        ("staging", f"https://staging{slug}.wpengine.com"),
    ]
    if rng.random() < 0.35:
        environments.append(("development", f"https://dev{slug}.wpengine.com"))
    provisioned_at = None
    provisioning = status == "provisioning"
    if provisioning:
        if settles:
            status = "active"
            provisioned_at = epoch + timedelta(seconds=30)
        fraction = 0.01
        updated_at = created_at
    else:
        age = (epoch - created_at).total_seconds()
        updated_at = created_at + timedelta(seconds=int(age * rng.uniform(0.3, 0.99)))
    return SiteRecord(
        index=index,
        id=site_id(index),
        name=name,
        url=environments[0][1],
        environment="production",
        created_at=created_at,
        updated_at=updated_at,
        status=status,
        php_version=php,
        wordpress_version=wordpress,
        disk_used=round(total * fraction, 2),
        disk_total=total,
        bandwidth=0.0 if provisioning else round(rng.uniform(0.3, 180.0), 1),
        environments=environments,
        provisioned_at=provisioned_at,
    )


def backup_id(site: SiteRecord, seq: int) -> str:
    return f"backup_{(SITE_NUMBER_BASE + site.index) * 1000 + seq}"


def deployment_id(site: SiteRecord, seq: int) -> str:
    return f"deploy_{(SITE_NUMBER_BASE + site.index) * 1000 + seq}"


def format_size(megabytes: float) -> str:
    if megabytes >= 1000:
        return f"{megabytes / 1024:.1f}GB"
    return f"{max(int(megabytes), 1)}MB"


def backup_contents(kind: str) -> dict[str, bool]:
    return {key: kind == "full" or key == "database" for key in CONTENT_KEYS}


def backup_size(rng: random.Random, site: SiteRecord, kind: str) -> str:
    if kind == "database":
        return format_size(rng.uniform(25, 900))
    return format_size(max(site.disk_used, 0.05) * 1024 * rng.uniform(0.8, 0.98))


_DESCRIPTIONS = (
    ("Weekly automatic backup", 50),
    ("Daily automatic backup", 15),
    ("Pre-update backup", 15),
    ("Pre-deployment backup", 8),
    ("Manual backup", 7),
    ("Before plugin updates", 5),
)


def is_new_or_stuck(site: SiteRecord, epoch: datetime) -> bool:
    """A site still being set up has no backups or deployments yet."""
    if site.status == "provisioning":  # stuck for good
        return True
    return site.provisioned_at is not None and site.created_at >= epoch - timedelta(hours=1)


def history(
    seed: int, salt: int, site: SiteRecord, epoch: datetime, fewest: int, most: int, days: int
) -> tuple[random.Random, int, float] | None:
    """How a site's past backups or deployments are drawn: the random stream, how many
    there are (``fewest`` to ``most``) and the seconds between them (at most ``days``
    days); None for a site still being set up, which has none."""
    if is_new_or_stuck(site, epoch):
        return None
    rng = rng_for(seed, salt, site.index)
    count = rng.randint(fewest, most)
    usable = (epoch - site.created_at).total_seconds() - 3600
    return rng, count, min(days * 86400.0, usable / (count + 1))


def generate_backups(
    seed: int, site: SiteRecord, epoch: datetime, world: World | None = None
) -> list[BackupRecord]:
    plan = history(seed, SALT_BACKUPS, site, epoch, 10, 40, days=7)
    if plan is None:
        return []
    rng, count, spacing = plan
    running = has_running_backup(seed, site.index)
    texts = [text for text, _ in _DESCRIPTIONS]
    weights = [weight for _, weight in _DESCRIPTIONS]
    backups: list[BackupRecord] = []
    for k in range(count - 1, -1, -1):  # oldest first, so sequence numbers follow time
        seq = count - k
        description = rng.choices(texts, weights=weights)[0]
        kind = "full" if "automatic" in description or rng.random() < 0.75 else "database"
        estimated = None
        if running and k == 0:
            created = epoch - timedelta(seconds=rng.randint(1, 5))
            finished = epoch + timedelta(seconds=rng.randint(10, 60))
            outcome = "completed"
            kind = "full"
            description = rng.choice(("Daily automatic backup", "Pre-update backup"))
            stuck = world.stuck_work(seed, site.index * 2, epoch) if world else None
            if stuck is not None:
                created, finished, estimated = stuck.created_at, FOREVER, stuck.estimated_at
        else:
            offset = (k + 0.5 + rng.uniform(-0.3, 0.3)) * spacing
            created = epoch - timedelta(seconds=int(offset) + 60)
            minutes = rng.uniform(6, 25) if kind == "full" else rng.uniform(1, 5)
            finished = created + timedelta(seconds=int(minutes * 60))
            outcome = "failed" if rng.random() < 0.04 else "completed"
            if world is not None:
                key = site.index * 1000 + seq
                outcome = world.odd_status(seed, SALT_ODD_BACKUP, key) or outcome
        backups.append(
            BackupRecord(
                id=backup_id(site, seq),
                site_id=site.id,
                description=description,
                type=kind,
                created_at=created,
                finished_at=finished,
                outcome=outcome,
                size=backup_size(rng, site, kind),
                contents=backup_contents(kind),
                estimated_at=estimated,
            )
        )
    site.next_backup_seq = count + 1
    return backups
