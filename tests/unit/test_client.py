"""`WpeClient` against the fake WP Engine API over real loopback HTTP.

What a user notices: every call returns what the account holds, sends exactly the
fields the spec names (and nothing for absent ones), refuses bad input before
sending anything, turns every failure into one typed error that never shows the
API key, retries reads (honouring Retry-After) and never repeats a write.
"""

from __future__ import annotations

import asyncio
import socket
from collections.abc import Awaitable, Callable
from typing import Any

import httpx
import pytest

from tests.unit.conftest import API_KEY, START, Fake, RecordingSleep
from wpe_tui.api import (
    ApiError,
    AuthError,
    Backup,
    ConflictError,
    DecodeError,
    Deletion,
    Deployment,
    InsecureUrlError,
    NetworkError,
    NotFoundError,
    OutcomeUnknownError,
    Page,
    RateLimitError,
    Restore,
    ServerError,
    Site,
    ValidationError,
    WpeClient,
    is_final,
)
from wpe_tui.fake import FakeServer
from wpe_tui.fake.account import DELETE_SECONDS, PROVISION_SECONDS, ListParams

SITE = "site_10001"  # active, production + staging + development, many backups
ALL = ListParams(per_page=100)


def sent(fake: Fake) -> list[tuple[str, str]]:
    return [(r.method, r.path) for r in fake.requests]


def completed_backup(fake: Fake, site_id: str = SITE) -> str:
    rows = fake.account.list_backups(site_id, ListParams(per_page=100, status="completed"))
    backup_id: str = rows["results"][0]["id"]
    return backup_id


# ---------------------------------------------------------------------------
# Sites
# ---------------------------------------------------------------------------


async def test_list_sites_returns_the_first_page_the_account_holds(
    client: WpeClient, fake: Fake
) -> None:
    page = await client.list_sites()

    assert page == Page[Site].model_validate(fake.account.list_sites(ListParams()))
    assert len(page.results) == 10
    assert page.pagination.total == 30
    assert page.pagination.total_pages == 3
    assert all(site.created_at is not None for site in page.results)
    assert fake.requests[0].path == "/v1/sites"
    assert fake.requests[0].query == {"page": "1", "per_page": "10"}


async def test_list_sites_sorted_by_name_both_ways(client: WpeClient, fake: Fake) -> None:
    ascending = await client.list_sites(per_page=100, sort="name", order="asc")
    descending = await client.list_sites(per_page=100, sort="name", order="desc")

    names = [site.name for site in ascending.results]
    assert len(names) == 30
    assert names == sorted(names, key=str.casefold)
    assert [site.name for site in descending.results] == names[::-1]
    assert fake.requests[1].query == {
        "page": "1",
        "per_page": "100",
        "sort": "name",
        "order": "desc",
    }


async def test_list_sites_filtered_by_status(client: WpeClient, fake: Fake) -> None:
    inactive = await client.list_sites(per_page=100, status="inactive")

    expected = fake.account.list_sites(ListParams(per_page=100, status="inactive"))
    assert inactive == Page[Site].model_validate(expected)
    assert inactive.results
    assert {site.status for site in inactive.results} == {"inactive"}
    assert inactive.pagination.total == len(inactive.results) < 30
    assert fake.requests[0].query["status"] == "inactive"


async def test_list_sites_pages_do_not_overlap(client: WpeClient) -> None:
    first = await client.list_sites(page=1, per_page=7)
    second = await client.list_sites(page=2, per_page=7)
    last = await client.list_sites(page=5, per_page=7)

    assert second.pagination.current_page == 2
    assert second.pagination.total_pages == 5
    assert not {s.id for s in first.results} & {s.id for s in second.results}
    assert len(last.results) == last.pagination.count == 2  # 30 = 4 * 7 + 2


async def test_get_site_returns_the_detail_the_account_holds(client: WpeClient, fake: Fake) -> None:
    site = await client.get_site(SITE)

    assert site == Site.model_validate(fake.account.get_site(SITE))
    assert site.disk_usage is not None and site.disk_usage.percent is not None
    assert [env.name for env in site.environments] == ["production", "staging", "development"]
    assert fake.requests[0].path == f"/v1/sites/{SITE}"


