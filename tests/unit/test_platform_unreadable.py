"""Bad data costs only itself on the Hosting Platform API: a site, backup, domain or
install of a list page that does not parse shows marked unreadable, with the reason,
and the rest shows (over real loopback HTTP, with one record's ``overrides``)."""

from __future__ import annotations

from tests.fixtures import platform as fixtures
from tests.fixtures.platform import ACME, PlatformFake, installs, site_id
from wpe_tui.api import UNREADABLE
from wpe_tui.api.platform import PlatformBackend
from wpe_tui.fake.world import BAD_DATE

EPOCH_YEAR = 1970

server, fake, backend = fixtures.server, fixtures.fake, fixtures.backend


async def test_a_bad_site_is_marked_and_the_page_shows(
    backend: PlatformBackend, fake: PlatformFake
) -> None:
    bad = fake.account.site_record(1)
    bad.overrides = {"created_at": 12}

    page = await backend.list_sites(per_page=10)

    assert len(page.results) == 10
    by_id = {s.id: s for s in page.results}
    assert by_id[bad.id].unreadable == "created_at: not a date (12)"
    assert by_id[bad.id].status == UNREADABLE and by_id[bad.id].name == bad.name
    others = [s for s in page.results if s.id != bad.id]
    assert all(s.unreadable is None for s in others)
    assert all(s.created_at and s.created_at.year > EPOCH_YEAR for s in others)


async def test_a_bad_backup_is_marked_among_the_merged_ones(
    backend: PlatformBackend, fake: PlatformFake
) -> None:
    site = site_id(fake, ACME)
    install = fake.account.install_record(installs(fake, ACME)[0])
    record = next(iter(fake.account.backups(install).values()))
    record.overrides = {"create_time": BAD_DATE}

    page = await backend.list_backups(site, per_page=100)

    marked = [b for b in page.results if b.unreadable]
    assert [(b.id, b.unreadable) for b in marked] == [
        (record.id, f"create_time: not a date ({BAD_DATE})")
    ]
    assert marked[0].status == UNREADABLE and marked[0].install_id == install.id
    assert len(page.results) > 1
    assert all(b.created_at for b in page.results if not b.unreadable)


async def test_a_bad_domain_is_marked(backend: PlatformBackend, fake: PlatformFake) -> None:
    site = site_id(fake, ACME)
    install = fake.account.install_record(installs(fake, ACME)[0])
    domain = fake.account.domains(install)[0]
    domain.overrides = {"name": {"x": 1}}

    page = await backend.list_domains(site)

    marked = [d for d in page.results if d.unreadable]
    assert [(d.id, d.unreadable, d.status) for d in marked] == [
        (domain.id, 'name: not text ({"x": 1})', UNREADABLE)
    ]
    assert any(d.name for d in page.results)


async def test_an_unreadable_install_of_no_site_is_listed_marked(
    backend: PlatformBackend, fake: PlatformFake
) -> None:
    orphans = fake.account.orphan_install_ids()
    fake.account.install_record(orphans[0]).overrides = {"created_at": 12}
    # An install of a site that cannot be read is left to its site's own list.
    sited = fake.account.install_record(installs(fake, ACME)[0])
    sited.overrides = {"created_at": 12}

    page = await backend.list_sites(per_page=100)

    rows = {s.id: s for s in page.results}
    orphan = rows[f"install:{orphans[0]}"]
    assert orphan.unreadable == "created_at: not a date (12)" and orphan.status == UNREADABLE
    assert f"install:{sited.id}" not in rows
    assert rows[site_id(fake, ACME)].unreadable is None
    assert len(rows) == len(page.results)  # no ID twice
