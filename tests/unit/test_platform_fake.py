"""The fake Hosting Platform API over real loopback HTTP, as a client sees it.

What a user of the demo (and every adapter test) relies on: two accounts of
realistic sites and installs, generated lazily and identically from a seed, lists
paged by limit/offset with absolute next/previous links on the server's own host,
backups that move from requested to completed on the simulated clock, the API's
refusals (400 with field errors, 401, 404, the object cache purge limit) and no
trace of the password anywhere.
"""

from __future__ import annotations

import asyncio
import base64
import uuid
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from tests.fixtures.platform import (
    API_PASSWORD,
    API_USER,
    START,
    PlatformFake,
    fresh,
    new_account,
    serve,
)
from wpe_tui.fake import FakeServer, ManualClock
from wpe_tui.fake.platform import PlatformAccount, create_platform_app, platform_demo_transport
from wpe_tui.fake.platform.account import PENDING_SECONDS, REQUESTED_SECONDS
from wpe_tui.fake.platform.rules import OBJECT_PURGE_SECONDS

EMAILS = {"notification_emails": ["ops@example.com"]}


@pytest.fixture(scope="module")
def server() -> Iterator[FakeServer]:
    yield from serve()


@pytest.fixture
def fake(server: FakeServer) -> PlatformFake:
    return fresh(server)


@pytest.fixture
def http(fake: PlatformFake) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=fake.base_url, auth=(API_USER, API_PASSWORD)) as client:
        yield client


def ok(response: httpx.Response, status: int = 200) -> Any:
    assert response.status_code == status, response.text
    return response.json() if response.content else None


def everything(http: httpx.Client, path: str, **params: Any) -> list[dict[str, Any]]:
    """Every item of a list, following `next` as a client would."""
    items: list[dict[str, Any]] = []
    url: str | None = path
    query: dict[str, Any] | None = {"limit": 100, **params}
    while url is not None:
        body = ok(http.get(url, params=query))
        items.extend(body["results"])
        url, query = body["next"], None
    return items


def a_site_install(http: httpx.Client, environment: str = "production") -> dict[str, Any]:
    for site in everything(http, "/sites"):
        for install in site["installs"]:
            if install["environment"] == environment:
                return dict(install)
    raise AssertionError(f"no {environment} install")


# -- the account --------------------------------------------------------------------


def test_the_credentials_see_two_accounts_with_names_and_nicknames(http: httpx.Client) -> None:
    body = ok(http.get("/accounts"))

    assert body["count"] == len(body["results"]) == 2
    assert all(a["name"] and a["nickname"] for a in body["results"])
    assert len({a["id"] for a in body["results"]}) == 2
    assert ok(http.get(f"/accounts/{body['results'][1]['id']}")) == body["results"][1]


def test_sites_of_both_accounts_add_up_to_the_whole_list(http: httpx.Client) -> None:
    accounts = [a["id"] for a in ok(http.get("/accounts"))["results"]]
    every = everything(http, "/sites")
    per_account = [everything(http, "/sites", account_id=a) for a in accounts]

    assert len(every) == 30 == ok(http.get("/sites"))["count"]
    assert all(part for part in per_account)
    assert sorted(s["id"] for part in per_account for s in part) == sorted(s["id"] for s in every)
    for account_id, part in zip(accounts, per_account, strict=True):
        assert {s["account"]["id"] for s in part} == {account_id}


def test_sites_have_one_to_three_installs_some_legacy_some_acme(http: httpx.Client) -> None:
    sites = everything(http, "/sites")
    counts = {len(s["installs"]) for s in sites}
    environments = {i["environment"] for s in sites for i in s["installs"]}

    assert counts <= {1, 2, 3} and len(counts) > 1
    assert environments == {"production", "staging", "development", None}
    assert sum("acme" in s["name"].lower() for s in sites) >= 3
    for site in sites:
        uuid.UUID(site["id"])
        names = [i["name"] for i in site["installs"]]
        assert all(n[0].isalpha() and n.isalnum() and n.islower() and len(n) <= 14 for n in names)