async def test_create_site_sends_only_the_given_fields_and_provisions(
    client: WpeClient, fake: Fake
) -> None:
    site = await client.create_site("Launch Day", php_version="8.2", template="blank")

    assert fake.requests[0].method == "POST"
    assert fake.requests[0].path == "/v1/sites"
    assert fake.requests[0].json == {
        "name": "Launch Day",
        "php_version": "8.2",
        "template": "blank",
    }
    assert site.name == "Launch Day"
    assert site.php_version == "8.2"
    assert site.status == "provisioning"
    assert not is_final(site.status)

    fake.clock.advance(PROVISION_SECONDS + 1)
    later = await client.get_site(site.id)
    assert later.name == "Launch Day"
    assert is_final(later.status)


async def test_create_site_with_every_field(client: WpeClient, fake: Fake) -> None:
    await client.create_site(
        "Full Form",
        environment="staging",
        php_version="8.1",
        wordpress_version="6.4",
        template="woocommerce",
    )
    assert fake.requests[0].json == {
        "name": "Full Form",
        "environment": "staging",
        "php_version": "8.1",
        "wordpress_version": "6.4",
        "template": "woocommerce",
    }


async def test_update_site_sends_only_the_changed_fields(client: WpeClient, fake: Fake) -> None:
    updated = await client.update_site(SITE, name="Renamed Site", php_version="8.3")

    assert fake.requests[0].method == "PUT"
    assert fake.requests[0].path == f"/v1/sites/{SITE}"
    assert fake.requests[0].json == {"name": "Renamed Site", "php_version": "8.3"}
    assert (updated.name, updated.php_version) == ("Renamed Site", "8.3")
    assert updated.updated_at == START
    assert (await client.get_site(SITE)).name == "Renamed Site"


async def test_update_site_status(client: WpeClient, fake: Fake) -> None:
    updated = await client.update_site(SITE, status="inactive")

    assert fake.requests[0].json == {"status": "inactive"}
    assert updated.status == "inactive"
    assert SITE in {
        s.id for s in (await client.list_sites(per_page=100, status="inactive")).results
    }


async def test_delete_site_answers_deleting_then_the_site_is_gone(
    client: WpeClient, fake: Fake
) -> None:
    deletion = await client.delete_site(SITE)

    assert isinstance(deletion, Deletion)
    assert (deletion.id, deletion.status) == (SITE, "deleting")
    assert not is_final(deletion.status)
    assert deletion.estimated_completion_time is not None
    assert deletion.estimated_completion_time > START
    assert fake.requests[0].method == "DELETE"
    assert fake.requests[0].body == b""

    fake.clock.advance(DELETE_SECONDS + 1)
    with pytest.raises(NotFoundError):
        await client.get_site(SITE)


# ---------------------------------------------------------------------------
# Backups
# ---------------------------------------------------------------------------


async def test_list_backups_newest_first_by_default(client: WpeClient, fake: Fake) -> None:
    page = await client.list_backups(SITE)

    expected = fake.account.list_backups(SITE, ListParams(order="desc"))
    assert page == Page[Backup].model_validate(expected)
    created = [b.created_at for b in page.results]
    assert all(c is not None for c in created)
    assert created == sorted(created, reverse=True)  # type: ignore[type-var]
    assert all(b.site_id == SITE for b in page.results)
    assert fake.requests[0].path == f"/v1/sites/{SITE}/backups"


async def test_list_backups_sorted_filtered_and_paged(client: WpeClient, fake: Fake) -> None:
    page = await client.list_backups(
        SITE, page=2, per_page=5, sort="created_at", order="asc", status="completed"
    )

    params = ListParams(page=2, per_page=5, sort="created_at", order="asc", status="completed")
    assert page == Page[Backup].model_validate(fake.account.list_backups(SITE, params))
    assert len(page.results) == 5
    assert {b.status for b in page.results} == {"completed"}
    assert page.pagination.current_page == 2
    assert fake.requests[0].query == {
        "page": "2",
        "per_page": "5",
        "sort": "created_at",
        "order": "asc",
        "status": "completed",
    }


