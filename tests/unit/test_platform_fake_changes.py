"""The fake Hosting Platform API's changes and live data, over real loopback HTTP.

Backups that move from requested to completed on the simulated clock (or never, with
``stuck_rate``), restores and copies accepted with an empty 202 and recorded, the
object cache purge limit, daily usage with counters as strings, domains, installs
being set up, injected faults and write latency, and the demo in-process and on
loopback.
"""

from __future__ import annotations

import asyncio
import uuid
from types import SimpleNamespace
from typing import Any

import httpx
import pytest

from tests.fixtures import platform as fixtures
from tests.fixtures.platform import (
    API_PASSWORD,
    API_USER,
    EMAILS,
    PlatformFake,
    a_site_install,
    everything,
    fresh,
    new_account,
    ok,
)
from wpe_tui.fake import FakeServer
from wpe_tui.fake.platform import create_platform_app, platform_demo_transport
from wpe_tui.fake.platform.account import PENDING_SECONDS, REQUESTED_SECONDS
from wpe_tui.fake.platform.rules import OBJECT_PURGE_SECONDS

server, fake, http = fixtures.server, fixtures.fake, fixtures.http


# -- backups ------------------------------------------------------------------------


def test_a_new_backup_is_requested_then_in_progress_then_completed(
    http: httpx.Client, fake: PlatformFake
) -> None:
    install = a_site_install(http, "staging")["id"]
    created = ok(
        http.post(f"/installs/{install}/backups", json={"description": "Before", **EMAILS}), 202
    )
    url = f"/installs/{install}/backups/{created['id']}"

    statuses = [created["status"]]
    fake.clock.advance(REQUESTED_SECONDS)
    statuses.append(ok(http.get(url))["status"])
    fake.clock.advance(fake.account.backup_seconds)
    done = ok(http.get(url))
    listed = ok(http.get(f"/installs/{install}/backups"))["results"][0]

    assert statuses == ["requested", "in_progress"]
    assert done["status"] == "completed" and done["complete_time"] is not None
    assert created["complete_time"] is None and created["description"] == "Before"
    assert listed == done  # the newest comes first


def test_backups_are_listed_newest_first_in_every_state(fake: PlatformFake) -> None:
    # Swept through the account itself (the same JSON as served): 60 installs over HTTP
    # would only make the test slow.
    statuses: set[str] = set()
    installs, _ = fake.account.list_installs(0, 100, None)
    for install in installs:
        rows, _ = fake.account.list_backups(install["id"], 0, 100)
        stamps = [r["create_time"] for r in rows]
        assert stamps == sorted(stamps, reverse=True)
        statuses |= {r["status"] for r in rows}

    assert {"completed", "in_progress"} <= statuses
    assert statuses <= {"requested", "in_progress", "completed", "aborted"}


def test_with_stuck_rate_one_backups_never_finish(server: FakeServer) -> None:
    fake = fresh(server, new_account(stuck_rate=1.0))
    with httpx.Client(base_url=fake.base_url, auth=(API_USER, API_PASSWORD)) as http:
        install = everything(http, "/installs")[0]["id"]
        created = ok(
            http.post(f"/installs/{install}/backups", json={"description": "x", **EMAILS}), 202
        )
        fake.clock.advance(86_400)
        later = ok(http.get(f"/installs/{install}/backups/{created['id']}"))
        pending = {i["status"] for i in everything(http, "/installs") if i["site"] is not None}

    assert later["status"] == "in_progress" and later["complete_time"] is None
    assert pending == {"pending"}


def test_backup_seconds_sets_how_long_a_backup_takes(server: FakeServer) -> None:
    fake = fresh(server, new_account(backup_seconds=600))
    with httpx.Client(base_url=fake.base_url, auth=(API_USER, API_PASSWORD)) as http:
        install = a_site_install(http)["id"]
        created = ok(
            http.post(f"/installs/{install}/backups", json={"description": "x", **EMAILS}), 202
        )
        url = f"/installs/{install}/backups/{created['id']}"
        fake.clock.advance(599)
        before = ok(http.get(url))["status"]
        fake.clock.advance(1)
        after = ok(http.get(url))["status"]

    assert (before, after) == ("in_progress", "completed")


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"notification_emails": ["a@example.com"]}, "description"),
        ({"description": "  ", "notification_emails": ["a@example.com"]}, "description"),
        ({"description": "x"}, "notification_emails"),
        ({"description": "x", "notification_emails": []}, "notification_emails"),
        ({"description": "x", "notification_emails": ["not an address"]}, "notification_emails"),
        ({"description": "x", "notification_emails": "a@example.com"}, "notification_emails"),
    ],
)
def test_a_backup_request_missing_what_the_api_requires_answers_400(
    http: httpx.Client, fake: PlatformFake, body: dict[str, Any], field: str
) -> None:
    install = a_site_install(http)["id"]

    answer = ok(http.post(f"/installs/{install}/backups", json=body), 400)

    assert field in {e["field"] for e in answer["errors"]}