def test_installs_include_some_that_belong_to_no_site(http: httpx.Client) -> None:
    installs = everything(http, "/installs")
    in_sites = {i["id"] for s in everything(http, "/sites") for i in s["installs"]}
    orphans = [i for i in installs if i["site"] is None]

    assert len(installs) == ok(http.get("/installs"))["count"] == len(in_sites) + len(orphans)
    assert 1 < len(orphans) < 10
    assert {i["id"] for i in installs if i["site"] is not None} == in_sites
    assert all(i["environment"] is None for i in orphans)
    one = ok(http.get(f"/installs/{orphans[0]['id']}"))
    assert one["site"] is None and one["wp_version"]  # a single GET has the WordPress version


def test_the_account_filter_of_installs(http: httpx.Client) -> None:
    accounts = [a["id"] for a in ok(http.get("/accounts"))["results"]]
    parts = [everything(http, "/installs", account_id=a) for a in accounts]

    assert sum(len(p) for p in parts) == ok(http.get("/installs"))["count"]
    for account_id, part in zip(accounts, parts, strict=True):
        assert {i["account"]["id"] for i in part} == {account_id}


def test_the_same_seed_gives_the_same_answers_another_seed_other_ids() -> None:
    def first_page(account: PlatformAccount) -> list[dict[str, Any]]:
        transport = httpx.ASGITransport(app=create_platform_app(account))

        async def read() -> list[dict[str, Any]]:
            async with httpx.AsyncClient(
                transport=transport, base_url="http://fake.localhost/v1", auth=("u", "p")
            ) as client:
                return list((await client.get("/sites")).json()["results"])

        return asyncio.run(read())

    once, twice = first_page(new_account()), first_page(new_account())
    other = first_page(PlatformAccount(sites=30, seed=99, clock=ManualClock(START)))

    assert once == twice
    assert {s["id"] for s in once}.isdisjoint({s["id"] for s in other})
    assert all(uuid.UUID(s["id"]).version == 4 for s in once)


def test_a_huge_account_generates_only_what_is_asked() -> None:
    account = PlatformAccount(sites=100_000, seed=3, clock=ManualClock(START))

    rows, count = account.list_sites(99_990, 10, None)
    installs, install_count = account.list_installs(150_000, 10, None)

    assert count == 100_000 and len(rows) == 10
    assert install_count > 100_000 and len(installs) == 10
    assert account.generated_count <= 20  # the page's sites and the installs' sites


def test_the_plan_limits_one_account_has_no_storage_limit(http: httpx.Client) -> None:
    accounts = [a["id"] for a in ok(http.get("/accounts"))["results"]]
    limits = [ok(http.get(f"/accounts/{a}/limits")) for a in accounts]

    assert any(lim["storage"] is None for lim in limits)
    assert any(isinstance(lim["storage"], int) and lim["storage"] > 0 for lim in limits)
    assert all(isinstance(lim["bandwidth"], int) for lim in limits)


def test_the_current_user_has_an_email(http: httpx.Client) -> None:
    user = ok(http.get("/user"))

    assert "@" in user["email"] and user["id"]


# -- paging -------------------------------------------------------------------------


def test_next_and_previous_are_absolute_urls_on_the_servers_own_host(
    http: httpx.Client, fake: PlatformFake
) -> None:
    first = ok(http.get("/sites", params={"limit": 7}))
    middle = ok(http.get("/sites", params={"limit": 7, "offset": 14}))
    last = ok(http.get("/sites", params={"limit": 7, "offset": 28}))

    assert first["previous"] is None
    assert first["next"] == f"{fake.base_url}/sites?limit=7&offset=7"
    assert middle["previous"] == f"{fake.base_url}/sites?limit=7&offset=7"
    assert middle["next"] == f"{fake.base_url}/sites?limit=7&offset=21"
    assert last["next"] is None and len(last["results"]) == 2
    assert first["count"] == middle["count"] == last["count"] == 30


