"""Bad data costs only itself: one item of a list page that does not parse shows as an
item marked unreadable, with the reason, and the rest of the page shows.

The per-item parse on its own first, then the Customer API over real loopback HTTP
(the fake's ``bad_record_rate`` and a record's ``overrides``); the Hosting Platform
API's in test_platform_unreadable.py. Nothing pretends a bad date is 1970.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from pydantic import BaseModel
from pydantic import ValidationError as PydanticValidationError

from tests.unit.conftest import SEED, Fake
from wpe_tui.api import (
    UNREADABLE,
    Account,
    Backup,
    DecodeError,
    Deployment,
    Domain,
    Install,
    Page,
    Site,
    WpeClient,
    is_final,
)
from wpe_tui.api.models import MAX_REASON, read_item, read_items
from wpe_tui.api.platform import models as wire
from wpe_tui.fake import FakeAccount
from wpe_tui.fake.account import ListParams
from wpe_tui.fake.records import OMIT
from wpe_tui.fake.world import BAD_DATE

EPOCH_YEAR = 1970

# -- the per-item parse ---------------------------------------------------------------


def test_an_item_that_fits_is_read_as_it_always_was() -> None:
    raw = {"id": "s1", "name": "Acme", "status": "active", "created_at": "2024-01-15T12:00:00Z"}
    assert read_item(Site, raw, "unreadable-1-1") == Site.model_validate(raw)
    assert read_item(Site, raw, "unreadable-1-1").unreadable is None


def test_a_bad_date_marks_the_item_and_keeps_what_could_be_read() -> None:
    raw = {"id": "s1", "name": "Acme", "url": "https://acme.example", "status": "provisioning"}
    site = read_item(Site, {**raw, "created_at": BAD_DATE}, "unreadable-1-1")

    assert site.unreadable == f"created_at: not a date ({BAD_DATE})"
    assert (site.id, site.name, site.url) == ("s1", "Acme", "https://acme.example")
    assert site.created_at is None
    # Final, whatever it said: nothing follows an item that would read the same again.
    assert site.status == UNREADABLE and is_final(site.status)


@pytest.mark.parametrize("value", [12, 12.5, 0, True, "12", "1700000000", " -3.5e2 "])
def test_a_number_where_a_date_belongs_is_unreadable_never_1970(value: Any) -> None:
    site = read_item(Site, {"id": "s1", "created_at": value}, "unreadable-1-1")
    assert site.unreadable is not None and site.unreadable.startswith("created_at: not a date (")
    assert site.created_at is None
    with pytest.raises(PydanticValidationError):
        Site.model_validate({"id": "s1", "created_at": value})


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2023-01-15T12:00:00Z", datetime(2023, 1, 15, 12, tzinfo=UTC)),
        ("2023-01-15T12:00:00", datetime(2023, 1, 15, 12, tzinfo=UTC)),  # naive: UTC
        ("2023-01-15T14:00:00+02:00", datetime(2023, 1, 15, 12, tzinfo=UTC)),
        ("2023-01-15", datetime(2023, 1, 15, tzinfo=UTC)),
    ],
)
def test_dates_as_text_are_read_as_before(text: str, expected: datetime) -> None:
    assert Backup.model_validate({"id": "b", "created_at": text}).created_at == expected


def test_a_wrong_typed_name_is_unreadable() -> None:
    site = read_item(Site, {"id": "s1", "name": {"x": 1}, "status": "active"}, "p")
    assert site.unreadable == 'name: not text ({"x": 1})'
    assert site.name == "" and site.status == UNREADABLE


def test_every_problem_counts_and_the_first_is_told() -> None:
    raw = {"id": "b1", "created_at": 12, "description": ["a"], "size": {"x": 1}}
    backup = read_item(Backup, raw, "p")
    assert backup.unreadable == 'description: not text (["a"]), and 2 more'  # model's order


@pytest.mark.parametrize(
    ("raw", "shown_id", "reason"),
    [
        pytest.param({"name": "no id"}, "unreadable-2-3", "id: missing", id="missing"),
        pytest.param({"id": None}, "unreadable-2-3", "id: not text (null)", id="null"),
        pytest.param({"id": {"x": 1}}, "unreadable-2-3", 'id: not text ({"x": 1})', id="object"),
        pytest.param(
            {"id": 12345, "created_at": 12}, "12345", "created_at: not a date (12)", id="number"
        ),
        pytest.param("site_9", "unreadable-2-3", "not an object (site_9)", id="not-an-object"),
        pytest.param(None, "unreadable-2-3", "not an object (null)", id="null-item"),
    ],
)
def test_an_item_without_an_id_of_its_own_gets_the_placeholder(
    raw: Any, shown_id: str, reason: str
) -> None:
    site = read_item(Site, raw, "unreadable-2-3")
    assert (site.id, site.unreadable, site.status) == (shown_id, reason, UNREADABLE)


def test_placeholders_are_unique_on_the_page() -> None:
    items = read_items(Deployment, [{"x": 1}, {"id": "d"}, {"y": 2}], "unreadable-s1-4")
    assert [d.id for d in items] == ["unreadable-s1-4-1", "d", "unreadable-s1-4-3"]
    offset = read_items(Deployment, [{"x": 1}], "unreadable", start=100)
    assert offset[0].id == "unreadable-101"


def test_the_reason_is_one_short_line_without_control_characters() -> None:
    hostile = "\x1b]0;pwned\x07" + "\x1b[31m" + "y\n" * 200
    site = read_item(Site, {"id": "s", "created_at": hostile, "x_" * 100: 1}, "p")
    assert site.unreadable is not None
    assert len(site.unreadable) <= MAX_REASON
    assert not any(ord(c) < 32 or 0x7F <= ord(c) < 0xA0 for c in site.unreadable)
    assert "pwned" not in site.unreadable and "…" in site.unreadable


def test_an_answer_cannot_mark_itself_unreadable() -> None:
    raw = {"id": "s", "status": "active", "unreadable": "trust me"}
    assert read_item(Site, raw, "p").unreadable is None
    page = Page[Site].model_validate({"results": [raw]})
    assert page.results[0].unreadable is None and page.results[0].status == "active"


@pytest.mark.parametrize(
    ("model", "raw"),
    [
        (Backup, {"id": "b", "description": {"x": 1}, "status": "in_progress"}),
        (Deployment, {"id": "d", "environment": {"x": 1}, "status": "in_progress"}),
        (Domain, {"id": "dm", "name": ["www"], "status": "TXT_VERIFIED"}),
        (Install, {"id": "i", "created_at": 12, "status": "pending"}),
        (Account, {"id": "a", "name": {"x": 1}}),
        (wire.Site, {"id": "s", "created_at": BAD_DATE}),
        (wire.Installation, {"id": "i", "created_at": 12}),
        (wire.Backup, {"id": "b", "create_time": BAD_DATE, "status": "requested"}),
        (wire.Domain, {"id": "dm", "name": {"x": 1}}),
        (wire.Account, {"id": "a", "nickname": ["x"]}),
    ],
)
def test_every_model_a_list_returns_can_be_marked(model: type[BaseModel], raw: Any) -> None:
    item: Any = read_item(model, raw, "p")
    assert item.id == raw["id"] and item.unreadable
    if "status" in type(item).model_fields:
        assert item.status == UNREADABLE


def test_a_page_is_read_item_by_item_and_its_envelope_still_whole() -> None:
    page = Page[Site].model_validate(
        {
            "results": [{"id": "a"}, {"id": "b", "created_at": 12}, {"name": "c"}],
            "pagination": {"total": 3, "current_page": 4},
        }
    )
    assert [(s.id, s.unreadable is not None) for s in page.results] == [
        ("a", False),
        ("b", True),
        ("unreadable-4-3", True),
    ]
    for envelope in ({"results": {"id": "a"}}, {"results": [], "pagination": {"total": "many"}}):
        with pytest.raises(PydanticValidationError):
            Page[Site].model_validate(envelope)


def test_a_usage_timestamp_that_is_a_number_is_as_good_as_none() -> None:
    day = wire.DailyUsageMetrics.model_validate({"date": "2024-06-01", "storage_update_time": 12})
    assert day.storage_update_time is None


# -- the Customer API over loopback ------------------------------------------------------


def _damage(item: dict[str, Any], text_field: str) -> str | None:
    """What the fake's bad_record_rate did to an item, as the reason says it."""
    if item["created_at"] == BAD_DATE:
        return f"created_at: not a date ({BAD_DATE})"
    if item["created_at"] == 12:
        return "created_at: not a date (12)"
    if isinstance(item[text_field], dict):
        return f'{text_field}: not text ({{"x": 1}})'
    return None


