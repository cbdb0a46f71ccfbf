"""The fake WP Engine API: shapes, validation, simulated time, faults and recording."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from starlette.applications import Starlette

from wpe_tui.fake import FakeAccount, FakeServer, ManualClock, RecordedRequest, create_app
from wpe_tui.fake.account import ListParams

START = datetime(2024, 5, 1, 12, 0, 0, tzinfo=UTC)
AUTH = {"Authorization": "ApiKey test-key"}

SITE_SUMMARY_KEYS = {"id", "name", "environment", "created_at", "url", "status"}
SITE_DETAIL_KEYS = SITE_SUMMARY_KEYS | {
    "updated_at",
    "php_version",
    "wordpress_version",
    "disk_usage",
    "bandwidth",
    "environments",
}
BACKUP_KEYS = {
    "id",
    "site_id",
    "description",
    "type",
    "status",
    "created_at",
    "completed_at",
    "size",
}
DEPLOYMENT_KEYS = {"id", "site_id", "environment", "source", "status", "created_at", "completed_at"}


def _client(app: Starlette, headers: dict[str, str] | None = None) -> httpx.AsyncClient:
    return httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app),
        base_url="http://fake/v1",
        headers=AUTH if headers is None else headers,
    )


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock(START)


@pytest.fixture
def account(clock: ManualClock) -> FakeAccount:
    return FakeAccount(sites=40, seed=7, clock=clock)


@pytest.fixture
def app(account: FakeAccount) -> Starlette:
    return create_app(account)


@pytest.fixture
async def client(app: Starlette) -> AsyncIterator[httpx.AsyncClient]:
    async with _client(app) as client:
        yield client


async def _all_sites(client: httpx.AsyncClient, **params: Any) -> list[dict[str, Any]]:
    response = await client.get("/sites", params={"per_page": 100, **params})
    assert response.status_code == 200
    results: list[dict[str, Any]] = response.json()["results"]
    return results


async def _snapshot(account: FakeAccount) -> list[Any]:
    async with _client(create_app(account)) as client:
        sites = (await client.get("/sites", params={"per_page": 100})).json()
        detail = (await client.get("/sites/site_10001")).json()
        backups = (await client.get("/sites/site_10003/backups", params={"per_page": 100})).json()
        deployments = (await client.get("/sites/site_10001/deployments")).json()
        deploy_id = deployments["results"][0]["id"]
        deployment = (await client.get(f"/sites/site_10001/deployments/{deploy_id}")).json()
    return [sites, detail, backups, deployments, deployment]


# -- determinism and laziness ----------------------------------------------------------


async def test_same_seed_and_clock_give_identical_json() -> None:
    first = await _snapshot(FakeAccount(sites=60, seed=3, clock=ManualClock(START)))
    second = await _snapshot(FakeAccount(sites=60, seed=3, clock=ManualClock(START)))
    other = await _snapshot(FakeAccount(sites=60, seed=4, clock=ManualClock(START)))
    assert first == second
    assert first[0] != other[0]


async def test_huge_account_is_generated_lazily() -> None:
    account = FakeAccount(sites=100_000, clock=ManualClock(START))
    assert account.generated_count == 0
    async with _client(create_app(account)) as client:
        body = (await client.get("/sites", params={"page": 1})).json()
        assert body["pagination"] == {
            "total": 100_000,
            "count": 10,
            "per_page": 10,
            "current_page": 1,
            "total_pages": 10_000,
        }
        assert account.generated_count == 10
        newest = (await client.get("/sites", params={"sort": "created_at", "order": "desc"})).json()
    assert newest["results"][0]["id"] == "site_110000"
    assert account.generated_count == 20  # the newest page, not the whole account


async def test_site_fields_and_conventions(client: httpx.AsyncClient) -> None:
    sites = await _all_sites(client)
    assert len(sites) == 40
    assert all(set(site) == SITE_SUMMARY_KEYS for site in sites)
    assert sites[0]["id"] == "site_10001"
    assert sites[0]["name"] == "Acme Corp Blog"
    assert sites[0]["url"] == "https://acmecorpblog.wpengine.com"
    assert sum("acme" in site["name"].lower() for site in sites) >= 3
    assert any("-" in site["name"] for site in sites)
    assert {site["environment"] for site in sites} == {"production"}
    assert {site["status"] for site in sites} >= {"active", "inactive", "provisioning"}
    detail = (await client.get("/sites/site_10002")).json()
    assert set(detail) == SITE_DETAIL_KEYS
    assert detail["php_version"] in {"7.4", "8.0", "8.1", "8.2", "8.3"}
    assert detail["wordpress_version"].startswith("6.")
    assert detail["disk_usage"]["unit"] == "GB"
    names = [env["name"] for env in detail["environments"]]
    assert names[:2] == ["production", "staging"]
    assert 2 <= len(names) <= 3


async def test_disk_usage_has_full_and_over_quota_sites(client: httpx.AsyncClient) -> None:
    ratios = []
    for index in range(40):
        usage = (await client.get(f"/sites/site_{10001 + index}")).json()["disk_usage"]
        ratios.append(usage["used"] / usage["total"])
    assert any(ratio > 1 for ratio in ratios)
    assert any(ratio > 0.8 for ratio in ratios if ratio <= 1)
    assert sum(ratio < 0.8 for ratio in ratios) > 20


async def test_backups_and_deployments_look_real(client: httpx.AsyncClient) -> None:
    backups = (await client.get("/sites/site_10002/backups", params={"per_page": 100})).json()
    assert 10 <= backups["pagination"]["total"] <= 40
    first = backups["results"][0]
    assert set(first) == BACKUP_KEYS
    assert first["id"].startswith("backup_")
    assert first["type"] in {"full", "database"}
    detail = (await client.get(f"/sites/site_10002/backups/{first['id']}")).json()
    assert set(detail) == BACKUP_KEYS | {"download_url", "contents"}
    assert set(detail["contents"]) == {"database", "files", "plugins", "themes"}
    deployments = await client.get("/sites/site_10002/deployments", params={"per_page": 100})
    listed = deployments.json()
    assert 5 <= listed["pagination"]["total"] <= 20
    assert set(listed["results"][-1]) == DEPLOYMENT_KEYS
    deploy_id = listed["results"][-1]["id"]
    assert deploy_id.startswith("deploy_")
    deployment = (await client.get(f"/sites/site_10002/deployments/{deploy_id}")).json()
    assert deployment["logs"].startswith("Deployment started at ")
    assert deployment["logs"].count("\n") >= 4
    assert set(deployment["changes"]) == {"added", "modified", "deleted"}


async def test_seeded_work_in_progress_finishes_on_its_own(
    client: httpx.AsyncClient, clock: ManualClock
) -> None:
    running = await client.get("/sites/site_10001/deployments", params={"status": "in_progress"})
    assert running.json()["pagination"]["total"] == 1
    deploy_id = running.json()["results"][0]["id"]
    backups = await client.get("/sites/site_10003/backups", params={"status": "in_progress"})
    assert backups.json()["pagination"]["total"] == 1
    clock.advance(91)
    deployment = (await client.get(f"/sites/site_10001/deployments/{deploy_id}")).json()
    assert deployment["status"] == "completed"
    assert deployment["logs"].endswith(f"Deployment completed at {deployment['completed_at']}")
    backups = await client.get("/sites/site_10003/backups", params={"status": "in_progress"})
    assert backups.json()["pagination"]["total"] == 0


# -- listing: sort, order, filter, pagination ------------------------------------------


async def test_sort_by_name_both_orders(client: httpx.AsyncClient) -> None:
    ascending = [site["name"] for site in await _all_sites(client, sort="name")]
    assert ascending == sorted(ascending, key=str.casefold)
    assert ascending[0] == "Acme Corp Blog"
    descending = [site["name"] for site in await _all_sites(client, sort="name", order="desc")]
    assert descending == ascending[::-1]


async def test_default_order_is_created_at_ascending(client: httpx.AsyncClient) -> None:
    sites = await _all_sites(client)
    created = [site["created_at"] for site in sites]
    assert created == sorted(created)
    newest_first = await _all_sites(client, sort="created_at", order="desc")
    assert [site["id"] for site in newest_first] == [site["id"] for site in sites][::-1]


async def test_status_filter_and_sort(client: httpx.AsyncClient) -> None:
    sites = await _all_sites(client)
    inactive = await _all_sites(client, status="inactive")
    assert inactive
    assert all(site["status"] == "inactive" for site in inactive)
    assert len(inactive) == sum(site["status"] == "inactive" for site in sites)
    assert await _all_sites(client, status="nonsense") == []
    by_status = [site["status"] for site in await _all_sites(client, sort="status")]
    assert by_status == sorted(by_status)


async def test_backup_lists_default_newest_first(client: httpx.AsyncClient) -> None:
    newest = (await client.get("/sites/site_10002/backups", params={"per_page": 100})).json()
    created = [backup["created_at"] for backup in newest["results"]]
    assert created == sorted(created, reverse=True)
    oldest = await client.get("/sites/site_10002/backups", params={"per_page": 100, "order": "asc"})
    assert [b["created_at"] for b in oldest.json()["results"]] == created[::-1]
    failed_or_done = await client.get(
        "/sites/site_10002/deployments", params={"status": "completed", "per_page": 100}
    )
    assert all(d["status"] == "completed" for d in failed_or_done.json()["results"])


@pytest.mark.parametrize(
    ("page", "per_page", "count", "total_pages"),
    [(1, 10, 10, 3), (3, 10, 5, 3), (4, 10, 0, 3), (1, 100, 25, 1), (25, 1, 1, 25)],
)
async def test_pagination_math(page: int, per_page: int, count: int, total_pages: int) -> None:
    async with _client(create_app(FakeAccount(sites=25, clock=ManualClock(START)))) as client:
        body = (await client.get("/sites", params={"page": page, "per_page": per_page})).json()
    assert len(body["results"]) == count
    assert body["pagination"] == {
        "total": 25,
        "count": count,
        "per_page": per_page,
        "current_page": page,
        "total_pages": total_pages,
    }


# -- validation, 404, 409, 401 ---------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "path", "params", "body", "field"),
    [
        ("GET", "/sites", {"per_page": "0"}, None, "per_page"),
        ("GET", "/sites", {"per_page": "101"}, None, "per_page"),
        ("GET", "/sites", {"page": "0"}, None, "page"),
        ("GET", "/sites", {"page": "two"}, None, "page"),
        ("GET", "/sites", {"sort": "url"}, None, "sort"),
        ("GET", "/sites", {"order": "up"}, None, "order"),
        ("GET", "/sites/site_10002/backups", {"sort": "name"}, None, "sort"),
        ("GET", "/sites/site_10002/deployments", {"per_page": "x"}, None, "per_page"),
        ("POST", "/sites", None, {}, "name"),
        ("POST", "/sites", None, {"name": "   "}, "name"),
        ("POST", "/sites", None, {"name": 5}, "name"),
        ("POST", "/sites", None, {"name": "X", "php_version": "5.6"}, "php_version"),
        ("PUT", "/sites/site_10002", None, {"status": "paused"}, "status"),
        ("PUT", "/sites/site_10002", None, {"name": ""}, "name"),
        ("POST", "/sites/site_10002/backups", None, {"type": "incremental"}, "type"),
        (
            "POST",
            "/sites/site_10002/deployments",
            None,
            {"source": {"type": "git", "repository": "r", "branch": "b"}},
            "environment",
        ),
        (
            "POST",
            "/sites/site_10002/deployments",
            None,
            {"environment": "qa", "source": {"type": "git", "repository": "r", "branch": "b"}},
            "environment",
        ),
        (
            "POST",
            "/sites/site_10002/deployments",
            None,
            {"environment": "staging", "source": {"type": "svn"}},
            "source.type",
        ),
        (
            "POST",
            "/sites/site_10002/deployments",
            None,
            {"environment": "staging", "source": {"type": "git", "branch": "main"}},
            "source.repository",
        ),
        (
            "POST",
            "/sites/site_10002/deployments",
            None,
            {"environment": "staging", "source": {"type": "git", "repository": "r"}},
            "source.branch",
        ),
        (
            "POST",
            "/sites/site_10002/deployments",
            None,
            {"environment": "staging", "source": {"type": "zip"}},
            "source.zip_url",
        ),
        ("POST", "/sites/site_10002/deployments", None, {"environment": "staging"}, "source"),
    ],
)
async def test_invalid_input_is_a_400_naming_the_field(
    client: httpx.AsyncClient,
    method: str,
    path: str,
    params: dict[str, str] | None,
    body: dict[str, Any] | None,
    field: str,
) -> None:
    response = await client.request(method, path, params=params, json=body)
    assert response.status_code == 400
    payload = response.json()
    assert payload["error"] == "validation_error"
    assert payload["message"]
    assert field in payload["errors"]
    assert all(isinstance(message, str) for message in payload["errors"][field])


async def _completed_backup(client: httpx.AsyncClient, site_id: str) -> str:
    backups = await client.get(f"/sites/{site_id}/backups", params={"status": "completed"})
    backup_id: str = backups.json()["results"][0]["id"]
    return backup_id


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"contents": ["database"]}, "contents"),
        ({"contents": {"database": "yes"}}, "contents"),
        ({"contents": {"uploads": True}}, "contents"),
        ({"environment": "qa"}, "environment"),
    ],
)
async def test_invalid_restore_is_a_400(
    client: httpx.AsyncClient, body: dict[str, Any], field: str
) -> None:
    backup_id = await _completed_backup(client, "site_10002")
    response = await client.post(f"/sites/site_10002/backups/{backup_id}/restore", json=body)
    assert response.status_code == 400
    assert field in response.json()["errors"]


async def test_invalid_json_and_unknown_fields(client: httpx.AsyncClient) -> None:
    broken = await client.post(
        "/sites", content=b"{not json", headers={"Content-Type": "application/json"}
    )
    assert broken.status_code == 400
    assert broken.json()["error"] == "invalid_json"
    not_object = await client.post("/sites", json=["name"])
    assert not_object.status_code == 400
    extra = await client.post("/sites", json={"name": "Extra Fields", "colour": "blue"})
    assert extra.status_code == 201


@pytest.mark.parametrize(
    "path",
    [
        "/sites/site_99999",
        "/sites/site_abc",
        "/sites/site_10002/backups/backup_1",
        "/sites/site_10002/deployments/deploy_1",
        "/sites/site_99999/backups",
        "/nowhere",
    ],
)
async def test_unknown_ids_are_404(client: httpx.AsyncClient, path: str) -> None:
    response = await client.get(path)
    assert response.status_code == 404
    assert response.json()["error"] == "not_found"
    assert response.json()["message"]


async def test_restoring_an_unfinished_backup_is_409(client: httpx.AsyncClient) -> None:
    created = await client.post("/sites/site_10002/backups", json={"description": "Now"})
    response = await client.post(f"/sites/site_10002/backups/{created.json()['id']}/restore")
    assert response.status_code == 409
    assert response.json()["error"] == "conflict"


@pytest.mark.parametrize(
    "headers",
    [{}, {"Authorization": ""}, {"Authorization": "Bearer abc"}, {"Authorization": "ApiKey"}],
)
async def test_missing_or_malformed_key_is_401(app: Starlette, headers: dict[str, str]) -> None:
    async with _client(app, headers=headers) as client:
        response = await client.get("/sites")
    assert response.status_code == 401
    assert response.json()["error"] == "unauthorized"


async def test_configured_key_must_match(account: FakeAccount) -> None:
    app = create_app(account, api_key="right")
    async with _client(app, headers={"Authorization": "ApiKey wrong"}) as client:
        assert (await client.get("/sites")).status_code == 401
    async with _client(app, headers={"Authorization": "ApiKey right"}) as client:
        assert (await client.get("/sites")).status_code == 200


# -- mutations and the simulated clock -------------------------------------------------


async def test_new_backup_completes_after_its_estimate(
    client: httpx.AsyncClient, clock: ManualClock
) -> None:
    response = await client.post(
        "/sites/site_10002/backups", json={"description": "Pre-update backup", "type": "database"}
    )
    assert response.status_code == 201
    created = response.json()
    assert set(created) == {
        "id",
        "site_id",
        "description",
        "type",
        "status",
        "created_at",
        "estimated_completion_time",
    }
    assert created["status"] == "in_progress"
    assert created["created_at"] == "2024-05-01T12:00:00Z"
    path = f"/sites/site_10002/backups/{created['id']}"
    assert (await client.get(path)).json()["status"] == "in_progress"
    done_at = datetime.fromisoformat(created["estimated_completion_time"])
    assert timedelta(seconds=8) <= done_at - START <= timedelta(seconds=20)
    clock.set(done_at)
    backup = (await client.get(path)).json()
    assert backup["status"] == "completed"
    assert backup["completed_at"] == created["estimated_completion_time"]
    assert backup["contents"] == {
        "database": True,
        "files": False,
        "plugins": False,
        "themes": False,
    }
    listed = (await client.get("/sites/site_10002/backups")).json()["results"]
    assert listed[0]["id"] == created["id"]


async def test_new_deployment_logs_grow_until_done(
    client: httpx.AsyncClient, clock: ManualClock
) -> None:
    body = {
        "environment": "staging",
        "source": {"type": "git", "repository": "github.com/acme/site", "branch": "develop"},
    }
    response = await client.post("/sites/site_10002/deployments", json=body)
    assert response.status_code == 201
    created = response.json()
    assert created["status"] == "in_progress"
    assert created["source"] == body["source"]
    path = f"/sites/site_10002/deployments/{created['id']}"
    line_counts = []
    statuses = []
    for _ in range(8):
        deployment = (await client.get(path)).json()
        line_counts.append(len(deployment["logs"].splitlines()))
        statuses.append(deployment["status"])
        clock.advance(5)
    assert line_counts == sorted(line_counts)
    assert line_counts[0] < line_counts[-1]
    assert statuses[0] == "in_progress"
    assert statuses[-1] == "completed"
    final = (await client.get(path)).json()
    assert "Checking out branch develop..." in final["logs"]
    assert final["changes"]["modified"] >= 1


async def test_deployment_from_a_failing_branch_fails(
    client: httpx.AsyncClient, clock: ManualClock
) -> None:
    body = {"environment": "production", "source": {"type": "zip", "zip_url": "https://x/fail.zip"}}
    created = (await client.post("/sites/site_10002/deployments", json=body)).json()
    clock.advance(60)
    deployment = (await client.get(f"/sites/site_10002/deployments/{created['id']}")).json()
    assert deployment["status"] == "failed"
    assert "Error:" in deployment["logs"]


async def test_new_site_provisions_then_becomes_active(
    client: httpx.AsyncClient, clock: ManualClock
) -> None:
    response = await client.post("/sites", json={"name": "Bluebird Bakery Shop"})
    assert response.status_code == 201
    created = response.json()
    assert created["id"] == "site_10041"
    assert created["status"] == "provisioning"
    assert created["url"] == "https://bluebirdbakeryshop.wpengine.com"
    assert created["estimated_completion_time"] == "2024-05-01T12:00:15Z"
    sites = await _all_sites(client, sort="created_at", order="desc")
    assert sites[0]["id"] == "site_10041"
    conflict = await client.post("/sites/site_10041/backups", json={})
    assert conflict.status_code == 409
    clock.advance(15)
    assert (await client.get("/sites/site_10041")).json()["status"] == "active"


async def test_update_site_renames_and_resorts(client: httpx.AsyncClient) -> None:
    before = [site["id"] for site in await _all_sites(client, sort="name")]
    response = await client.put(
        "/sites/site_10002", json={"name": "AAA First", "php_version": "8.3", "status": "inactive"}
    )
    assert response.status_code == 200
    updated = response.json()
    assert updated["name"] == "AAA First"
    assert updated["php_version"] == "8.3"
    assert updated["status"] == "inactive"
    assert updated["updated_at"] == "2024-05-01T12:00:00Z"
    after = [site["id"] for site in await _all_sites(client, sort="name")]
    assert after[0] == "site_10002"
    assert sorted(after) == sorted(before)
    inactive = await _all_sites(client, status="inactive")
    assert "site_10002" in [site["id"] for site in inactive]


async def test_deleted_site_disappears_after_ten_seconds(
    client: httpx.AsyncClient, clock: ManualClock
) -> None:
    response = await client.delete("/sites/site_10002")
    assert response.status_code == 202
    assert response.json() == {
        "id": "site_10002",
        "status": "deleting",
        "estimated_completion_time": "2024-05-01T12:00:10Z",
    }
    assert (await client.get("/sites/site_10002")).json()["status"] == "deleting"
    clock.advance(10)
    assert (await client.get("/sites/site_10002")).status_code == 404
    assert (await client.get("/sites/site_10002/backups")).status_code == 404
    remaining = await _all_sites(client)
    assert len(remaining) == 39
    assert "site_10002" not in [site["id"] for site in remaining]
    by_name = await _all_sites(client, sort="name")
    assert "site_10002" not in [site["id"] for site in by_name]


async def test_deleted_backup_disappears(client: httpx.AsyncClient, clock: ManualClock) -> None:
    backup_id = await _completed_backup(client, "site_10002")
    total = (await client.get("/sites/site_10002/backups")).json()["pagination"]["total"]
    response = await client.delete(f"/sites/site_10002/backups/{backup_id}")
    assert response.status_code == 202
    assert response.json()["status"] == "deleting"
    clock.advance(10)
    assert (await client.get(f"/sites/site_10002/backups/{backup_id}")).status_code == 404
    after = (await client.get("/sites/site_10002/backups")).json()["pagination"]["total"]
    assert after == total - 1


async def test_restore_answers_like_the_spec_and_completes(
    client: httpx.AsyncClient, clock: ManualClock
) -> None:
    backup_id = await _completed_backup(client, "site_10002")
    contents = {"database": True, "files": True, "plugins": False, "themes": False}
    response = await client.post(
        f"/sites/site_10002/backups/{backup_id}/restore",
        json={"environment": "staging", "contents": contents},
    )
    assert response.status_code == 202
    restore = response.json()
    assert set(restore) == {
        "id",
        "backup_id",
        "site_id",
        "environment",
        "status",
        "created_at",
        "estimated_completion_time",
        "contents",
    }
    assert restore["id"].startswith("restore_")
    assert (restore["backup_id"], restore["site_id"]) == (backup_id, "site_10002")
    assert (restore["environment"], restore["status"]) == ("staging", "in_progress")
    assert restore["contents"] == contents
    clock.set(datetime.fromisoformat(restore["estimated_completion_time"]))
    path = f"/sites/site_10002/backups/{backup_id}/restores/{restore['id']}"
    assert (await client.get(path)).json()["status"] == "completed"


# -- faults and recording --------------------------------------------------------------


async def test_fail_next_then_recover(app: Starlette, client: httpx.AsyncClient) -> None:
    app.state.faults.fail_next(2, status=503)
    first = await client.get("/sites")
    second = await client.get("/sites")
    third = await client.get("/sites")
    assert [first.status_code, second.status_code, third.status_code] == [503, 503, 200]
    assert first.json()["error"] == "service_unavailable"


async def test_rate_limit_next_sends_retry_after(app: Starlette, client: httpx.AsyncClient) -> None:
    app.state.faults.rate_limit_next(1, retry_after=2)
    limited = await client.get("/sites")
    assert limited.status_code == 429
    assert limited.headers["Retry-After"] == "2"
    assert limited.json()["error"] == "rate_limited"
    assert (await client.get("/sites")).status_code == 200


async def test_random_faults_follow_their_rates(account: FakeAccount) -> None:
    always_failing = create_app(account, fail_rate=1.0)
    async with _client(always_failing) as client:
        codes = {(await client.get("/sites")).status_code for _ in range(20)}
    assert codes <= {500, 502, 503}
    always_limited = create_app(account, rate_limit_rate=1.0, retry_after=3)
    async with _client(always_limited) as client:
        response = await client.get("/sites")
    assert (response.status_code, response.headers["Retry-After"]) == (429, "3")


async def test_dropped_connection_is_a_transport_error(
    app: Starlette, client: httpx.AsyncClient
) -> None:
    app.state.faults.drop_next(1)
    with pytest.raises(httpx.TransportError):
        await client.get("/sites")
    assert (await client.get("/sites")).status_code == 200
    assert [request.status for request in app.state.requests] == [None, 200]


async def test_requests_are_recorded_without_the_key(
    app: Starlette, client: httpx.AsyncClient
) -> None:
    await client.get("/sites", params={"per_page": 5, "sort": "name"})
    await client.post("/sites/site_10002/backups", json={"description": "Before", "type": "full"})
    requests: list[RecordedRequest] = app.state.requests
    assert [(r.method, r.path) for r in requests] == [
        ("GET", "/v1/sites"),
        ("POST", "/v1/sites/site_10002/backups"),
    ]
    assert requests[0].query == {"per_page": "5", "sort": "name"}
    assert requests[0].json is None
    assert requests[1].json == {"description": "Before", "type": "full"}
    assert requests[1].status == 201
    assert all(r.has_auth and "authorization" not in r.headers for r in requests)
    async with _client(app, headers={}) as anonymous:
        await anonymous.get("/sites")
    assert app.state.requests[-1].has_auth is False


# -- over real loopback HTTP -----------------------------------------------------------


async def test_fake_server_serves_and_drops_over_loopback() -> None:
    account = FakeAccount(sites=12, clock=ManualClock(START))
    with FakeServer(account=account, api_key="k") as server:
        assert server.base_url.startswith("http://127.0.0.1:")
        assert server.base_url.endswith("/v1")
        async with httpx.AsyncClient(
            base_url=server.base_url, headers={"Authorization": "ApiKey k"}
        ) as client:
            sites = (await client.get("/sites")).json()
            assert sites["pagination"]["total"] == 12
            server.app.state.faults.drop_next(1)
            with pytest.raises(httpx.TransportError):
                await client.get("/sites")
            assert (await client.get("/sites/site_10001")).json()["name"] == "Acme Corp Blog"
        base_url = server.base_url
    async with httpx.AsyncClient() as client:
        with pytest.raises(httpx.ConnectError):
            await client.get(base_url + "/sites", headers={"Authorization": "ApiKey k"})


@settings(max_examples=40, deadline=None)
@given(
    sites=st.integers(min_value=0, max_value=60),
    per_page=st.integers(min_value=1, max_value=100),
    sort=st.sampled_from(["name", "created_at", "status"]),
    order=st.sampled_from(["asc", "desc"]),
)
def test_pages_cover_every_site_exactly_once(
    sites: int, per_page: int, sort: str, order: str
) -> None:
    account = FakeAccount(sites=sites, clock=ManualClock(START))
    seen: list[str] = []
    page = 1
    while True:
        body = account.list_sites(ListParams(page=page, per_page=per_page, sort=sort, order=order))
        assert body["pagination"]["total"] == sites
        assert body["pagination"]["total_pages"] == -(-sites // per_page)
        assert body["pagination"]["count"] == len(body["results"])
        if not body["results"]:
            break
        seen += [site["id"] for site in body["results"]]
        page += 1
    assert page == body["pagination"]["total_pages"] + 1
    assert sorted(seen) == sorted(FakeAccount.site_id(index) for index in range(sites))
