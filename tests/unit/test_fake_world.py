"""The fake's unkind options, as a client sees them over loopback HTTP: items stuck in
flight, statuses nobody listed, slow backups, records that do not parse."""

from __future__ import annotations

from collections import Counter
from collections.abc import AsyncIterator, Callable
from datetime import datetime, timedelta
from typing import Any

import httpx
import pytest
from pydantic import ValidationError

from tests.unit.conftest import SEED, Fake
from wpe_tui.api import Backup, Deployment, Site, is_final
from wpe_tui.fake import FakeAccount, ManualClock, World, create_app
from wpe_tui.fake.account import ListParams
from wpe_tui.fake.world import BAD_DATE, ODD_STATUSES

AUTH = {"Authorization": "ApiKey world-test"}
DAY = 86_400.0

Account = Callable[..., FakeAccount]


@pytest.fixture
def account(fake: Fake) -> Account:
    """Swap an account with the given options into the running server."""

    def make(sites: int = 300, **options: Any) -> FakeAccount:
        account = FakeAccount(sites=sites, seed=SEED, clock=fake.clock, **options)
        fake.server.app.state.account = account
        return account

    return make


@pytest.fixture
async def http(fake: Fake) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(base_url=fake.base_url, headers=AUTH) as client:
        yield client


async def _get(http: httpx.AsyncClient, path: str, **params: Any) -> Any:
    response = await http.get(path, params=params)
    assert response.status_code == 200, response.text
    return response.json()


async def _every(http: httpx.AsyncClient, path: str, **params: Any) -> list[dict[str, Any]]:
    """Every item of a list endpoint, page by page."""
    items: list[dict[str, Any]] = []
    page = 1
    while True:
        body = await _get(http, path, page=page, per_page=100, **params)
        items += body["results"]
        if page >= body["pagination"]["total_pages"]:
            return items
        page += 1


def _when(text: str) -> datetime:
    return datetime.fromisoformat(text)


# -- stuck ------------------------------------------------------------------------------


async def test_a_share_of_sites_stays_provisioning_for_good(
    fake: Fake, account: Account, http: httpx.AsyncClient
) -> None:
    account(sites=600, stuck_rate=0.17)
    sites = await _every(http, "/sites")
    stuck = {s["id"] for s in sites if s["status"] == "provisioning"}
    assert 0.12 * 600 < len(stuck) < 0.22 * 600  # about one in six
    fake.clock.advance(30 * DAY)
    later = await _every(http, "/sites", sort="name")
    # The newest site (index 599) finishes provisioning as it always did; the rest stay.
    still = {s["id"] for s in later if s["status"] == "provisioning"}
    assert still == stuck - {"site_10600"}
    filtered = await _every(http, "/sites", status="provisioning")
    assert {s["id"] for s in filtered} == still
    by_status = [s["status"] for s in await _every(http, "/sites", sort="status")]
    assert by_status.count("provisioning") == len(still)
    one = sorted(still)[0]
    assert (await _get(http, f"/sites/{one}"))["status"] == "provisioning"
    refused = await http.post(f"/sites/{one}/backups", json={})
    assert refused.status_code == 409


async def test_stuck_filter_stays_lazy_at_100000_sites(
    account: Account, http: httpx.AsyncClient
) -> None:
    big = account(sites=100_000, stuck_rate=0.17)
    body = await _get(http, "/sites", status="provisioning", per_page=100, page=50)
    assert 16_000 < body["pagination"]["total"] < 18_000
    assert {s["status"] for s in body["results"]} == {"provisioning"}
    # Statuses come from hashes: only the page asked for is generated, and the newest
    # site, whose status changes with time.
    assert big.generated_count == 101


async def _running(http: httpx.AsyncClient, kind: str, sites: int) -> dict[str, dict[str, Any]]:
    running: dict[str, dict[str, Any]] = {}
    for index in range(sites):
        site_id = f"site_{10001 + index}"
        response = await http.get(f"/sites/{site_id}/{kind}", params={"status": "in_progress"})
        if response.status_code == 200:
            for item in response.json()["results"]:
                running[f"sites/{site_id}/{kind}/{item['id']}"] = item
    return running