@pytest.fixture
def unkind(fake: Fake) -> FakeAccount:
    account = FakeAccount(sites=150, seed=SEED, clock=fake.clock, bad_record_rate=0.15)
    fake.server.app.state.account = account
    return account


async def test_a_page_with_bad_sites_shows_the_others_and_marks_the_bad_ones(
    client: WpeClient, unkind: FakeAccount
) -> None:
    page = await client.list_sites(page=1, per_page=100)
    served = unkind.list_sites(ListParams(page=1, per_page=100))["results"]

    assert len(page.results) == 100 and page.pagination.total == 150
    assert [s.id for s in page.results] == [s["id"] for s in served]
    reasons = {s.id: s.unreadable for s in page.results}
    assert reasons == {s["id"]: _damage(s, "name") for s in served}
    assert {r for r in reasons.values() if r} >= {
        f"created_at: not a date ({BAD_DATE})",
        "created_at: not a date (12)",
        'name: not text ({"x": 1})',
    }
    for site, raw in zip(page.results, served, strict=True):
        if site.unreadable:
            assert site.status == UNREADABLE
        else:
            assert site.status == raw["status"] and site.name == raw["name"]
        assert site.created_at is None or site.created_at.year > EPOCH_YEAR


async def test_bad_backups_and_deployments_cost_only_themselves(
    client: WpeClient, unkind: FakeAccount
) -> None:
    marked = 0
    for index in range(1, 6):
        site = unkind.site_id(index)
        backups = await client.list_backups(site, per_page=100)
        deployments = await client.list_deployments(site, per_page=100)
        params = ListParams(per_page=100, order="desc")
        for items, served, text_field in (
            (backups.results, unkind.list_backups(site, params)["results"], "description"),
            (deployments.results, unkind.list_deployments(site, params)["results"], "environment"),
        ):
            assert [i.id for i in items] == [s["id"] for s in served]
            assert [i.unreadable for i in items] == [_damage(s, text_field) for s in served]
            marked += sum(1 for i in items if i.unreadable)
    assert marked


