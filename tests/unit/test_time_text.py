"""One date format, with its zone where a full timestamp is shown."""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest

from wpe_tui import text


@pytest.fixture
def berlin(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("TZ", "Europe/Berlin")
    time.tzset()
    monkeypatch.setattr(text, "now", lambda: datetime(2026, 12, 1, 12, 0, tzinfo=UTC))
    yield
    monkeypatch.undo()
    time.tzset()  # back to the machine's zone for the tests after


def test_a_full_timestamp_is_local_with_its_zone(berlin: None) -> None:
    assert text.when(datetime(2026, 11, 28, 13, 3, tzinfo=UTC)) == "2026-11-28 14:03 CET"
    assert text.when(datetime(2026, 7, 1, 13, 3, tzinfo=UTC)) == "2026-07-01 15:03 CEST"
    assert text.when(None) == "—"


def test_a_column_timestamp_has_one_format_whatever_the_year(berlin: None) -> None:
    # This year's and an older one line up: "11-28 14:03" beside "2025-11-28" did not.
    assert text.when_short(datetime(2026, 11, 28, 13, 3, tzinfo=UTC)) == "2026-11-28 14:03"
    assert text.when_short(datetime(2021, 12, 26, 13, 3, tzinfo=UTC)) == "2021-12-26 14:03"
    assert text.day(datetime(2021, 12, 26, 23, 30, tzinfo=UTC)) == "2021-12-27"
