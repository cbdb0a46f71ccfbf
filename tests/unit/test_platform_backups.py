"""`PlatformBackend`'s backups, domains, cache purges and copies, over real loopback HTTP.

What a user notices: backups are per install, merged newest first and followed to
completed; a restore goes into the backup's own install with exactly one POST and
nothing to follow; the domains, the cache purge (and its one-a-minute limit) and the
copy of an environment send exactly what the API expects, once; and a request the
API would refuse is refused before anything is sent.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.fixtures import platform as fixtures
from tests.fixtures.platform import (
    ACME,
    PlatformFake,
    installs,
    site_id,
)
from wpe_tui.api import RateLimitError, UnsupportedError, ValidationError
from wpe_tui.api.platform import PlatformBackend
from wpe_tui.core.backend import Backend
from wpe_tui.fake.platform.account import REQUESTED_SECONDS

server, fake, backend = fixtures.server, fixtures.fake, fixtures.backend


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
