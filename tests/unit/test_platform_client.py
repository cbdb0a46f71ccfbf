"""`PlatformClient` (the wire) against the fake Hosting Platform API over loopback.

What a user notices: the credentials travel as HTTP Basic and never show in an error,
a log or a repr, not even when a server echoes them; every failure becomes one typed
error; reads survive a flaky network, writes are sent once, a 429 is handed to the
app at once; pages are walked by limit and offset and a ``next`` link to another host
is never followed. Plus the models' tolerance of what a real API sends.
"""

from __future__ import annotations

import base64
from collections.abc import Iterator
from datetime import date, timedelta

import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Route

from tests.fixtures import platform as fixtures
from tests.fixtures.platform import (
    API_PASSWORD,
    API_USER,
    PlatformFake,
    RecordingSleep,
    fresh,
    new_account,
)
from wpe_tui import __version__
from wpe_tui.api import (
    AuthError,
    ConflictError,
    DecodeError,
    InsecureUrlError,
    NetworkError,
    NotFoundError,
    OutcomeUnknownError,
    RateLimitError,
    ServerError,
    ValidationError,
)
from wpe_tui.api.platform import PlatformBackend, PlatformClient, mapping
from wpe_tui.api.platform import models as wire
from wpe_tui.fake import FakeServer

TOKEN = base64.b64encode(f"{API_USER}:{API_PASSWORD}".encode()).decode()


server, fake = fixtures.server, fixtures.fake
sleeps, client = fixtures.sleeps, fixtures.client


def leaks(text: str) -> bool:
    return API_PASSWORD in text or TOKEN in text


# -- credentials --------------------------------------------------------------------


async def test_requests_carry_basic_auth_and_the_apps_user_agent(
    client: PlatformClient, fake: PlatformFake
) -> None:
    user = await client.current_user()

    assert user.email == fake.account.user()["email"]
    [request] = fake.requests
    assert request.has_auth and request.path == "/v1/user"
    assert request.headers["user-agent"] == f"wpe-tui/{__version__}"
    assert request.headers["accept"] == "application/json"


async def test_a_wrong_password_is_an_auth_error_that_shows_no_secret(fake: PlatformFake) -> None:
    events: list[str] = []
    async with PlatformClient(API_USER, "wrong-" + API_PASSWORD, fake.base_url) as wrong:
        wrong.listener = events.append
        with pytest.raises(AuthError) as raised:
            await wrong.list_sites()

    error = raised.value
    assert error.status == 401 and "Bad Credentials" in str(error)
    assert not leaks(str(error) + repr(error) + repr(wrong))
    assert "wrong-" not in str(error) + repr(error)
    assert events == ["online", "unauthorized"]
    assert len(fake.requests) == 1  # a refused password is not tried again


def test_missing_credentials_and_plain_http_elsewhere_are_refused() -> None:
    with pytest.raises(AuthError):
        PlatformClient("", API_PASSWORD)
    with pytest.raises(AuthError):
        PlatformClient(API_USER, "")
    with pytest.raises(InsecureUrlError) as raised:
        PlatformClient(API_USER, API_PASSWORD, "http://api.wpengineapi.com/v1")
    assert not leaks(str(raised.value))
    assert "api.wpengineapi.com" in repr(PlatformClient(API_USER, API_PASSWORD))
    assert not leaks(repr(PlatformClient(API_USER, API_PASSWORD)))
    assert not leaks(repr(PlatformBackend(API_USER, API_PASSWORD)))


def _echo_app() -> Starlette:
    """A careless server that puts the credentials it got into its error messages."""

    async def echo(request: Request) -> Response:
        header = request.headers.get("authorization", "")
        decoded = base64.b64decode(header.split(" ", 1)[1]).decode()
        body = {
            "message": f"Denied for {header} ({decoded})",
            "errors": [{"field": "password", "message": f"{decoded.split(':', 1)[1]} is wrong"}],
        }
        return JSONResponse(body, status_code=400)

    return Starlette(routes=[Route("/v1/{path:path}", echo, methods=["GET", "POST"])])


async def test_a_server_that_echoes_the_credentials_does_not_leak_them() -> None:
    with FakeServer(app=_echo_app()) as echo:
        async with PlatformClient(API_USER, API_PASSWORD, echo.base_url) as client:
            with pytest.raises(ValidationError) as raised:
                await client.list_sites()

    error = raised.value
    assert not leaks(str(error) + repr(error) + str(error.args) + repr(error.fields))
    assert "[redacted]" in str(error) and "[redacted]" in error.fields["password"][0]