async def test_get_backup_returns_the_detail_the_account_holds(
    client: WpeClient, fake: Fake
) -> None:
    backup_id = completed_backup(fake)

    backup = await client.get_backup(SITE, backup_id)

    assert backup == Backup.model_validate(fake.account.get_backup(SITE, backup_id))
    assert backup.size_bytes is not None and backup.size_bytes > 0
    assert backup.contents is not None and backup.contents.selected()
    assert fake.requests[0].path == f"/v1/sites/{SITE}/backups/{backup_id}"


async def test_create_backup_sends_the_spec_fields_and_runs(client: WpeClient, fake: Fake) -> None:
    backup = await client.create_backup(SITE, description="Before plugin update", type="database")

    assert fake.requests[0].json == {"description": "Before plugin update", "type": "database"}
    assert backup.description == "Before plugin update"
    assert backup.type == "database"
    assert backup.status == "in_progress"
    assert not is_final(backup.status)
    assert backup.estimated_completion_time is not None

    fake.clock.advance(60)
    done = await client.get_backup(SITE, backup.id)
    assert done.status == "completed"
    assert done.size_bytes is not None


async def test_create_backup_with_nothing_sends_an_empty_object(
    client: WpeClient, fake: Fake
) -> None:
    backup = await client.create_backup(SITE)

    assert fake.requests[0].json == {}
    assert backup.type == "full"  # the spec's default


async def test_restore_sends_exactly_environment_and_contents(
    client: WpeClient, fake: Fake
) -> None:
    backup_id = completed_backup(fake)

    restore = await client.restore_backup(
        SITE,
        backup_id,
        environment="staging",
        contents={"database": True, "files": True, "plugins": False, "themes": False},
    )

    request = fake.requests[0]
    assert (request.method, request.path) == (
        "POST",
        f"/v1/sites/{SITE}/backups/{backup_id}/restore",
    )
    assert request.json == {
        "environment": "staging",
        "contents": {"database": True, "files": True, "plugins": False, "themes": False},
    }
    assert isinstance(restore, Restore)
    assert (restore.backup_id, restore.site_id, restore.environment) == (
        backup_id,
        SITE,
        "staging",
    )
    assert restore.status == "in_progress"
    assert restore.contents is not None
    assert restore.contents.selected() == ["database", "files"]


async def test_restore_with_nothing_sends_an_empty_object(client: WpeClient, fake: Fake) -> None:
    backup_id = completed_backup(fake)
    backup = fake.account.get_backup(SITE, backup_id)

    restore = await client.restore_backup(SITE, backup_id)

    assert fake.requests[0].json == {}
    assert restore.contents is not None
    assert restore.contents.model_dump() == backup["contents"]  # default: all of the backup


async def test_delete_backup_answers_deleting_then_it_is_gone(
    client: WpeClient, fake: Fake
) -> None:
    backup_id = completed_backup(fake)

    deletion = await client.delete_backup(SITE, backup_id)

    assert (deletion.id, deletion.status) == (backup_id, "deleting")
    assert fake.requests[0].method == "DELETE"
    assert fake.requests[0].body == b""
    fake.clock.advance(DELETE_SECONDS + 1)
    with pytest.raises(NotFoundError):
        await client.get_backup(SITE, backup_id)


# ---------------------------------------------------------------------------
# Deployments
# ---------------------------------------------------------------------------


async def test_list_deployments_returns_what_the_account_holds(
    client: WpeClient, fake: Fake
) -> None:
    page = await client.list_deployments(SITE, per_page=20)

    expected = fake.account.list_deployments(SITE, ListParams(per_page=20, order="desc"))
    assert page == Page[Deployment].model_validate(expected)
    assert page.results
    assert all(d.source is not None and d.source.describe() != "—" for d in page.results)
    assert fake.requests[0].path == f"/v1/sites/{SITE}/deployments"


async def test_list_deployments_filtered_by_status(client: WpeClient, fake: Fake) -> None:
    page = await client.list_deployments(SITE, status="failed", sort="created_at", order="asc")

    params = ListParams(status="failed", sort="created_at", order="asc")
    assert page == Page[Deployment].model_validate(fake.account.list_deployments(SITE, params))
    assert page.results
    assert {d.status for d in page.results} == {"failed"}