def test_a_restore_is_accepted_with_no_body_and_recorded(
    http: httpx.Client, fake: PlatformFake
) -> None:
    install = a_site_install(http, "staging")["id"]
    backup = next(
        b for b in everything(http, f"/installs/{install}/backups") if b["status"] == "completed"
    )

    response = http.post(
        f"/installs/{install}/backups/{backup['id']}/restore",
        json={"notification_emails": ["me@example.com"], "create_checkpoint": False},
    )

    assert response.status_code == 202 and response.content == b""
    [restore] = fake.account.restores
    assert (restore.install_id, restore.backup_id) == (install, backup["id"])
    assert restore.restore_database is True and restore.create_checkpoint is False
    assert restore.notification_emails == ("me@example.com",)


def test_restoring_an_unfinished_backup_or_without_addresses_answers_400(
    http: httpx.Client, fake: PlatformFake
) -> None:
    install = a_site_install(http)["id"]
    running = ok(
        http.post(f"/installs/{install}/backups", json={"description": "x", **EMAILS}), 202
    )
    done = next(
        b for b in everything(http, f"/installs/{install}/backups") if b["status"] == "completed"
    )
    base = f"/installs/{install}/backups"

    unfinished = ok(http.post(f"{base}/{running['id']}/restore", json=EMAILS), 400)
    no_emails = ok(http.post(f"{base}/{done['id']}/restore", json={}), 400)
    not_json = ok(http.post(f"{base}/{done['id']}/restore", content=b"restore please"), 400)

    assert "completed" in unfinished["message"]
    assert [e["field"] for e in no_emails["errors"]] == ["notification_emails"]
    assert not_json["errors"][0]["field"] == "body"
    assert fake.account.restores == []


# -- cache purge and copies ---------------------------------------------------------


def test_one_object_cache_purge_per_install_per_minute(
    http: httpx.Client, fake: PlatformFake
) -> None:
    install = a_site_install(http)["id"]
    other = a_site_install(http, "staging")["id"]
    url = f"/installs/{install}/purge_cache"

    first = http.post(url, json={"type": "object"})
    second = http.post(url, json={"type": "object"})
    all_too = http.post(url, json={"type": "all"})
    elsewhere = http.post(f"/installs/{other}/purge_cache", json={"type": "object"})
    pages = [http.post(url, json={"type": "page"}).status_code for _ in range(3)]
    fake.clock.advance(OBJECT_PURGE_SECONDS)
    later = http.post(url, json={"type": "object"})

    assert first.status_code == 202 and first.content == b""
    assert second.status_code == all_too.status_code == 429
    assert "60 seconds" in second.json()["message"]
    assert elsewhere.status_code == later.status_code == 202
    assert pages == [202, 202, 202]
    assert [p.type for p in fake.account.purges] == [
        "object",
        "object",
        "page",
        "page",
        "page",
        "object",
    ]


def test_an_unknown_cache_type_answers_400(http: httpx.Client) -> None:
    install = a_site_install(http)["id"]

    body = ok(http.post(f"/installs/{install}/purge_cache", json={"type": "opcache"}), 400)

    assert body["errors"][0]["field"] == "type"


