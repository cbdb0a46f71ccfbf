"""How unkind the fake account is: the world is not the fake.

By default everything in the fake settles within seconds. Real accounts have items
that stay in flight for hours, statuses nobody listed and records that do not parse;
`World` turns each of these on, deterministically from the account's seed:

- ``stuck_rate``: that share of sites is ``provisioning`` for good, and that share of
  the backups and deployments running when the account is created stays
  ``in_progress`` for good. A stuck backup or deployment started 1 to 6 hours before
  the account was created; half of them (by hash) give an ``estimated_completion_time``
  20 minutes after they started, long past ("overdue"), the other half one 30 days
  ahead ("far future"). Real APIs do both. A stuck deployment's log stops growing
  after a few lines.
- ``odd_status_rate``: that share of sites, and of backups and deployments in their
  history, carries a status nobody listed (`ODD_STATUSES`) for good. A site is either
  stuck or odd, never both: the two shares add up (the odd share is cut to what is
  left when they add up to more than 1).
- ``backup_seconds``: how long a new backup (POST) and a restore take to complete;
  None keeps 8 to 20 s for backups and 15 to 30 s for restores.
- ``bad_record_rate``: that share of items, by ID, is broken in list pages, in one of
  three ways: ``"created_at": "2024-13-45T99:00:00Z"``, ``"created_at": 12`` (a lax
  parser such as pydantic's reads it as 1970-01-01: wrong rather than refused), or an
  object where the name (a backup's description, a deployment's environment) belongs.
  The rest of the page is normal, and so is the item's own GET.

Every choice is a hash of (seed, salt, item), never a draw from the generators'
random streams, so with everything off the account is byte-for-byte what it was.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from wpe_tui.fake.generate import mix64, stream

ODD_STATUSES = ("queued", "migrating", "paused")
STUCK_SINCE_HOURS = (1, 6)
OVERDUE_AFTER = timedelta(minutes=20)
FAR_FUTURE = timedelta(days=30)
BAD_DATE = "2024-13-45T99:00:00Z"

# Salts of the hash streams (generate.py uses 1-7, and 9-10 for odd statuses).
SALT_WORK = 8
SALT_BAD = 11

_U32 = 1 << 32


def _hash(seed: int, salt: int, key: int) -> int:
    return mix64(stream(seed, salt) ^ key)


def _check_rate(name: str, value: float) -> None:
    if not 0.0 <= value <= 1.0:
        raise ValueError(f"{name} must be between 0 and 1, not {value:g}")


@dataclass(frozen=True)
class Stuck:
    """What a stuck backup or deployment says about itself."""

    created_at: datetime
    estimated_at: datetime  # its estimated_completion_time, forever


@dataclass(frozen=True)
class World:
    stuck_rate: float = 0.0
    odd_status_rate: float = 0.0
    backup_seconds: float | None = None
    bad_record_rate: float = 0.0
    # Thresholds on 32 bits of a hash, so a 100,000-site status list costs one hash each.
    _stuck_below: int = field(init=False, repr=False, compare=False)
    _odd_below: int = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        _check_rate("stuck_rate", self.stuck_rate)
        _check_rate("odd_status_rate", self.odd_status_rate)
        _check_rate("bad_record_rate", self.bad_record_rate)
        if self.backup_seconds is not None and self.backup_seconds <= 0:
            raise ValueError(f"backup_seconds must be more than 0, not {self.backup_seconds:g}")
        stuck = int(self.stuck_rate * _U32)
        odd = min(stuck + int(self.odd_status_rate * _U32), _U32)
        object.__setattr__(self, "_stuck_below", stuck)
        object.__setattr__(self, "_odd_below", odd)

    @property
    def unkind_sites(self) -> bool:
        return self._odd_below > 0

    def site_status(self, site_hash: int) -> str | None:
        """ "provisioning" for a stuck site, an odd status, or None for an ordinary one.

        `site_hash` is the 64-bit hash generate.py already draws for the site's base
        status; its high 32 bits are used here, its low bits decide "inactive".
        """
        u = site_hash >> 32
        if u < self._stuck_below:
            return "provisioning"
        if u < self._odd_below:
            return ODD_STATUSES[(site_hash >> 8) % len(ODD_STATUSES)]
        return None

    def stuck_work(self, seed: int, key: int, epoch: datetime) -> Stuck | None:
        """Whether the item running at the start (key: which one) never finishes."""
        if not self.stuck_rate:
            return None
        h = _hash(seed, SALT_WORK, key)
        if (h >> 32) >= self._stuck_below:
            return None
        low, high = STUCK_SINCE_HOURS
        created = epoch - timedelta(seconds=int(low * 3600 + (h % ((high - low) * 3600))))
        overdue = (h >> 16) & 1 == 0
        estimated = created + OVERDUE_AFTER if overdue else epoch + FAR_FUTURE
        return Stuck(created_at=created, estimated_at=estimated)

    def odd_status(self, seed: int, salt: int, key: int) -> str | None:
        """An odd status for a backup or deployment of the history, or None."""
        if not self.odd_status_rate:
            return None
        h = _hash(seed, salt, key)
        if (h >> 32) >= int(self.odd_status_rate * _U32):
            return None
        return ODD_STATUSES[(h >> 8) % len(ODD_STATUSES)]

    def spoil(self, seed: int, body: dict[str, Any], text_field: str) -> dict[str, Any]:
        """The item's list entry, or a copy that does not parse (chosen by its ID)."""
        if not self.bad_record_rate:
            return body
        key = zlib.crc32(str(body.get("id", "")).encode())
        h = _hash(seed, SALT_BAD, key)
        if (h >> 32) >= int(self.bad_record_rate * _U32):
            return body
        how = h % 3
        if how == 0:
            return {**body, "created_at": BAD_DATE}
        if how == 1:
            return {**body, "created_at": 12}  # a number where the spec has a string
        return {**body, text_field: {"x": 1}}
