"""Site statuses on `PlatformBackend`, against the fake over loopback HTTP.

The API's sites have no status; their installs do, and only ``GET /installs`` says
them in bulk. What a user notices: a site whose installs were not read shows no
status (never a guessed "active"), a status filter can learn every one a page of
installs at a time, and `r` does not keep a status that has changed since.
"""

from __future__ import annotations

import asyncio

from tests.fixtures import platform as fixtures
from tests.fixtures.platform import API_PASSWORD, API_USER, fresh, new_account
from wpe_tui.api import Page, Site, StatusScan
from wpe_tui.api.platform import PlatformBackend
from wpe_tui.core.sweep import Sweep
from wpe_tui.fake import FakeServer
from wpe_tui.fake.platform.account import PENDING_SECONDS

server = fixtures.server


def server_status(fake: fixtures.PlatformFake, site_id: str) -> str:
    account = fake.account
    installs = account.get_site(site_id)["installs"]
    statuses = {account.get_install(i["id"])["status"] for i in installs}
    return "pending" if "pending" in statuses else "active"


async def test_statuses_not_read_yet_are_not_shown_and_a_scan_reads_them_all(
    server: FakeServer,
) -> None:
    fake = fresh(server, new_account(sites=600, stuck_rate=0.2))
    async with PlatformBackend(API_USER, API_PASSWORD, fake.base_url) as backend:
        last = await backend.list_sites(page=6, per_page=100)  # one page of installs read
        unknown = [s for s in last.results if s.status is None]
        fake.requests.clear()
        told: dict[str, str | None] = {}
        while not (step := await backend.scan_site_statuses()).done:
            told.update((row.id, row.status) for row in step.rows)
        told.update((row.id, row.status) for row in step.rows)
        pages = [r for r in fake.requests if r.path == "/v1/installs"]

    assert unknown, "the last sites' installs are on pages not read yet"
    assert step.total is not None and step.read == step.total
    assert len(pages) == -(-(step.total - 100) // 100), "each page of installs once"
    for site in unknown:
        assert told[site.id] == server_status(fake, site.id)


async def test_r_reads_statuses_again_rather_than_keep_ones_that_changed(
    server: FakeServer,
) -> None:
    fake = fresh(server, new_account(sites=30))
    async with PlatformBackend(API_USER, API_PASSWORD, fake.base_url) as backend:
        first = await backend.list_sites(page=1, per_page=50)
        pending = [s.id for s in first.results if s.status == "pending"]
        fake.clock.advance(PENDING_SECONDS)  # every install set up by now
        kept = await backend.list_sites(page=1, per_page=50)
        backend.forget_statuses()
        again = await backend.list_sites(page=1, per_page=50)

    assert pending, "the newest sites are being set up"
    # Until `r`, what was read is what is shown (no request per row to check it)...
    assert [s.status for s in kept.results if s.id in pending] == ["pending"] * len(pending)
    # ...and after it, the installs are read again.
    assert {s.status for s in again.results if s.id in pending} == {"active"}


async def test_a_status_scan_no_view_needs_stops_and_goes_on_where_it_was(
    server: FakeServer,
) -> None:
    fake = fresh(server, new_account(sites=600, stuck_rate=0.2))
    async with PlatformBackend(API_USER, API_PASSWORD, fake.base_url) as backend:

        async def fetch(page: int, size: int) -> Page[Site]:
            return await backend.list_sites(page=page, per_page=size)

        sweep: Sweep[Site] = Sweep(fetch, lambda site: site, lambda site: site.name)
        steps: list[StatusScan] = []

        async def scan() -> StatusScan:
            step = await backend.scan_site_statuses()
            steps.append(step)
            if len(steps) == 1:
                sweep.drop_statuses()  # the user leaves the status filter meanwhile
            return step

        sweep.want_statuses(scan)
        while sweep.running:
            await sweep.progress(1.0)
        stopped_at = len([r for r in fake.requests if r.path == "/v1/installs"])
        await asyncio.sleep(0.3)
        still = len([r for r in fake.requests if r.path == "/v1/installs"])
        assert len(steps) == 1 and not sweep.scanning_done and sweep.complete
        assert still == stopped_at, "no page of installs after no view needed them"

        sweep.want_statuses(scan)  # back to the filter: from where it stopped
        while sweep.running:
            await sweep.progress(1.0)
        pages = [r.query["offset"] for r in fake.requests if r.path == "/v1/installs"]

    assert sweep.scanning_done
    assert len(pages) == len(set(pages)), "no page of installs read twice"
    assert None not in {entry.status for entry in sweep.entries()}
