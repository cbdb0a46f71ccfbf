"""The fake's wire options and the demo server's test controls, over loopback HTTP."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from tests.unit.conftest import Fake, new_account
from wpe_tui.fake import FakeServer

AUTH = {"Authorization": "ApiKey control-test"}


@pytest.fixture(scope="module")
def controlled() -> Iterator[FakeServer]:
    """A fake that serves the demo server's /__fake__ controls too."""
    with FakeServer(account=new_account(sites=5), controls=True) as server:
        yield server


def _origin(server: FakeServer) -> str:
    return server.base_url.removesuffix("/v1")


# -- a slow gateway on writes -----------------------------------------------------------


async def test_a_late_write_answer_times_out_but_the_write_happened(fake: Fake) -> None:
    fake.faults.write_latency_ms = 3000
    impatient = httpx.Timeout(5.0, read=0.3)
    async with httpx.AsyncClient(base_url=fake.base_url, headers=AUTH, timeout=impatient) as http:
        before = (await http.get("/sites/site_10002/backups")).json()["pagination"]["total"]
        with pytest.raises(httpx.ReadTimeout):
            await http.post("/sites/site_10002/backups", json={"description": "Before the update"})
        # Reads are not held back, and the backup the client gave up on is there.
        listed = (await http.get("/sites/site_10002/backups")).json()
    assert listed["pagination"]["total"] == before + 1
    assert listed["results"][0]["description"] == "Before the update"
    assert listed["results"][0]["status"] == "in_progress"


async def test_late_write_answers_arrive_whole(fake: Fake) -> None:
    fake.faults.write_latency_ms = 50
    async with httpx.AsyncClient(base_url=fake.base_url, headers=AUTH, timeout=10) as http:
        created = await http.post("/sites/site_10002/backups", json={"type": "database"})
        renamed = await http.put("/sites/site_10002", json={"name": "Renamed Late"})
        deleted = await http.delete("/sites/site_10003")
    assert (created.status_code, renamed.status_code, deleted.status_code) == (201, 200, 202)
    assert renamed.json()["name"] == "Renamed Late"
    assert [r.status for r in fake.requests] == [201, 200, 202]


# -- the test controls --------------------------------------------------------------------


def test_rate_limit_control_limits_the_next_requests(controlled: FakeServer) -> None:
    with httpx.Client(base_url=_origin(controlled)) as http:
        queued = http.post("/__fake__/rate-limit", params={"next": 2, "retry_after": 20})
        assert queued.status_code == 200
        assert queued.json() == {"next": 2, "retry_after": 20.0, "pending": 2}
        answers = [http.get("/v1/sites", headers=AUTH) for _ in range(3)]
        stats = http.get("/__fake__/stats").json()
    assert [a.status_code for a in answers] == [429, 429, 200]
    assert answers[0].headers["Retry-After"] == "20"
    assert answers[0].json()["error"] == "rate_limited"
    assert stats["requests"] >= 3
    assert stats["by_status"]["429"] >= 2
    assert stats["rate_limits_pending"] == 0
    assert set(stats) == {
        "requests",
        "writes",
        "by_method",
        "by_status",
        "rate_limits_pending",
        "uptime_seconds",
    }


def test_stats_count_api_requests_only(controlled: FakeServer) -> None:
    with httpx.Client(base_url=_origin(controlled)) as http:
        before = http.get("/__fake__/stats").json()
        http.get("/v1/sites", headers=AUTH)
        http.get("/v1/sites")  # no key: 401, still a request the API answered
        http.post("/v1/sites/site_10002/backups", headers=AUTH, json={})
        after = http.get("/__fake__/stats").json()
    assert after["requests"] - before["requests"] == 3
    assert after["writes"] - before["writes"] == 1
    assert after["by_status"]["401"] - before["by_status"].get("401", 0) == 1


@pytest.mark.parametrize(
    ("method", "path", "params", "status"),
    [
        ("POST", "/__fake__/rate-limit", {"next": "0"}, 400),
        ("POST", "/__fake__/rate-limit", {"next": "many"}, 400),
        ("POST", "/__fake__/rate-limit", {"retry_after": "soon"}, 400),
        ("POST", "/__fake__/rate-limit", {"retry_after": "nan"}, 400),
        ("GET", "/__fake__/rate-limit", {}, 405),
        ("POST", "/__fake__/stats", {}, 405),
        ("GET", "/__fake__/nothing", {}, 404),
    ],
)
def test_bad_controls_are_refused(
    controlled: FakeServer, method: str, path: str, params: dict[str, str], status: int
) -> None:
    with httpx.Client(base_url=_origin(controlled)) as http:
        response = http.request(method, path, params=params)
        stats = http.get("/__fake__/stats").json()
    assert response.status_code == status
    assert response.json()["error"]
    assert stats["rate_limits_pending"] == 0


async def test_controls_answer_loopback_clients_only(controlled: FakeServer) -> None:
    transport = httpx.ASGITransport(app=controlled.controls, client=("203.0.113.7", 4000))
    async with httpx.AsyncClient(transport=transport, base_url="http://fake") as http:
        refused = await http.post("/__fake__/rate-limit")
    assert refused.status_code == 403
    assert controlled.app.state.faults.pending == 0


def test_controls_are_not_in_the_plain_fake(fake: Fake) -> None:
    with httpx.Client(base_url=fake.base_url.removesuffix("/v1"), headers=AUTH) as http:
        assert http.post("/__fake__/rate-limit").status_code == 404
    assert fake.faults.pending == 0