async def test_get_deployment_returns_the_detail_the_account_holds(
    client: WpeClient, fake: Fake
) -> None:
    first = fake.account.list_deployments(SITE, ListParams(status="completed"))["results"][0]

    deployment = await client.get_deployment(SITE, first["id"])

    assert deployment == Deployment.model_validate(fake.account.get_deployment(SITE, first["id"]))
    assert deployment.duration is not None
    assert deployment.logs
    assert fake.requests[0].path == f"/v1/sites/{SITE}/deployments/{first['id']}"


async def test_create_git_deployment_sends_exactly_the_spec_fields(
    client: WpeClient, fake: Fake
) -> None:
    deployment = await client.create_deployment(
        SITE,
        environment="staging",
        source={"type": "git", "repository": "github.com/username/repo", "branch": "develop"},
    )

    assert fake.requests[0].json == {
        "environment": "staging",
        "source": {"type": "git", "repository": "github.com/username/repo", "branch": "develop"},
    }
    assert deployment.environment == "staging"
    assert deployment.status == "in_progress"
    assert deployment.source is not None
    assert deployment.source.describe().startswith("github.com/username/repo@develop")
    assert (await client.get_deployment(SITE, deployment.id)).id == deployment.id


async def test_create_zip_deployment_sends_exactly_the_spec_fields(
    client: WpeClient, fake: Fake
) -> None:
    deployment = await client.create_deployment(
        SITE,
        environment="production",
        source={"type": "zip", "zip_url": "https://example.com/site.zip"},
    )

    assert fake.requests[0].json == {
        "environment": "production",
        "source": {"type": "zip", "zip_url": "https://example.com/site.zip"},
    }
    assert deployment.source is not None
    assert deployment.source.describe() == "https://example.com/site.zip"


# ---------------------------------------------------------------------------
# Refused before sending anything
# ---------------------------------------------------------------------------

Call = Callable[[WpeClient], Awaitable[Any]]

REFUSED: dict[str, tuple[Call, str]] = {
    "per_page 0": (lambda c: c.list_sites(per_page=0), "per_page"),
    "per_page 101": (lambda c: c.list_sites(per_page=101), "per_page"),
    "backups per_page 101": (lambda c: c.list_backups(SITE, per_page=101), "per_page"),
    "deployments per_page 0": (lambda c: c.list_deployments(SITE, per_page=0), "per_page"),
    "page 0": (lambda c: c.list_sites(page=0), "page"),
    "order sideways": (lambda c: c.list_sites(order="sideways"), "order"),
    "git without branch": (
        lambda c: c.create_deployment(
            SITE, environment="staging", source={"type": "git", "repository": "github.com/u/r"}
        ),
        "source.branch",
    ),
    "git without repository": (
        lambda c: c.create_deployment(
            SITE, environment="staging", source={"type": "git", "branch": "main"}
        ),
        "source.repository",
    ),
    "zip without zip_url": (
        lambda c: c.create_deployment(SITE, environment="staging", source={"type": "zip"}),
        "source.zip_url",
    ),
    "deployment without environment": (
        lambda c: c.create_deployment(
            SITE, environment=" ", source={"type": "zip", "zip_url": "https://e.com/a.zip"}
        ),
        "environment",
    ),
    "site without a name": (lambda c: c.create_site("   "), "name"),
    "backup of an unknown type": (lambda c: c.create_backup(SITE, type="files"), "type"),
    "restore of nothing": (
        lambda c: c.restore_backup(
            SITE,
            "backup_1",
            contents={"database": False, "files": False, "plugins": False, "themes": False},
        ),
        "contents",
    ),
    "restore of an unknown content": (
        lambda c: c.restore_backup(SITE, "backup_1", contents={"uploads": True}),
        "contents",
    ),
}


@pytest.mark.parametrize("case", sorted(REFUSED))
async def test_invalid_requests_are_refused_before_sending(
    case: str, client: WpeClient, fake: Fake
) -> None:
    call, field = REFUSED[case]

    with pytest.raises(ValidationError) as caught:
        await call(client)

    assert field in caught.value.fields
    assert caught.value.status is None  # no answer: nothing was sent
    assert fake.requests == []


# ---------------------------------------------------------------------------
# Errors the server answers
# ---------------------------------------------------------------------------


