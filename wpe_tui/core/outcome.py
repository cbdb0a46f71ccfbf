"""After a write whose outcome is unknown: was it applied?

A read timeout, a connection dropped after the body was sent, or a gateway's 502, 503
or 504 mean the server may have done it. Saying "nothing changed" then invites a
second restore or deployment, so the app checks by itself, by reading back what the
write would have changed and matching it on what was sent:

- a new item (backup, deployment, site): the first page's ids are noted before
  sending; a new id with the fields that were sent counts as applied;
- a change or a deletion: the item itself is read again;
- what the API gives no way to read back (a restore, an environment copy, a purge):
  the outcome cannot be checked, and the user is told so.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from enum import Enum
from typing import Any

from wpe_tui.api.errors import ApiError, NotFoundError


class Verdict(Enum):
    APPLIED = "it was applied"
    NOT_APPLIED = "it was not applied"
    UNKNOWN = "still unknown"
    UNCHECKABLE = "it cannot be checked on this API"


@dataclass(frozen=True)
class Outcome:
    verdict: Verdict
    found: Any = None  # the item the write made or changed, when applied


class WriteCheck:
    """How to tell whether a write was applied: `before` runs before it is sent."""

    async def before(self) -> None:
        return None

    async def after(self) -> Outcome:
        return Outcome(Verdict.UNCHECKABLE)


class Uncheckable(WriteCheck):
    """Nothing to read back (a restore or a copy on the Hosting Platform API)."""


class NewItemCheck(WriteCheck):
    """A create: the newest items, before and after; a new one that matches what was
    sent is the one the write made."""

    def __init__(
        self,
        newest: Callable[[], Awaitable[Iterable[Any]]],
        matches: Callable[[Any], bool],
    ) -> None:
        self._newest = newest
        self._matches = matches
        self._before: set[str] | None = None

    async def before(self) -> None:
        try:
            self._before = {str(item.id) for item in await self._newest()}
        except ApiError:
            self._before = None  # then only a check that finds nothing can say "unknown"

    async def after(self) -> Outcome:
        try:
            items = list(await self._newest())
        except ApiError:
            return Outcome(Verdict.UNKNOWN)
        new = [i for i in items if self._before is None or str(i.id) not in self._before]
        found = next((item for item in new if self._matches(item)), None)
        if found is not None:
            return Outcome(Verdict.APPLIED, found)
        if self._before is None:
            return Outcome(Verdict.UNKNOWN)  # no list from before: cannot rule it out
        return Outcome(Verdict.NOT_APPLIED)


class ItemCheck(WriteCheck):
    """A change or a deletion: the item, read again, says whether it took."""

    def __init__(
        self,
        read: Callable[[], Awaitable[Any]],
        applied: Callable[[Any | None], bool],
    ) -> None:
        self._read = read
        self._applied = applied  # given the item now, None when it is gone (404)

    async def after(self) -> Outcome:
        try:
            item = await self._read()
        except NotFoundError:
            item = None
        except ApiError:
            return Outcome(Verdict.UNKNOWN)
        if self._applied(item):
            return Outcome(Verdict.APPLIED, item)
        return Outcome(Verdict.NOT_APPLIED)