# -- errors and retries ---------------------------------------------------------------


async def test_an_unknown_install_is_not_found(client: PlatformClient) -> None:
    with pytest.raises(NotFoundError) as raised:
        await client.get_install("7a1e9c3e-0000-4000-8000-000000000000")

    assert raised.value.status == 404 and "not found" in str(raised.value)


async def test_field_errors_of_a_400_are_kept_by_field(
    client: PlatformClient, fake: PlatformFake
) -> None:
    install = fake.account.install_ids_of_site(0)[0]

    with pytest.raises(ValidationError) as raised:
        await client.create_backup(install, description=" ", notification_emails=["nope"])

    assert set(raised.value.fields) == {"description", "notification_emails"}
    assert raised.value.status == 400


async def test_a_read_survives_server_errors_with_capped_jittered_backoff(
    client: PlatformClient, fake: PlatformFake, sleeps: RecordingSleep
) -> None:
    fake.faults.fail_next(2, status=502)

    page = await client.list_sites(limit=5)

    assert page.count == 30 and len(page.results) == 5
    assert [r.status for r in fake.requests] == [502, 502, 200]
    # Full jitter under a ceiling that doubles: base 0.01 s, then 0.02 s.
    first, second = sleeps.delays
    assert 0.005 <= first <= 0.01 and 0.01 <= second <= 0.02


async def test_a_read_gives_up_after_its_retries(
    client: PlatformClient, fake: PlatformFake, sleeps: RecordingSleep
) -> None:
    fake.faults.fail_next(10, status=500)

    with pytest.raises(ServerError):
        await client.get_site(fake.account.site_record(0).id)

    assert len(fake.requests) == 4 and len(sleeps.delays) == 3


async def test_a_write_is_sent_once_even_when_the_server_fails(
    client: PlatformClient, fake: PlatformFake, sleeps: RecordingSleep
) -> None:
    install = fake.account.install_ids_of_site(0)[0]
    fake.faults.fail_next(1, status=503)

    # A gateway's 503 on a write: the work may go on behind it, so its outcome is unknown.
    with pytest.raises(OutcomeUnknownError):
        await client.purge_cache(install, "page")

    assert fake.sent() == [("POST", f"/v1/installs/{install}/purge_cache")]
    assert sleeps.delays == [] and fake.account.purges == []


async def test_a_429_reaches_the_app_at_once_with_its_retry_after(
    client: PlatformClient, fake: PlatformFake, sleeps: RecordingSleep
) -> None:
    fake.faults.rate_limit_next(1, retry_after=7)

    with pytest.raises(RateLimitError) as raised:
        await client.list_sites()

    assert raised.value.retry_after == 7.0 and raised.value.status == 429
    assert len(fake.requests) == 1 and sleeps.delays == []


async def test_a_dropped_connection_is_retried_for_reads(
    client: PlatformClient, fake: PlatformFake
) -> None:
    events: list[str] = []
    client.listener = events.append
    fake.faults.drop_next(1)

    accounts = await client.list_accounts()

    assert accounts.count == 2 and len(fake.requests) == 2
    assert events == ["online"]


async def test_a_network_that_stays_down_says_offline(
    client: PlatformClient, fake: PlatformFake
) -> None:
    events: list[str] = []
    client.listener = events.append
    fake.faults.drop_next(10)

    with pytest.raises(NetworkError) as raised:
        await client.status()

    assert len(fake.requests) == 4 and events == ["offline"]
    assert not leaks(str(raised.value))


async def test_a_write_whose_connection_drops_is_not_sent_again(
    client: PlatformClient, fake: PlatformFake
) -> None:
    events: list[str] = []
    client.listener = events.append
    install = fake.account.install_ids_of_site(0)[1]
    fake.faults.drop_next(1)

    with pytest.raises(OutcomeUnknownError):
        await client.create_backup(install, description="x", notification_emails=["a@example.com"])

    # Sent, then cut: not "offline" (the API answered the connection), and never resent.
    assert len(fake.posts()) == 1 and "offline" not in events