async def test_a_wrong_key_is_an_auth_error_and_the_right_one_works(
    auth_server: FakeServer,
) -> None:
    async with WpeClient("wrong-key-123", auth_server.base_url, max_retries=0) as wrong:
        with pytest.raises(AuthError) as caught:
            await wrong.list_sites()
    assert caught.value.status == 401
    assert "wrong-key-123" not in str(caught.value)
    assert "wrong-key-123" not in repr(caught.value)

    async with WpeClient(API_KEY, auth_server.base_url) as right:
        page = await right.list_sites()
    assert page.pagination.total == 3


async def test_unknown_site_backup_and_deployment_are_not_found(client: WpeClient) -> None:
    with pytest.raises(NotFoundError) as site:
        await client.get_site("site_99999")
    with pytest.raises(NotFoundError):
        await client.get_backup(SITE, "backup_nope")
    with pytest.raises(NotFoundError):
        await client.get_deployment(SITE, "deploy_nope")
    with pytest.raises(NotFoundError):
        await client.list_backups("site_99999")

    assert site.value.status == 404
    assert "site_99999" in str(site.value)  # the server's message reaches the user


async def test_restoring_a_backup_still_in_progress_is_a_conflict(
    client: WpeClient, fake: Fake
) -> None:
    running = await client.create_backup(SITE, description="running")

    with pytest.raises(ConflictError) as caught:
        await client.restore_backup(SITE, running.id)

    assert caught.value.status == 409
    assert sent(fake) == [
        ("POST", f"/v1/sites/{SITE}/backups"),
        ("POST", f"/v1/sites/{SITE}/backups/{running.id}/restore"),
    ]


async def test_the_servers_field_errors_reach_the_caller(client: WpeClient, fake: Fake) -> None:
    with pytest.raises(ValidationError) as caught:
        await client.list_sites(sort="size")

    assert caught.value.status == 400
    assert set(caught.value.fields) == {"sort"}
    assert caught.value.fields["sort"] and "name" in caught.value.fields["sort"][0]
    assert len(fake.requests) == 1  # a 400 is not retried


async def test_the_servers_body_errors_reach_the_caller(client: WpeClient, fake: Fake) -> None:
    with pytest.raises(ValidationError) as caught:
        await client.create_site("Bad Version", php_version="5.6")

    assert caught.value.status == 400
    assert "php_version" in caught.value.fields
    assert len(fake.requests) == 1


async def test_a_429_is_raised_at_once_with_its_retry_after(
    client: WpeClient, fake: Fake, sleeps: RecordingSleep
) -> None:
    fake.faults.rate_limit_next(1, retry_after=3)

    with pytest.raises(RateLimitError) as caught:
        await client.get_site(SITE)

    # The scheduler, not the client, waits it out (and holds background work meanwhile).
    assert caught.value.status == 429
    assert caught.value.retry_after == 3.0
    assert sleeps.delays == []
    assert len(fake.requests) == 1


async def test_the_scheduler_honours_retry_after_then_the_read_succeeds(
    client: WpeClient, fake: Fake
) -> None:
    from wpe_tui.core.clock import ManualClock, settle
    from wpe_tui.core.scheduler import Scheduler

    clock = ManualClock()
    scheduler = Scheduler(clock=clock)
    fake.faults.rate_limit_next(1, retry_after=2)

    read = asyncio.ensure_future(scheduler.read(client.list_sites))
    for _ in range(50):  # the 429 comes back over loopback
        await asyncio.sleep(0.01)
        if scheduler.paused_for:
            break
    assert scheduler.paused_for == pytest.approx(2.0)
    await clock.advance(1.9)
    assert [r.status for r in fake.requests] == [429]
    await clock.advance(0.2)
    page = await read
    await settle()
    assert len(page.results) == 10
    assert [r.status for r in fake.requests] == [429, 200]


async def test_a_server_error_then_success_returns_the_data(
    client: WpeClient, fake: Fake, sleeps: RecordingSleep
) -> None:
    fake.faults.fail_next(1)

    site = await client.get_site(SITE)

    assert site == Site.model_validate(fake.account.get_site(SITE))
    assert [r.status for r in fake.requests] == [500, 200]
    assert len(sleeps.delays) == 1


