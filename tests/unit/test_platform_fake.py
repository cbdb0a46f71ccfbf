"""The fake Hosting Platform API over real loopback HTTP, as a client sees it.

What a user of the demo (and every adapter test) relies on: two accounts of
realistic sites and installs, generated lazily and identically from a seed, lists
paged by limit/offset with absolute next/previous links on the server's own host,
the API's refusals (400 with field errors, 401, 404) and no trace of the password
anywhere. Changes and live data: test_platform_fake_changes.py.
"""

from __future__ import annotations

import asyncio
import base64
import uuid
from typing import Any

import httpx
import pytest

from tests.fixtures import platform as fixtures
from tests.fixtures.platform import (
    API_PASSWORD,
    API_USER,
    START,
    PlatformFake,
    a_site_install,
    everything,
    new_account,
    ok,
)
from wpe_tui.fake import ManualClock
from wpe_tui.fake.platform import PlatformAccount, create_platform_app

server, fake, http = fixtures.server, fixtures.fake, fixtures.http


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
