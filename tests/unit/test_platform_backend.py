"""`PlatformBackend`'s sites against the fake Hosting Platform API over loopback HTTP.

What a user notices: the site list covers every account and the installs that belong
to no site, and its pages are cheap, even at 10,000 sites; a site shows its installs
as environments, with disk usage and bandwidth against the account's plan; accounts
and the user are asked once; and what this API cannot do is refused before anything
is sent.
"""

from __future__ import annotations

import asyncio
import gc
import warnings

import pytest

from tests.fixtures import platform as fixtures
from tests.fixtures.platform import (
    ACME,
    API_PASSWORD,
    API_USER,
    CLIENT_SITE,
    NEWEST,
    STALE,
    UNMEASURED,
    PlatformFake,
    fresh,
    gb,
    installs,
    new_account,
    queries,
    site_id,
)
from wpe_tui.api import RateLimitError, UnsupportedError, ValidationError
from wpe_tui.api.platform import PLATFORM_CAPABILITIES, PlatformBackend, orphan_site_id
from wpe_tui.core.backend import Backend
from wpe_tui.core.scheduler import Pacer
from wpe_tui.fake import FakeServer
from wpe_tui.fake.platform.account import PENDING_SECONDS

server, fake, backend = fixtures.server, fixtures.fake, fixtures.backend


# -- the seam -----------------------------------------------------------------------


async def test_it_is_a_backend_with_the_capabilities_of_this_api(
    backend: PlatformBackend,
) -> None:
    typed: Backend = backend  # mypy checks the protocol structurally here

    assert isinstance(typed, Backend)
    caps = typed.capabilities
    assert caps is PLATFORM_CAPABILITIES and caps.name == "Hosting Platform API"
    assert not (caps.deployments or caps.delete_backup or caps.follow_restore)
    assert not (caps.restore_environment_choice or caps.restore_contents or caps.backup_types)
    assert not (caps.server_sort or caps.server_status_filter or caps.server_search)
    assert caps.domains and caps.purge_cache and caps.copy_environment and caps.accounts
    assert caps.backup_needs_environment and caps.notification_emails
    assert caps.max_page_size == 100 and caps.requests_per_second == 5.0


@pytest.mark.parametrize(
    ("call", "args"),
    [
        ("create_site", ("New",)),
        ("update_site", ("site",)),
        ("delete_site", ("site",)),
        ("delete_backup", ("site", "backup")),
        ("get_restore", ("site", "backup", "restore")),
        ("list_deployments", ("site",)),
        ("get_deployment", ("site", "deployment")),
    ],
)
async def test_what_this_api_cannot_do_is_refused_without_a_request(
    backend: PlatformBackend, fake: PlatformFake, call: str, args: tuple[str, ...]
) -> None:
    with pytest.raises(UnsupportedError, match="Hosting Platform API cannot"):
        await getattr(backend, call)(*args)
    with pytest.raises(UnsupportedError):
        await backend.create_deployment("site", environment="production", source={"type": "git"})

    assert fake.requests == []


# -- the site list ------------------------------------------------------------------