async def test_server_errors_until_retries_run_out(
    client: WpeClient, fake: Fake, sleeps: RecordingSleep
) -> None:
    fake.faults.fail_next(10, status=503)

    with pytest.raises(ServerError) as caught:
        await client.list_backups(SITE)

    assert caught.value.status == 503
    assert len(fake.requests) == 4
    assert len(sleeps.delays) == 3
    assert all(delay > 0 for delay in sleeps.delays)


WRITES: dict[str, Call] = {
    "create_site": lambda c: c.create_site("Never Twice"),
    "update_site": lambda c: c.update_site(SITE, name="Never Twice"),
    "delete_site": lambda c: c.delete_site(SITE),
    "create_backup": lambda c: c.create_backup(SITE),
    "restore_backup": lambda c: c.restore_backup(SITE, "backup_10001001"),
    "delete_backup": lambda c: c.delete_backup(SITE, "backup_10001001"),
    "create_deployment": lambda c: c.create_deployment(
        SITE, environment="staging", source={"type": "zip", "zip_url": "https://e.com/a.zip"}
    ),
}


@pytest.mark.parametrize("name", sorted(WRITES))
async def test_a_write_that_fails_is_never_retried(
    name: str, client: WpeClient, fake: Fake, sleeps: RecordingSleep
) -> None:
    fake.faults.fail_next(1)

    with pytest.raises(ServerError):
        await WRITES[name](client)

    assert len(fake.requests) == 1
    assert fake.requests[0].method in ("POST", "PUT", "DELETE")
    assert sleeps.delays == []


async def test_a_write_whose_connection_drops_is_never_retried(
    client: WpeClient, fake: Fake
) -> None:
    fake.faults.drop_next(1)

    # The body went: it may have been done. Unknown, never "nothing changed".
    with pytest.raises(OutcomeUnknownError):
        await client.restore_backup(SITE, completed_backup(fake))

    assert len(fake.requests) == 1


async def test_a_write_refused_before_it_was_sent_is_a_network_error() -> None:
    async with WpeClient(API_KEY, "http://127.0.0.1:9/v1", max_retries=0) as wpe:
        with pytest.raises(NetworkError) as raised:
            await wpe.create_backup(SITE, description="x")
    assert not isinstance(raised.value, OutcomeUnknownError)


async def test_a_gateway_timeout_on_a_write_is_an_unknown_outcome(
    client: WpeClient, fake: Fake
) -> None:
    fake.faults.fail_next(1, status=504)
    with pytest.raises(OutcomeUnknownError) as raised:
        await client.create_backup(SITE, description="x")
    assert raised.value.status == 504 and len(fake.requests) == 1


async def test_a_read_whose_connection_drops_is_retried(
    client: WpeClient, fake: Fake, sleeps: RecordingSleep
) -> None:
    fake.faults.drop_next(1)

    site = await client.get_site(SITE)

    assert site.id == SITE
    assert len(fake.requests) == 2
    assert len(sleeps.delays) == 1


def _closed_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


async def test_nothing_listening_is_a_network_error(sleeps: RecordingSleep) -> None:
    url = f"http://127.0.0.1:{_closed_port()}/v1"

    async with WpeClient(API_KEY, url, sleep=sleeps, max_retries=2) as wpe:
        with pytest.raises(NetworkError) as caught:
            await wpe.list_sites()

    assert caught.value.status is None
    assert len(sleeps.delays) == 2  # a read is retried before giving up
    assert API_KEY not in str(caught.value)
    assert API_KEY not in repr(caught.value)


async def test_a_server_too_slow_to_answer_is_a_network_error(fake: Fake) -> None:
    fake.faults.latency_ms = 1000
    fake.faults.jitter_ms = 0

    async with WpeClient(API_KEY, fake.base_url, read_timeout=0.05, max_retries=0) as wpe:
        with pytest.raises(NetworkError) as caught:
            await wpe.get_site(SITE)

    assert "in time" in str(caught.value)


def _answer(status: int, content: bytes, content_type: str = "application/json") -> WpeClient:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(status, content=content, headers={"Content-Type": content_type})

    return WpeClient(API_KEY, "https://api.example.test/v1", transport=httpx.MockTransport(handler))