async def test_one_record_with_a_number_for_a_date_is_unreadable_not_1970(
    client: WpeClient, fake: Fake
) -> None:
    target = fake.account.site_id(2)
    fake.account.site_record(target).overrides = {"created_at": 12}

    page = await client.list_sites(per_page=10)

    by_id = {s.id: s for s in page.results}
    assert by_id[target].unreadable == "created_at: not a date (12)"
    assert by_id[target].status == UNREADABLE and by_id[target].created_at is None
    assert by_id[target].name == fake.account.site_record(target).name
    others = [s for s in page.results if s.id != target]
    assert len(others) == 9 and all(s.unreadable is None and s.created_at for s in others)
    # A single item's own answer still fails whole: the detail screen shows the error.
    with pytest.raises(DecodeError, match="created_at"):
        await client.get_site(target)


async def test_a_record_without_an_id_gets_a_placeholder_unique_on_its_list(
    client: WpeClient, fake: Fake
) -> None:
    site = fake.account.site_id(1)
    backups = list(fake.account.backup_records(site).values())
    backups[0].overrides = {"id": OMIT}
    backups[1].overrides = {"id": {"x": 1}, "description": {"x": 1}}

    page = await client.list_backups(site, per_page=100, order="asc")

    first, second = page.results[0], page.results[1]
    assert (first.id, first.unreadable) == (f"unreadable-{site}-1-1", "id: missing")
    assert second.id == f"unreadable-{site}-1-2"
    assert second.unreadable == 'id: not text ({"x": 1}), and 1 more'
    assert all(b.unreadable is None for b in page.results[2:])