def _odd_app() -> Starlette:
    async def html(request: Request) -> Response:
        return PlainTextResponse("<html>Service Temporarily Unavailable</html>")

    async def shapeless(request: Request) -> Response:
        return JSONResponse({"results": "none", "count": "many"})

    async def no_content(request: Request) -> Response:
        return Response(status_code=204)

    async def forbidden(request: Request) -> Response:
        return JSONResponse({"message": "You don't have permission"}, status_code=403)

    async def conflict(request: Request) -> Response:
        return JSONResponse({"message": "Transfer has already started"}, status_code=409)

    async def empty_429(request: Request) -> Response:
        return Response(status_code=429, headers={"Retry-After": "Wed, 21 Oct 2015 07:28:00 GMT"})

    return Starlette(
        routes=[
            Route("/v1/user", html),
            Route("/v1/sites", shapeless),
            Route("/v1/installs/{install_id}/purge_cache", no_content, methods=["POST"]),
            Route("/v1/accounts", empty_429),
            Route("/v1/accounts/{account_id}/limits", forbidden),
            Route("/v1/install_copy", conflict, methods=["POST"]),
        ]
    )


@pytest.fixture(scope="module")
def odd() -> Iterator[FakeServer]:
    with FakeServer(app=_odd_app()) as server:
        yield server


async def test_answers_that_are_not_what_the_api_promised(odd: FakeServer) -> None:
    async with PlatformClient(API_USER, API_PASSWORD, odd.base_url) as client:
        with pytest.raises(DecodeError, match="not JSON"):
            await client.current_user()
        with pytest.raises(DecodeError, match="Unexpected response shape"):
            await client.list_sites()
        await client.purge_cache("any", "all")  # a 204: nothing to read, and no error
        with pytest.raises(RateLimitError) as raised:
            await client.list_accounts()  # no JSON, and a Retry-After that is a date
    assert raised.value.retry_after is None


async def test_a_403_is_an_auth_error_that_asks_for_no_new_password_and_409_a_conflict(
    odd: FakeServer,
) -> None:
    events: list[str] = []
    async with PlatformClient(API_USER, API_PASSWORD, odd.base_url) as client:
        client.listener = events.append
        with pytest.raises(AuthError) as forbidden:
            await client.get_account_limits("a")
        with pytest.raises(ConflictError) as conflict:
            await client.copy_install("a", "b")

    assert forbidden.value.status == 403 and "permission" in str(forbidden.value)
    assert conflict.value.status == 409 and "already started" in str(conflict.value)
    assert "unauthorized" not in events


async def test_an_empty_202_is_accepted(client: PlatformClient, fake: PlatformFake) -> None:
    staging = fake.account.install_ids_of_site(0)[1]
    rows, _ = fake.account.list_backups(staging, 0, 100)
    backup = next(b for b in rows if b["status"] == "completed")

    await client.restore_backup(staging, backup["id"], notification_emails=["a@b.example"])

    assert fake.requests[0].status == 202 and len(fake.account.restores) == 1


# -- paging ---------------------------------------------------------------------------


async def test_a_limit_over_100_is_refused_before_sending(
    client: PlatformClient, fake: PlatformFake
) -> None:
    with pytest.raises(ValidationError):
        await client.list_sites(limit=101)
    with pytest.raises(ValidationError):
        await client.list_installs(offset=-1)

    assert fake.requests == []


async def test_every_page_is_read_by_following_next_on_this_host(
    client: PlatformClient, server: FakeServer
) -> None:
    fake = fresh(server, new_account(sites=120))

    installs, count = await client.collect(wire.Page[wire.Installation], "installs")

    assert len(installs) == count == len({i.id for i in installs}) > 200
    offsets = [r.query["offset"] for r in fake.requests]
    assert offsets == [str(n) for n in range(0, count, 100)]


async def test_a_next_link_to_another_host_is_never_followed(
    client: PlatformClient, server: FakeServer
) -> None:
    fake = fresh(server, new_account(sites=120))
    server.app.state.link_origin = "https://api.wpengineapi.com"  # as behind a proxy

    installs, count = await client.collect(wire.Page[wire.Installation], "installs")

    assert len(installs) == count > 200  # all of them, from this host only
    assert [r.query for r in fake.requests] == [
        {"limit": "100", "offset": str(n)} for n in range(0, count, 100)
    ]


async def test_a_next_link_to_another_path_is_rebuilt_from_the_offset(
    client: PlatformClient, server: FakeServer
) -> None:
    fake = fresh(server, new_account(sites=120))
    server.app.state.link_origin = fake.base_url.removesuffix("/v1") + "/v1/elsewhere"

    installs, count = await client.collect(wire.Page[wire.Installation], "installs")

    assert len(installs) == count
    assert {r.path for r in fake.requests} == {"/v1/installs"}