def test_an_install_copy_is_accepted_with_no_body_and_recorded(
    http: httpx.Client, fake: PlatformFake
) -> None:
    source = a_site_install(http, "staging")
    site = next(s for s in everything(http, "/sites") if source in s["installs"])
    destination = next(i for i in site["installs"] if i["environment"] == "production")

    response = http.post(
        "/install_copy",
        json={
            "source_environment_id": source["id"],
            "destination_environment_id": destination["id"],
            "notification_emails": ["me@example.com"],
            "custom_options": {"include_files": False, "include_db": True},
        },
    )

    assert response.status_code == 202 and response.content == b""
    [copy] = fake.account.copies
    assert (copy.source_install_id, copy.destination_install_id) == (
        source["id"],
        destination["id"],
    )
    assert (copy.include_files, copy.include_db) == (False, True)


@pytest.mark.parametrize(
    ("change", "status"),
    [
        ({"destination_environment_id": "same"}, 400),
        ({"custom_options": {"include_files": False, "include_db": False}}, 400),
        ({"custom_options": {"include_db": False, "db_tables": ["wp_posts"]}}, 400),
        ({"source_environment_id": None}, 400),
        ({"destination_environment_id": str(uuid.UUID(int=77, version=4))}, 404),
    ],
)
def test_an_install_copy_that_cannot_be_done_is_refused(
    http: httpx.Client, fake: PlatformFake, change: dict[str, Any], status: int
) -> None:
    source = a_site_install(http)["id"]
    other = a_site_install(http, "staging")["id"]
    body = {"source_environment_id": source, "destination_environment_id": other, **change}
    if body["destination_environment_id"] == "same":
        body["destination_environment_id"] = source

    answer = ok(http.post("/install_copy", json=body), status)

    assert answer["message"] and fake.account.copies == []


# -- usage, domains, installs in flight ----------------------------------------------


def test_usage_is_30_days_newest_first_with_counters_as_strings(http: httpx.Client) -> None:
    install = a_site_install(http)["id"]

    series = ok(http.get(f"/installs/{install}/usage"))
    days = [m["date"] for m in series["metrics"]]

    assert len(days) == 30 and days == sorted(days, reverse=True) and days[0] == "2024-06-01"
    first = series["metrics"][0]
    assert isinstance(first["network_total_bytes"], str) and first["network_total_bytes"].isdigit()
    assert int(first["network_total_bytes"]) == int(first["network_cdn_bytes"]) + int(
        first["network_origin_bytes"]
    )
    assert series["metrics_rollup"]["network_total_bytes"]["sum"] == str(
        sum(int(m["network_total_bytes"]) for m in series["metrics"])
    )


def test_some_installs_were_never_measured_and_some_not_for_weeks(fake: PlatformFake) -> None:
    installs, _ = fake.account.list_installs(0, 100, None)
    newest = {
        i["id"]: fake.account.usage(i["id"], None, None)["metrics"][0]["storage_update_time"]
        for i in installs
    }

    never = [i for i, at in newest.items() if at is None]
    stale = [i for i, at in newest.items() if at is not None and at < "2024-05-20"]
    assert never and stale and len(never) + len(stale) < len(newest) / 2


@pytest.mark.parametrize(
    "params",
    [
        {"first_date": "2024-05-01"},
        {"first_date": "2024-05-10", "last_date": "2024-05-01"},
        {"first_date": "05/01/2024", "last_date": "2024-05-02"},
        {"since": "2024-05-01"},
    ],
)
def test_bad_usage_dates_answer_400_with_a_message(
    http: httpx.Client, params: dict[str, str]
) -> None:
    install = a_site_install(http)["id"]

    body = ok(http.get(f"/installs/{install}/usage", params=params), 400)

    assert set(body) == {"message"}


def test_usage_for_chosen_dates(http: httpx.Client) -> None:
    install = a_site_install(http)["id"]
    params = {"first_date": "2024-05-01", "last_date": "2024-05-07"}

    days = [m["date"] for m in ok(http.get(f"/installs/{install}/usage", params=params))["metrics"]]

    assert days == [f"2024-05-0{n}" for n in range(7, 0, -1)]


def test_domains_have_a_primary_redirects_and_network_statuses(fake: PlatformFake) -> None:
    installs, _ = fake.account.list_installs(0, 100, None)
    domains = [d for i in installs for d in fake.account.list_domains(i["id"], 0, 100)[0]]
    redirect = next(d for d in domains if d["redirects_to"])
    target = redirect["redirects_to"][0]

    assert any(d["primary"] for d in domains) and any(not d["primary"] for d in domains)
    assert target["name"] in {d["name"] for d in domains}
    assert {d["network_type"] for d in domains} <= {"AN", "GES", "LEGACY"}
    assert {d["ownership_status"] for d in domains} == {"TXT_VERIFIED", "TXT_VERIFICATION_PENDING"}
    assert len({d["network_details"]["network_info"]["ssl"]["status"] for d in domains}) > 1


