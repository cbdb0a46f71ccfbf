"""Clocks for the fake API: real time for the demo, manual time for tests."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta
from typing import Protocol, runtime_checkable


@runtime_checkable
class Clock(Protocol):
    """Something that tells the time, always as an aware UTC datetime."""

    def now(self) -> datetime: ...


def _as_utc(dt: datetime) -> datetime:
    # A naive datetime is taken to be UTC so tests can write datetime(2024, 1, 1).
    if dt.tzinfo is None:
        return dt.replace(tzinfo=UTC)
    return dt.astimezone(UTC)


class SystemClock:
    """The wall clock."""

    def now(self) -> datetime:
        return datetime.now(UTC)


class ManualClock:
    """A clock that only moves when told to, so every timestamp is reproducible."""

    def __init__(self, start: datetime) -> None:
        self._now = _as_utc(start)
        # Tests advance it from their thread while a FakeServer thread reads it.
        self._lock = threading.Lock()

    def now(self) -> datetime:
        with self._lock:
            return self._now

    def advance(self, seconds: float) -> None:
        with self._lock:
            self._now += timedelta(seconds=seconds)

    def set(self, dt: datetime) -> None:
        with self._lock:
            self._now = _as_utc(dt)