async def test_at_most_stops_reading_pages(client: PlatformClient, server: FakeServer) -> None:
    fake = fresh(server, new_account(sites=120))

    installs, count = await client.collect(wire.Page[wire.Installation], "installs", at_most=150)

    assert len(installs) == 200 and count > 200 and len(fake.requests) == 2


# -- the models' tolerance ------------------------------------------------------------


def test_the_legacy_initiated_status_and_unknown_ones_are_kept_as_sent() -> None:
    for status in ("initiated", "requested", "in_progress", "aborted", "queued_for_later"):
        backup = wire.Backup.model_validate({"id": "b", "status": status, "extra": {"x": 1}})
        shown = mapping.backup(backup, mapping.InstallFacts("i", "mysite", None), "site")
        assert shown.status == status
        assert shown.environment == "mysite" and shown.install_id == "i"


def test_counters_arrive_as_strings_and_may_be_null_or_garbage() -> None:
    day = wire.DailyUsageMetrics.model_validate(
        {
            "date": "2024-06-01",
            "storage_file_bytes": "123456789012",
            "storage_database_bytes": None,
            "network_total_bytes": "twelve",
            "network_cdn_bytes": 42,
            "network_origin_bytes": "-7",
            "visit_count": True,
            "billable_visits": 3.5,
            "request_origin_count": " 12 ",
        }
    )

    assert day.storage_file_bytes == 123_456_789_012
    assert day.storage_database_bytes is None and day.network_total_bytes is None
    assert day.network_cdn_bytes == 42 and day.network_origin_bytes == -7
    assert day.visit_count is None and day.billable_visits is None
    assert day.request_origin_count == 12


def test_lists_and_items_missing_or_null_fields_still_read() -> None:
    page = wire.Page[wire.Site].model_validate(
        {"count": None, "results": [{"id": "s", "account": None, "installs": None, "tags": None}]}
    )
    limits = wire.AccountLimits.model_validate({"storage": "150", "bandwidth": "lots"})
    installs = wire.Page[wire.Installation].model_validate(
        {"results": [{"id": "i", "name": "legacy", "created_at": "not a date", "site": None}]}
    )

    assert page.results[0].installs == [] and page.results[0].account.id is None
    assert limits.storage == 150 and limits.bandwidth is None and limits.visitors is None
    # A timestamp that is not one marks the install unreadable; what else it said stays.
    (install,) = installs.results
    assert install.unreadable == "created_at: not a date (not a date)"
    assert install.status == "unreadable" and install.name == "legacy"
    assert install.created_at is None and install.site_id is None


def _series(
    *days: tuple[str, str | None, str | None, str | None],
) -> wire.InstallDailyUsageMetricsSeries:
    return wire.InstallDailyUsageMetricsSeries.model_validate(
        {
            "metrics": [
                {
                    "date": d,
                    "storage_file_bytes": files,
                    "storage_database_bytes": db,
                    "storage_update_time": at,
                    "network_total_bytes": "1000000000",
                }
                for d, files, db, at in days
            ]
        }
    )


def test_storage_is_the_newest_measurement_unless_it_is_stale() -> None:
    today = date(2024, 6, 1)
    fresh_series = _series(
        (str(today), "3000000000", "500000000", "2024-06-01T03:00:00Z"),
        (str(today - timedelta(days=1)), "1", "1", "2024-05-31T03:00:00Z"),
    )
    stale = _series((str(today), "3000000000", "500000000", "2024-05-10T03:00:00Z"))
    never = _series((str(today), None, None, None))

    assert mapping.latest_storage(fresh_series).used_bytes == 3_500_000_000
    assert mapping.latest_storage(stale).used_bytes is None
    assert mapping.latest_storage(never).used_bytes is None
    usage = mapping.disk_usage([fresh_series, fresh_series], wire.AccountLimits(storage=100))
    assert usage is not None and usage.used == 7.0 and usage.percent == pytest.approx(7.0)
    assert mapping.disk_usage([fresh_series, never], None) == mapping.disk_usage([never], None)
    traffic = mapping.bandwidth([fresh_series], wire.AccountLimits(bandwidth=400))
    assert traffic is not None and traffic.current_month == 2.0 and traffic.limit == 400