def test_links_keep_the_account_filter_and_can_name_another_origin(
    http: httpx.Client, fake: PlatformFake
) -> None:
    account_id = ok(http.get("/accounts"))["results"][0]["id"]
    own = ok(http.get("/sites", params={"limit": 5, "account_id": account_id}))
    fake.server.app.state.link_origin = "https://api.wpengineapi.com"
    proxied = ok(http.get("/sites", params={"limit": 5}))

    assert f"account_id={account_id}" in own["next"]
    assert proxied["next"] == "https://api.wpengineapi.com/v1/sites?limit=5&offset=5"


def test_limit_zero_answers_the_count_only(http: httpx.Client) -> None:
    body = ok(http.get("/installs", params={"limit": 0}))

    assert body["results"] == [] and body["count"] > 30 and body["next"] is None


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"limit": 101}, "limit"),
        ({"limit": -1}, "limit"),
        ({"limit": "ten"}, "limit"),
        ({"offset": -5}, "offset"),
        ({"page": 2}, "page"),
        ({"per_page": 10}, "per_page"),
        ({"account_id": "not-a-uuid"}, "account_id"),
        ({"account_id": str(uuid.UUID(int=5, version=4))}, "account_id"),
    ],
)
def test_bad_list_parameters_answer_400_naming_the_field(
    http: httpx.Client, params: dict[str, Any], field: str
) -> None:
    body = ok(http.get("/sites", params=params), 400)

    assert body["message"]
    assert [e["field"] for e in body["errors"]] == [field]
    assert all(set(e) == {"resource", "field", "type", "code", "message"} for e in body["errors"])


# -- auth and ids -------------------------------------------------------------------


@pytest.mark.parametrize(
    "headers",
    [
        {},
        {"Authorization": "Basic " + base64.b64encode(f"{API_USER}:wrong".encode()).decode()},
        {"Authorization": "Basic not-base64!"},
        {"Authorization": "ApiKey " + API_PASSWORD},
    ],
    ids=["none", "wrong password", "garbage", "another scheme"],
)
def test_requests_without_good_credentials_answer_401(
    fake: PlatformFake, headers: dict[str, str]
) -> None:
    response = httpx.get(fake.base_url + "/sites", headers=headers)

    assert response.status_code == 401
    assert response.json() == {"message": "Bad Credentials"}
    assert response.headers["www-authenticate"].startswith("Basic")


def test_status_needs_no_credentials(fake: PlatformFake) -> None:
    body = ok(httpx.get(fake.base_url + "/status"))

    assert body["success"] is True and body["created_on"].startswith("2024-06-01T12:00")


def test_the_request_log_never_keeps_the_credentials(
    http: httpx.Client, fake: PlatformFake
) -> None:
    http.get("/sites")
    httpx.get(fake.base_url + "/user")

    assert [r.has_auth for r in fake.requests] == [True, False]
    token = base64.b64encode(f"{API_USER}:{API_PASSWORD}".encode()).decode()
    for record in fake.requests:
        assert "authorization" not in record.headers
        text = repr(record)
        assert API_PASSWORD not in text and token not in text


@pytest.mark.parametrize(
    "path",
    [
        "/sites/{uuid}",
        "/installs/{uuid}",
        "/installs/{uuid}/usage",
        "/installs/{uuid}/backups",
        "/installs/{install}/backups/{uuid}",
        "/installs/{install}/domains/{uuid}",
        "/accounts/{uuid}/limits",
        "/installs/not-a-uuid",
        "/no/such/endpoint",
    ],
)
def test_unknown_ids_answer_404_with_a_message(http: httpx.Client, path: str) -> None:
    install = a_site_install(http)["id"]
    url = path.format(uuid=uuid.UUID(int=12345, version=4), install=install)

    body = ok(http.get(url), 404)

    assert body["message"] and set(body) == {"message"}


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

    monkeypatch.setattr("wpe_tui.fake.platform.app.asyncio.sleep", fake_sleep)
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
