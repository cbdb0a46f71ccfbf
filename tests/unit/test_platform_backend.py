"""`PlatformBackend` against the fake Hosting Platform API over real loopback HTTP.

What a user notices: the site list covers every account and the installs that belong
to no site, and its pages are cheap; a site shows its installs as environments, with
disk usage and bandwidth against the account's plan; backups are per install, merged,
restored in place with exactly one POST; the domains, the cache purge and the copy of
an environment send exactly what the API expects, once; and what this API cannot do
is refused before anything is sent.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any

import pytest

from tests.fixtures.platform import (
    API_PASSWORD,
    API_USER,
    PlatformFake,
    RecordingSleep,
    fresh,
    new_account,
    serve,
)
from wpe_tui.api import RateLimitError, UnsupportedError, ValidationError
from wpe_tui.api.platform import PLATFORM_CAPABILITIES, PlatformBackend, orphan_site_id
from wpe_tui.core.backend import Backend
from wpe_tui.fake import FakeServer
from wpe_tui.fake.platform.account import PENDING_SECONDS, REQUESTED_SECONDS

ACME = 0  # the first site: production, staging and development installs
CLIENT_SITE = 3  # a site of the client account, whose plan has no storage limit
STALE = 5  # its production install was last measured weeks ago
UNMEASURED = 6  # its production install was never measured
NEWEST = 29  # its installs are still being set up


@pytest.fixture(scope="module")
def server() -> Iterator[FakeServer]:
    yield from serve()


@pytest.fixture
def fake(server: FakeServer) -> PlatformFake:
    return fresh(server)


@pytest.fixture
async def backend(fake: PlatformFake) -> AsyncIterator[PlatformBackend]:
    platform = PlatformBackend(
        API_USER, API_PASSWORD, fake.base_url, sleep=RecordingSleep(), backoff_base=0.01
    )
    yield platform
    await platform.aclose()


def site_id(fake: PlatformFake, index: int) -> str:
    return fake.account.site_record(index).id


def installs(fake: PlatformFake, index: int) -> list[str]:
    return fake.account.install_ids_of_site(index)


def queries(fake: PlatformFake) -> list[tuple[str, str, dict[str, str]]]:
    return [(r.method, r.path, r.query) for r in fake.requests]


def gb(value: int) -> float:
    return round(value / 10**9, 3)


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


# -- backups ------------------------------------------------------------------------


async def test_backups_of_every_install_merged_newest_first(
    backend: PlatformBackend, fake: PlatformFake
) -> None:
    site = site_id(fake, ACME)
    await backend.get_site(site)
    fake.requests.clear()

    page = await backend.list_backups(site, per_page=20)

    ids = installs(fake, ACME)
    assert sorted(r.path for r in fake.requests) == sorted(f"/v1/installs/{i}/backups" for i in ids)
    totals = [fake.account.list_backups(i, 0, 100)[1] for i in ids]
    assert page.pagination.total == sum(totals) and len(page.results) == 20
    stamps = [b.created_at for b in page.results]
    assert stamps == sorted(stamps, key=lambda s: s.timestamp() if s else 0, reverse=True)
    assert {b.install_id for b in page.results} == set(ids)
    labels = {"production", "staging", "development"}
    assert {b.environment for b in page.results} == labels
    for backup in page.results:
        listed = fake.account.get_backup(backup.install_id or "", backup.id)
        assert backup.status == listed["status"]


async def test_a_listed_backup_is_read_from_its_own_install(
    backend: PlatformBackend, fake: PlatformFake
) -> None:
    site = site_id(fake, ACME)
    backup = (await backend.list_backups(site, per_page=5)).results[-1]
    fake.requests.clear()

    again = await backend.get_backup(site, backup.id)

    assert fake.sent() == [("GET", f"/v1/installs/{backup.install_id}/backups/{backup.id}")]
    assert again == backup


async def test_an_unknown_backup_is_looked_for_on_the_sites_installs(
    backend: PlatformBackend, fake: PlatformFake
) -> None:
    site = site_id(fake, ACME)
    staging = installs(fake, ACME)[1]
    wanted = fake.account.list_backups(staging, 0, 1)[0][0]["id"]

    found = await backend.get_backup(site, wanted)

    assert found.install_id == staging and found.environment == "staging"
    assert len(fake.requests) <= 1 + 3  # the site's installs, then at most one try each


async def test_a_new_backup_sends_exactly_what_the_api_requires_once(
    backend: PlatformBackend, fake: PlatformFake
) -> None:
    site = site_id(fake, ACME)
    staging = installs(fake, ACME)[1]

    created = await backend.create_backup(
        site,
        description="Before the plugin update",
        environment=staging,
        notification_emails=["ops@example.com"],
    )

    [post] = fake.posts()
    assert post.path == f"/v1/installs/{staging}/backups"
    assert post.json == {
        "description": "Before the plugin update",
        "notification_emails": ["ops@example.com"],
    }
    assert created.status == "requested" and created.install_id == staging
    assert created.environment == "staging" and created.site_id == site
    fake.clock.advance(REQUESTED_SECONDS)
    running = await backend.get_backup(site, created.id)
    fake.clock.advance(fake.account.backup_seconds)
    done = await backend.get_backup(site, created.id)
    assert (running.status, done.status) == ("in_progress", "completed")
    assert done.completed_at is not None
    assert (await backend.list_backups(site, per_page=1)).results[0].id == created.id


async def test_a_backup_without_addresses_notifies_the_current_user(
    backend: PlatformBackend, fake: PlatformFake
) -> None:
    site = site_id(fake, ACME)

    await backend.create_backup(site, description="x", environment="production")

    [post] = fake.posts()
    assert post.json["notification_emails"] == [fake.account.user()["email"]]
    assert post.path == f"/v1/installs/{installs(fake, ACME)[0]}/backups"


@pytest.mark.parametrize(
    ("options", "error", "field"),
    [
        ({"description": None, "environment": "production"}, ValidationError, "description"),
        ({"description": "  ", "environment": "production"}, ValidationError, "description"),
        ({"description": "x", "environment": "nowhere"}, ValidationError, "environment"),
        ({"description": "x"}, ValidationError, "environment"),
        ({"description": "x", "environment": "production", "type": "full"}, UnsupportedError, None),
    ],
)
async def test_a_backup_the_api_would_refuse_is_not_sent(
    backend: PlatformBackend,
    fake: PlatformFake,
    options: dict[str, Any],
    error: type[Exception],
    field: str | None,
) -> None:
    site = site_id(fake, ACME)
    await backend.get_site(site)
    fake.requests.clear()

    with pytest.raises(error) as raised:
        await backend.create_backup(site, notification_emails=["a@example.com"], **options)

    assert fake.posts() == []
    if field is not None:
        assert isinstance(raised.value, ValidationError) and field in raised.value.fields


async def test_the_apis_field_errors_reach_the_form(
    backend: PlatformBackend, fake: PlatformFake
) -> None:
    site = site_id(fake, ACME)

    with pytest.raises(ValidationError) as raised:
        await backend.create_backup(
            site, description="x", environment="staging", notification_emails=["not-an-address"]
        )

    assert raised.value.status == 400
    assert "not an email address" in raised.value.fields["notification_emails"][0]
    assert len(fake.posts()) == 1


async def test_a_restore_is_one_post_into_the_backups_own_install(
    backend: PlatformBackend, fake: PlatformFake
) -> None:
    site = site_id(fake, ACME)
    page = await backend.list_backups(site, per_page=30)
    backup = next(b for b in page.results if b.environment == "staging" and b.status == "completed")

    typed: Backend = backend
    result = await typed.restore_backup(
        site,
        backup.id,
        restore_database=False,
        create_checkpoint=True,
        notification_emails=["me@example.com"],
    )

    assert result is None  # accepted with no body: nothing to follow
    [post] = fake.posts()
    assert post.path == f"/v1/installs/{backup.install_id}/backups/{backup.id}/restore"
    assert post.json == {
        "notification_emails": ["me@example.com"],
        "restore_database": False,
        "create_checkpoint": True,
    }
    [restore] = fake.account.restores
    assert restore.install_id == backup.install_id and restore.backup_id == backup.id


async def test_a_restore_elsewhere_or_by_contents_is_refused_before_sending(
    backend: PlatformBackend, fake: PlatformFake
) -> None:
    site = site_id(fake, ACME)
    backup = (await backend.list_backups(site, per_page=30)).results[0]
    other = next(i for i in installs(fake, ACME) if i != backup.install_id)

    with pytest.raises(UnsupportedError):
        await backend.restore_backup(site, backup.id, environment=other)
    with pytest.raises(UnsupportedError):
        await backend.restore_backup(site, backup.id, contents={"database": True})

    assert fake.posts() == []


async def test_restoring_a_backup_not_yet_read_finds_its_install_first(
    backend: PlatformBackend, fake: PlatformFake
) -> None:
    site = site_id(fake, ACME)
    development = installs(fake, ACME)[2]
    rows, _ = fake.account.list_backups(development, 0, 100)
    backup = next(b for b in rows if b["status"] == "completed")

    await backend.restore_backup(site, backup["id"], notification_emails=["me@example.com"])

    [post] = fake.posts()
    assert post.path == f"/v1/installs/{development}/backups/{backup['id']}/restore"


async def test_restoring_an_unfinished_backup_is_the_apis_400(
    backend: PlatformBackend, fake: PlatformFake
) -> None:
    site = site_id(fake, ACME)
    created = await backend.create_backup(
        site, description="x", environment="production", notification_emails=["a@example.com"]
    )

    with pytest.raises(ValidationError, match="completed"):
        await backend.restore_backup(site, created.id, notification_emails=["a@example.com"])

    assert len(fake.posts()) == 2 and fake.account.restores == []


# -- domains, cache, copies ---------------------------------------------------------


async def test_the_domains_of_every_install_production_first(
    backend: PlatformBackend, fake: PlatformFake
) -> None:
    site = site_id(fake, ACME)
    await backend.get_site(site)
    fake.requests.clear()

    page = await backend.list_domains(site)

    ids = installs(fake, ACME)
    assert sorted(r.path for r in fake.requests) == sorted(f"/v1/installs/{i}/domains" for i in ids)
    expected = [d for i in ids for d in fake.account.list_domains(i, 0, 100)[0]]
    assert [d.name for d in page.results] == [d["name"] for d in expected]
    assert page.pagination.total == len(expected)
    primary = next(d for d in page.results if d.primary)
    assert primary.environment == "production" and primary.install_id == ids[0]
    redirect = next(d for d in page.results if d.redirects_to)
    assert redirect.redirects_to == [primary.name]
    assert all(d.network_status and d.ssl_status and d.status for d in page.results)


async def test_a_cache_purge_is_one_post_and_the_minute_limit_a_rate_limit(
    backend: PlatformBackend, fake: PlatformFake
) -> None:
    install = installs(fake, ACME)[0]

    await backend.purge_cache(install, "object")
    with pytest.raises(RateLimitError, match="60 seconds") as raised:
        await backend.purge_cache(install, "object")
    await backend.purge_cache(install, "cdn")

    assert [p.json for p in fake.posts()] == [{"type": "object"}] * 2 + [{"type": "cdn"}]
    assert {p.path for p in fake.posts()} == {f"/v1/installs/{install}/purge_cache"}
    assert raised.value.retry_after is None  # the API says no more than its message
    with pytest.raises(ValidationError):
        await backend.purge_cache(install, "opcache")
    assert len(fake.posts()) == 3


async def test_copying_an_environment_is_one_post_of_what_to_copy(
    backend: PlatformBackend, fake: PlatformFake
) -> None:
    staging, production = installs(fake, ACME)[1], installs(fake, ACME)[0]

    await backend.copy_environment(
        staging, production, files=True, database=False, notification_emails=["me@example.com"]
    )

    [post] = fake.posts()
    assert post.path == "/v1/install_copy"
    assert post.json == {
        "source_environment_id": staging,
        "destination_environment_id": production,
        "notification_emails": ["me@example.com"],
        "custom_options": {"include_files": True, "include_db": False},
    }
    [copy] = fake.account.copies
    assert (copy.source_install_id, copy.destination_install_id) == (staging, production)


@pytest.mark.parametrize(("files", "database", "same"), [(False, False, False), (True, True, True)])
async def test_a_copy_of_nothing_or_onto_itself_is_not_sent(
    backend: PlatformBackend, fake: PlatformFake, files: bool, database: bool, same: bool
) -> None:
    staging, production = installs(fake, ACME)[1], installs(fake, ACME)[0]

    with pytest.raises(ValidationError):
        await backend.copy_environment(
            staging, staging if same else production, files=files, database=database
        )

    assert fake.requests == []