@pytest.mark.parametrize("kind", ["backups", "deployments"])
async def test_running_backups_and_deployments_can_stay_in_progress(
    fake: Fake, account: Account, http: httpx.AsyncClient, kind: str
) -> None:
    account(sites=300, stuck_rate=0.4)
    at_start = await _running(http, kind, 300)
    assert len(at_start) >= 6
    fake.clock.advance(DAY)
    stuck = await _running(http, kind, 300)
    assert stuck and set(stuck) < set(at_start)
    now = fake.clock.now()
    overdue = far = 0
    for path, item in stuck.items():
        started = _when(item["created_at"])
        assert now - started > timedelta(hours=24)  # in flight for hours before it too
        estimate = _when(item["estimated_completion_time"])
        if estimate < now:
            overdue += 1
            assert estimate - started == timedelta(minutes=20)
        else:
            far += 1
            assert estimate - now > timedelta(days=28)
        detail = await _get(http, "/" + path)
        assert detail["status"] == "in_progress" and detail["completed_at"] is None
    assert overdue and far  # real APIs do both


async def test_a_stuck_deployment_log_stops_growing(
    fake: Fake, account: Account, http: httpx.AsyncClient
) -> None:
    account(sites=120, stuck_rate=1.0)
    running = await _running(http, "deployments", 120)
    path = "/" + sorted(running)[0]
    first = (await _get(http, path))["logs"]
    fake.clock.advance(7 * DAY)
    later = await _get(http, path)
    assert later["logs"] == first
    assert 2 <= len(first.splitlines()) <= 4
    assert later["status"] == "in_progress" and later["changes"] is None


async def test_without_stuck_everything_settles(
    fake: Fake, account: Account, http: httpx.AsyncClient
) -> None:
    account(sites=60)
    fake.clock.advance(DAY)
    assert await _running(http, "backups", 60) == {}
    assert await _running(http, "deployments", 60) == {}
    assert await _every(http, "/sites", status="provisioning") == []


# -- statuses nobody listed -------------------------------------------------------------


async def test_odd_statuses_are_kept_filtered_and_not_final(
    fake: Fake, account: Account, http: httpx.AsyncClient
) -> None:
    account(sites=400, odd_status_rate=0.2)
    sites = await _every(http, "/sites")
    odd = Counter(s["status"] for s in sites if s["status"] in ODD_STATUSES)
    assert set(odd) == set(ODD_STATUSES)
    assert 0.14 * 400 < sum(odd.values()) < 0.26 * 400
    assert not any(is_final(status) for status in ODD_STATUSES)  # the app must follow them
    fake.clock.advance(30 * DAY)
    for status, count in odd.items():
        assert len(await _every(http, "/sites", status=status)) == count
    histories = Counter[str]()
    for site in sites[:40]:
        if site["status"] == "provisioning":
            continue
        for kind in ("backups", "deployments"):
            items = await _every(http, f"/sites/{site['id']}/{kind}")
            histories.update(item["status"] for item in items)
    assert set(ODD_STATUSES) <= set(histories)


async def test_stuck_and_odd_shares_add_up(account: Account, http: httpx.AsyncClient) -> None:
    account(sites=500, stuck_rate=0.5, odd_status_rate=0.5)
    statuses = Counter(s["status"] for s in await _every(http, "/sites"))
    assert statuses["active"] + statuses["inactive"] <= 2  # the first and the newest
    assert 200 < statuses["provisioning"] < 300


# -- slow backups -----------------------------------------------------------------------


async def test_backup_seconds_sets_how_long_a_new_backup_and_a_restore_take(
    fake: Fake, account: Account, http: httpx.AsyncClient
) -> None:
    account(sites=30, backup_seconds=600)
    created = (await http.post("/sites/site_10002/backups", json={"type": "full"})).json()
    started = _when(created["created_at"])
    assert _when(created["estimated_completion_time"]) - started == timedelta(seconds=600)
    path = f"/sites/site_10002/backups/{created['id']}"
    fake.clock.advance(599)
    assert (await _get(http, path))["status"] == "in_progress"
    fake.clock.advance(1)
    assert (await _get(http, path))["status"] == "completed"
    restore = await http.post(path + "/restore", json={"environment": "staging"})
    assert restore.status_code == 202
    body = restore.json()
    wait = _when(body["estimated_completion_time"]) - _when(body["created_at"])
    assert wait == timedelta(seconds=600)