def test_the_newest_sites_installs_are_pending_for_a_while(
    http: httpx.Client, fake: PlatformFake
) -> None:
    newest = everything(http, "/sites")[-1]
    url = f"/installs/{newest['installs'][0]['id']}"

    before = ok(http.get(url))["status"]
    fake.clock.advance(PENDING_SECONDS)
    after = ok(http.get(url))["status"]
    backup = http.post(url + "/backups", json={"description": "x", **EMAILS})

    assert (before, after) == ("pending", "active")
    assert backup.status_code == 202


def test_a_pending_install_cannot_be_backed_up(http: httpx.Client) -> None:
    newest = everything(http, "/sites")[-1]
    url = f"/installs/{newest['installs'][0]['id']}/backups"

    body = ok(http.post(url, json={"description": "x", **EMAILS}), 400)

    assert body["errors"][0]["field"] == "install_id"


# -- faults, write latency, the in-process demo -------------------------------------


def test_injected_faults_come_before_the_credentials_are_checked(fake: PlatformFake) -> None:
    fake.faults.fail_next(1, status=503)
    fake.faults.rate_limit_next(1, retry_after=7)

    failed = httpx.get(fake.base_url + "/sites")
    limited = httpx.get(fake.base_url + "/sites")

    assert failed.status_code == 503 and failed.json()["message"]
    assert limited.status_code == 429 and limited.headers["retry-after"] == "7"
    assert [r.status for r in fake.requests] == [503, 429]


def test_write_latency_delays_writes_only(monkeypatch: pytest.MonkeyPatch) -> None:
    waits: list[float] = []

    async def fake_sleep(seconds: float) -> None:
        waits.append(seconds)

    # Only this module's asyncio: another test's server thread sleeps through the real one.
    monkeypatch.setattr("wpe_tui.fake.platform.app.asyncio", SimpleNamespace(sleep=fake_sleep))
    app = create_platform_app(new_account(), write_latency_ms=250)

    async def drive() -> None:
        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app),
            base_url="http://x.localhost/v1",
            auth=("u", "p"),
        ) as client:
            install = (await client.get("/installs", params={"limit": 1})).json()["results"][0]
            await client.get(f"/installs/{install['id']}")
            response = await client.post(
                f"/installs/{install['id']}/purge_cache", json={"type": "page"}
            )
            assert response.status_code == 202

    asyncio.run(drive())

    assert waits == [0.25]


def test_the_demo_transport_serves_an_account_in_process() -> None:
    async def drive() -> tuple[int, int]:
        async with httpx.AsyncClient(
            transport=platform_demo_transport(sites=12),
            base_url="http://platform.localhost/v1",
            auth=("anyone", "anything"),
        ) as client:
            sites = (await client.get("/sites")).json()
            accounts = (await client.get("/accounts")).json()
            return sites["count"], accounts["count"]

    assert asyncio.run(drive()) == (12, 2)


def test_the_demo_server_serves_on_loopback_and_logs_each_request() -> None:
    import socket
    import subprocess
    import sys
    import time

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    code = (
        "from wpe_tui.fake.platform import run_platform_demo_server\n"
        f"run_platform_demo_server(port={port}, sites=5, access_log=True, stuck_rate=0.5)\n"
    )
    server = subprocess.Popen(
        [sys.executable, "-c", code], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    try:
        assert server.stdout is not None
        banner = server.stdout.readline()
        deadline = time.monotonic() + 20
        while True:
            try:
                response = httpx.get(
                    f"http://127.0.0.1:{port}/v1/sites", params={"limit": 2}, auth=("a", "b")
                )
                break
            except httpx.TransportError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.05)
        log_line = server.stdout.readline()
    finally:
        server.terminate()  # the process this test started, by its handle
        server.wait(timeout=10)

    assert f"http://127.0.0.1:{port}/v1" in banner and "Hosting Platform" in banner
    assert response.status_code == 200 and response.json()["count"] == 5
    assert "GET /v1/sites?limit=2 200" in log_line