@pytest.mark.parametrize(
    ("content", "content_type"),
    [
        (b"<html><body>Gateway says hi</body></html>", "text/html"),
        (b"", "application/json"),
        (b'{"results": [', "application/json"),
        (b"\xff\xfe\xfa", "application/json"),
    ],
)
async def test_a_200_that_is_not_json_is_a_decode_error(content: bytes, content_type: str) -> None:
    async with _answer(200, content, content_type) as wpe:
        with pytest.raises(DecodeError) as caught:
            await wpe.list_sites()

    assert caught.value.status == 200
    assert "not JSON" in str(caught.value)


async def test_a_server_that_echoes_the_key_does_not_leak_it() -> None:
    body = f'{{"message": "bad header: ApiKey {API_KEY}"}}'.encode()

    async with _answer(401, body) as wpe:
        with pytest.raises(AuthError) as caught:
            await wpe.get_site(SITE)

    assert API_KEY not in str(caught.value)
    assert API_KEY not in repr(caught.value)
    assert API_KEY not in str(caught.value.args)
    assert "[redacted]" in str(caught.value)


async def test_no_error_shows_the_key(fake: Fake, auth_server: FakeServer) -> None:
    errors: list[ApiError] = []
    calls: list[tuple[str, Call]] = [
        (auth_server.base_url, lambda c: c.list_sites()),  # 401 with a wrong key
        (fake.base_url, lambda c: c.get_site("site_99999")),  # 404
        (fake.base_url, lambda c: c.list_sites(sort="size")),  # 400
        (fake.base_url, lambda c: c.list_sites(per_page=0)),  # refused locally
    ]
    for url, call in calls:
        key = API_KEY + "-not-this-one" if url == auth_server.base_url else API_KEY
        async with WpeClient(key, url, max_retries=0) as wpe:
            assert key not in str(wpe)
            assert key not in repr(wpe)
            try:
                await call(wpe)
            except ApiError as error:
                errors.append(error)
            else:
                pytest.fail("the call was expected to fail")

    fake.faults.fail_next(1)
    async with WpeClient(API_KEY, fake.base_url, max_retries=0) as wpe:
        with pytest.raises(ServerError) as server_error:
            await wpe.create_backup(SITE)
    errors.append(server_error.value)

    assert [type(e) for e in errors] == [
        AuthError,
        NotFoundError,
        ValidationError,
        ValidationError,
        ServerError,
    ]
    for failure in errors:
        for text in (str(failure), repr(failure), str(failure.args)):
            assert API_KEY not in text


# ---------------------------------------------------------------------------
# Base URL and key
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url", ["http://example.com/v1", "http://wpengineapi.com/v1", "ftp://127.0.0.1/v1", "nonsense"]
)
def test_the_key_is_never_sent_over_plain_http_to_another_machine(url: str) -> None:
    with pytest.raises(InsecureUrlError) as caught:
        WpeClient(API_KEY, url)
    assert API_KEY not in str(caught.value)


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8765/v1",
        "http://localhost:8765/v1",
        "http://[::1]:8765/v1",
        "https://example.com/v1",
        "https://wpengineapi.com/v1/",
    ],
)
async def test_https_and_loopback_urls_are_accepted(url: str) -> None:
    async with WpeClient(API_KEY, url) as wpe:
        assert wpe.base_url == url.rstrip("/")


def test_an_empty_key_is_refused() -> None:
    with pytest.raises(AuthError):
        WpeClient("   ", "https://example.com/v1")


async def test_the_authorization_header_is_apikey_and_the_key() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json={"id": SITE})

    transport = httpx.MockTransport(handler)
    async with WpeClient(f"  {API_KEY}\n", "https://api.example.test/v1", transport=transport) as c:
        await c.get_site(SITE)

    assert seen[0].headers["Authorization"] == f"ApiKey {API_KEY}"
    assert str(seen[0].url) == f"https://api.example.test/v1/sites/{SITE}"


async def test_ids_cannot_change_the_path() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(404, json={"message": "Backup not found"})

    transport = httpx.MockTransport(handler)
    async with WpeClient(API_KEY, "https://api.example.test/v1", transport=transport) as c:
        with pytest.raises(NotFoundError):
            await c.get_backup(SITE, "../../site_10002")

    assert seen[0].url.raw_path == f"/v1/sites/{SITE}/backups/..%2F..%2Fsite_10002".encode()