# -- records that do not parse ----------------------------------------------------------


def _kind_of_damage(item: dict[str, Any], text_field: str) -> str | None:
    if item["created_at"] == BAD_DATE:
        return "bad date"
    if item["created_at"] == 12:
        return "number"
    if isinstance(item[text_field], dict):
        return "object"
    return None


async def test_bad_records_are_per_item_and_the_rest_of_the_page_parses(
    account: Account, http: httpx.AsyncClient
) -> None:
    account(sites=300, bad_record_rate=0.1)
    sites = await _every(http, "/sites")
    damage = {s["id"]: _kind_of_damage(s, "name") for s in sites}
    bad = {site_id for site_id, how in damage.items() if how}
    assert 10 < len(bad) < 55
    assert set(damage.values()) == {None, "bad date", "number", "object"}
    for site in sites:
        how = damage[site["id"]]
        if how is None:  # 12 is refused too: never read as a 1970 timestamp
            Site.model_validate(site)
        else:
            with pytest.raises(ValidationError):
                Site.model_validate(site)
    # The same items, whatever the page or the order; and their own GET is sound.
    by_name = await _every(http, "/sites", sort="name", order="desc")
    assert {s["id"] for s in by_name if _kind_of_damage(s, "name")} == bad
    one = sorted(bad)[0]
    Site.model_validate(await _get(http, f"/sites/{one}"))


async def test_bad_backups_and_deployments_in_their_lists(
    account: Account, http: httpx.AsyncClient
) -> None:
    account(sites=30, bad_record_rate=0.3)
    seen: Counter[str] = Counter()
    for index in range(1, 6):
        for kind, model, text_field in (
            ("backups", Backup, "description"),
            ("deployments", Deployment, "environment"),
        ):
            for item in await _every(http, f"/sites/site_{10001 + index}/{kind}"):
                how = _kind_of_damage(item, text_field)
                seen[f"{kind}: {how}"] += 1
                if how is not None:
                    with pytest.raises(ValidationError):
                        model.model_validate(item)
                else:
                    model.model_validate(item)
    assert seen["backups: None"] and seen["deployments: None"]
    assert any(key.startswith("backups: ") and not key.endswith("None") for key in seen)
    assert any(key.startswith("deployments: ") and not key.endswith("None") for key in seen)


# -- determinism and defaults -----------------------------------------------------------


def test_same_options_same_account_and_off_means_kind() -> None:
    def snapshot(seed: int, **options: Any) -> list[Any]:
        clock = ManualClock(datetime(2024, 5, 1, 12))
        account = FakeAccount(sites=200, seed=seed, clock=clock, **options)

        pages = [account.list_sites(ListParams(page=p, per_page=100)) for p in (1, 2)]
        return [*pages, account.list_backups("site_10004", ListParams(per_page=100))]

    unkind = {"stuck_rate": 0.3, "odd_status_rate": 0.2, "bad_record_rate": 0.2}
    assert snapshot(3, **unkind) == snapshot(3, **unkind)
    assert snapshot(3, **unkind) != snapshot(4, **unkind)
    assert snapshot(3, stuck_rate=0.0, odd_status_rate=0.0, bad_record_rate=0.0) == snapshot(3)


@pytest.mark.parametrize(
    "options",
    [{"stuck_rate": 1.5}, {"odd_status_rate": -0.1}, {"bad_record_rate": 2}, {"backup_seconds": 0}],
)
def test_out_of_range_options_are_refused(options: dict[str, float]) -> None:
    with pytest.raises(ValueError, match=next(iter(options))):
        World(**options)


def test_account_options_go_to_the_account() -> None:
    app = create_app(stuck_rate=0.2, backup_seconds=5)
    assert app.state.account.world == World(stuck_rate=0.2, backup_seconds=5)
    with pytest.raises(ValueError, match="FakeAccount"):
        create_app(FakeAccount(sites=3), stuck_rate=0.2)