async def test_the_first_page_costs_two_requests_and_covers_every_account(
    backend: PlatformBackend, fake: PlatformFake
) -> None:
    page = await backend.list_sites(page=1, per_page=10)

    # Both at once: the order they arrive in is the network's.
    assert sorted(queries(fake), key=lambda q: q[1]) == [
        ("GET", "/v1/installs", {"limit": "100", "offset": "0"}),
        ("GET", "/v1/sites", {"limit": "10", "offset": "0"}),
    ]
    orphans = fake.account.orphan_install_ids()
    assert page.pagination.total == 30 + len(orphans)
    assert page.pagination.total_pages == -(-(30 + len(orphans)) // 10)
    assert [s.id for s in page.results] == [site_id(fake, i) for i in range(10)]
    assert len({s.account_id for s in page.results}) == 2
    acme = page.results[ACME]
    assert [e.label for e in acme.environments] == ["production", "staging", "development"]
    assert [e.install_id for e in acme.environments] == installs(fake, ACME)
    assert all(host in acme.domains for e in acme.environments for host in [e.cname])


async def test_account_names_show_once_the_accounts_were_read(
    backend: PlatformBackend, fake: PlatformFake
) -> None:
    accounts = await backend.list_accounts()
    page = await backend.list_sites(per_page=10)

    names = {a.id: a.nickname for a in accounts}
    assert len(accounts) == 2
    assert all(s.account_name == names[s.account_id or ""] for s in page.results)


async def test_a_page_number_becomes_an_offset(
    backend: PlatformBackend, fake: PlatformFake
) -> None:
    page = await backend.list_sites(page=3, per_page=7)

    sites = [q for q in queries(fake) if q[1] == "/v1/sites"]
    assert sites == [("GET", "/v1/sites", {"limit": "7", "offset": "14"})]
    assert [s.id for s in page.results] == [site_id(fake, i) for i in range(14, 21)]


async def test_installs_of_no_site_come_after_the_sites_as_rows_of_their_own(
    backend: PlatformBackend, fake: PlatformFake
) -> None:
    await backend.list_sites(page=1, per_page=10)
    before = len(fake.requests)
    last = await backend.list_sites(page=4, per_page=10)

    orphans = fake.account.orphan_install_ids()
    assert [s.id for s in last.results] == [orphan_site_id(i) for i in orphans]
    assert len(fake.requests) == before  # every site and every install were seen already
    row = last.results[0]
    [environment] = row.environments
    assert environment.install_id == orphans[0] and environment.name == ""
    assert environment.label == row.name == fake.account.install_record(orphans[0]).name
    assert row.account_id and row.status == "active"


async def test_the_last_pages_of_10000_sites_cost_at_most_three_requests(
    server: FakeServer,
) -> None:
    fake = fresh(server, new_account(sites=10_000))
    async with PlatformBackend(API_USER, API_PASSWORD, fake.base_url) as backend:
        first = await backend.list_sites(page=1, per_page=100)
        fake.requests.clear()
        last = await backend.list_sites(page=first.pagination.total_pages, per_page=100)
        cost_of_last = len(fake.requests)
        fake.requests.clear()
        last_sites = await backend.list_sites(page=100, per_page=100)

    assert len(first.results) == 100 and first.pagination.total > 10_000
    orphans = fake.account.orphan_install_ids()
    assert cost_of_last <= 3
    assert [s.id for s in last.results] == [orphan_site_id(i) for i in orphans]
    assert len(fake.requests) <= 3
    assert [r.query for r in fake.requests if r.path == "/v1/sites"] == [
        {"limit": "100", "offset": "9900"}
    ]
    assert last_sites.results[0].id == fake.account.site_record(9_900).id
    assert last_sites.results[-1].id == fake.account.site_record(9_999).id


async def test_server_side_sort_and_filters_are_refused_before_sending(
    backend: PlatformBackend, fake: PlatformFake
) -> None:
    for options in ({"sort": "name"}, {"order": "desc"}, {"status": "active"}):
        with pytest.raises(UnsupportedError):
            await backend.list_sites(**options)  # type: ignore[arg-type]
        with pytest.raises(UnsupportedError):
            await backend.list_backups(site_id(fake, ACME), **options)  # type: ignore[arg-type]
    with pytest.raises(ValidationError):
        await backend.list_sites(per_page=101)

    assert fake.requests == []


# -- a site -------------------------------------------------------------------------


def expected_usage(fake: PlatformFake, install_ids: list[str]) -> tuple[float, float]:
    used = traffic = 0
    for install_id in install_ids:
        metrics = fake.account.usage(install_id, None, None)["metrics"]
        used += int(metrics[0]["storage_file_bytes"]) + int(metrics[0]["storage_database_bytes"])
        traffic += sum(int(m["network_total_bytes"]) for m in metrics)
    return gb(used), gb(traffic)


async def test_a_site_shows_its_installs_and_its_usage_against_the_plan(
    backend: PlatformBackend, fake: PlatformFake
) -> None:
    site = await backend.get_site(site_id(fake, ACME))

    ids = installs(fake, ACME)
    assert [e.install_id for e in site.environments] == ids
    assert all(e.status == "active" and e.php_version for e in site.environments)
    production = fake.account.install_record(ids[0])
    assert site.environments[0].url == f"https://{production.primary_domain}"
    assert site.url == site.environments[0].url and site.status == "active"
    limits = fake.account.limits(production.account_id)
    used, traffic = expected_usage(fake, ids)
    assert site.disk_usage is not None and site.bandwidth is not None
    assert site.disk_usage.used == pytest.approx(used)
    assert site.disk_usage.total == limits["storage"] and site.disk_usage.unit == "GB"
    assert site.disk_usage.scope == "account plan" and site.disk_usage.percent is not None
    assert site.bandwidth.current_month == pytest.approx(traffic)
    assert site.bandwidth.limit == limits["bandwidth"]
    assert site.bandwidth.period == "last 30 days"
    assert site.account_name == "Harbor Light Agency"
    assert production.primary_domain in site.domains


async def test_what_opening_a_site_costs_first_and_then(
    backend: PlatformBackend, fake: PlatformFake
) -> None:
    site = site_id(fake, ACME)
    ids = installs(fake, ACME)

    await backend.get_site(site)
    first = sorted(r.path for r in fake.requests)
    fake.requests.clear()
    await backend.get_site(site)
    again = sorted(r.path for r in fake.requests)

    account = fake.account.install_record(ids[0]).account_id
    per_install = [f"/v1/installs/{i}" for i in ids] + [f"/v1/installs/{i}/usage" for i in ids]
    assert first == sorted(
        [f"/v1/sites/{site}", f"/v1/accounts/{account}/limits", "/v1/accounts", *per_install]
    )
    # Within ten minutes the daily usage, the limits and the accounts are not asked again.
    assert again == sorted([f"/v1/sites/{site}", *(f"/v1/installs/{i}" for i in ids)])


async def test_a_429_on_the_sites_sends_nothing_more_for_that_page(
    backend: PlatformBackend, fake: PlatformFake
) -> None:
    # Paced as in real use, the page's second request (its installs) waits its turn; the
    # 429 for the first has come back by then, and a request sent now would fall into
    # the Retry-After.
    backend.pace = Pacer(5.0).wait
    fake.server.app.state.faults.rate_limit_next(1, retry_after=20)
    with pytest.raises(RateLimitError):
        await backend.list_sites(page=1, per_page=10)
    await asyncio.sleep(0.5)  # past the installs' turn
    fake.server.app.state.faults.clear()
    assert fake.sent() == [("GET", "/v1/sites")]


async def test_leaving_a_site_while_it_opens_leaves_no_call_unawaited(
    fake: PlatformFake,
) -> None:
    # One call at a time and slow answers: the installs wait their turn when the user
    # leaves. Python would print "coroutine ... was never awaited" over the screen.
    fake.server.app.state.faults.latency_ms = 100.0
    async with PlatformBackend(API_USER, API_PASSWORD, fake.base_url, parallel=1) as platform:
        with warnings.catch_warnings(record=True) as seen:
            warnings.simplefilter("always")
            opening = asyncio.ensure_future(platform.get_site(site_id(fake, ACME)))
            for _ in range(500):  # until the first install is asked for
                if any(r.path.startswith("/v1/installs/") for r in fake.requests):
                    break
                await asyncio.sleep(0.01)
            opening.cancel()
            with pytest.raises(asyncio.CancelledError):
                await opening
            for _ in range(5):
                await asyncio.sleep(0.01)  # the cancelled tasks end and are let go
            gc.collect()
    fake.server.app.state.faults.latency_ms = 0.0
    assert len(installs(fake, ACME)) > 1  # so that one waited
    assert [str(w.message) for w in seen if w.category is RuntimeWarning] == []


@pytest.mark.parametrize("index", [STALE, UNMEASURED])
async def test_storage_not_measured_lately_reads_not_measured_yet(
    backend: PlatformBackend, fake: PlatformFake, index: int
) -> None:
    site = await backend.get_site(site_id(fake, index))

    assert site.disk_usage is not None
    assert site.disk_usage.used is None and site.disk_usage.percent is None
    assert site.bandwidth is not None and site.bandwidth.current_month is not None


async def test_a_plan_without_a_storage_limit_has_no_percentage(
    backend: PlatformBackend, fake: PlatformFake
) -> None:
    site = await backend.get_site(site_id(fake, CLIENT_SITE))

    assert site.account_name == "Acme Holdings"
    assert site.disk_usage is not None and site.disk_usage.total is None
    assert site.disk_usage.used is not None and site.disk_usage.percent is None


async def test_a_site_is_pending_while_its_installs_are_set_up(
    backend: PlatformBackend, fake: PlatformFake
) -> None:
    before = await backend.get_site(site_id(fake, NEWEST))
    fake.clock.advance(PENDING_SECONDS)
    after = await backend.get_site(site_id(fake, NEWEST))

    assert before.status == "pending" and {e.status for e in before.environments} == {"pending"}
    assert before.disk_usage is not None and before.disk_usage.used is None
    assert after.status == "active"


async def test_an_install_of_no_site_opens_through_the_install(
    backend: PlatformBackend, fake: PlatformFake
) -> None:
    orphan = fake.account.orphan_install_ids()[1]

    site = await backend.get_site(orphan_site_id(orphan))

    assert f"/v1/installs/{orphan}" in [r.path for r in fake.requests]
    assert not any(r.path.startswith("/v1/sites") for r in fake.requests)
    assert [e.install_id for e in site.environments] == [orphan]
    assert site.disk_usage is not None and site.disk_usage.used is not None


async def test_accounts_and_the_user_are_asked_once_per_session(
    backend: PlatformBackend, fake: PlatformFake
) -> None:
    first = [await backend.list_accounts(), await backend.list_accounts()]
    emails = [await backend.current_user_email(), await backend.current_user_email()]

    assert first[0] == first[1] and len(first[0]) == 2
    assert emails[0] == emails[1] == fake.account.user()["email"]
    assert sorted(r.path for r in fake.requests) == ["/v1/accounts", "/v1/user"]
