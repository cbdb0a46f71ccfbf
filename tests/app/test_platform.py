"""The screens on the Hosting Platform API, driven with Pilot against its fake."""

from __future__ import annotations

import re
from typing import Any

import pytest
from starlette.applications import Starlette
from textual.widgets import Input, Static

from tests.app.conftest import AppFactory, settle, until
from tests.app.test_hostile import shown
from wpe_tui.fake import ManualClock
from wpe_tui.modals.form import FieldError
from wpe_tui.modals.install import CopyEnvironmentModal, PurgeCacheModal
from wpe_tui.modals.restore import RestoreModal
from wpe_tui.screens.item_detail import ItemDetailScreen
from wpe_tui.screens.setup import SetupScreen
from wpe_tui.screens.site_detail import SiteDetailScreen
from wpe_tui.screens.site_list import SiteListScreen
from wpe_tui.widgets import PagedTable


def requests(fake: Starlette) -> list[Any]:
    return list(fake.state.requests)


def posts(fake: Starlette) -> list[Any]:
    return [r for r in fake.state.requests if r.method == "POST"]


def title(app: Any) -> str:
    return str(app.screen.query_one("#title-bar", Static).render())


async def open_first_site(pilot: Any) -> SiteDetailScreen:
    await settle(pilot)
    await pilot.press("enter")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, SiteDetailScreen)
    return screen


async def on_completed_backup(pilot: Any, environment: str) -> SiteDetailScreen:
    """The first site's Backups tab, the cursor on a completed backup of `environment`."""
    screen = await open_first_site(pilot)
    await pilot.press("2")
    await settle(pilot)
    backups = screen.backups
    for index in range(backups.row_count):
        row = backups.row_at(index)
        if row and row.data.environment == environment and row.data.status == "completed":
            backups.cursor = index
            break
    return screen


async def test_the_site_list_covers_both_accounts(
    make_platform_app: AppFactory, platform_fake: Starlette
) -> None:
    app = make_platform_app()
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, SiteListScreen)
        assert "all 2 accounts" in title(app)
        table = app.screen.query_one("#sites", PagedTable)
        accounts = {row.data.account_name for row in table.loaded_rows()}
        assert len(accounts) == 2, "sites of both accounts are listed"
        assert "Account" in shown(pilot), "the account is a column from 100 columns up"
        lists = [r for r in requests(platform_fake) if r.path == "/v1/sites"]
        assert all("page" not in r.query and int(r.query["limit"]) <= 100 for r in lists)


async def test_the_palette_filters_by_account_and_the_header_names_it(
    make_platform_app: AppFactory,
) -> None:
    """The header and the palette name an account as people know it (its nickname), and
    the palette finds it by its unique name as well."""
    app = make_platform_app()
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        await settle(pilot)
        await pilot.press(*"acmeholdings")  # the unique name
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert "account Acme Holdings" in title(app)
        assert "acmeholdings" not in title(app)
        rows = shown(pilot).splitlines()[2:-1]
        assert any("Acme Holdings" in row for row in rows), rows
        assert not any("Harbor Light Agency" in row for row in rows), "only that account's"


async def test_the_account_column_gives_way_at_80(make_platform_app: AppFactory) -> None:
    app = make_platform_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert "Account" not in shown(pilot).splitlines()[1]


async def test_slash_finds_a_site_by_a_domain_on_a_page_not_loaded(
    make_platform_app: AppFactory, platform_account: Any
) -> None:
    app = make_platform_app(page_size=5)
    async with app.run_test(size=(80, 12)) as pilot:
        await settle(pilot)
        table = app.screen.query_one("#sites", PagedTable)
        loaded = {row.key for row in table.loaded_rows()}
        # A site not loaded, known by one of its domains only.
        target = next(
            s
            for s in (platform_account.get_site(sid) for sid in _site_ids(platform_account))
            if s["id"] not in loaded
        )
        cname = target["installs"][0]["cname"]
        await pilot.press("slash", *cname)
        await until(
            pilot,
            lambda: (table.row_count >= 1 and "matches" in title(app)) or "match " in title(app),
        )
        keys = [table.row_at(i).key for i in range(table.row_count)]  # type: ignore[union-attr]
        assert target["id"] in keys


def _site_ids(account: Any) -> list[str]:
    rows, _ = account.list_sites(0, 100, None)
    return [row["id"] for row in rows]


async def test_sort_and_status_are_done_here_and_say_so(make_platform_app: AppFactory) -> None:
    app = make_platform_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert "in the API's order" in title(app)
        await pilot.press("s")
        await settle(pilot)
        assert any("cannot sort" in n.message for n in app.notices)
        table = app.screen.query_one("#sites", PagedTable)
        # Sorted here: every site is read first, and the header says so, not "matches".
        await until(pilot, lambda: "all loaded" in title(app))
        assert f"{table.row_count} sites · all loaded" in title(app)
        assert "match" not in title(app)
        names = [table.row_at(i).data.name.casefold() for i in range(table.row_count)]  # type: ignore[union-attr]
        assert names == sorted(names) and len(names) > 20


async def test_the_overview_shows_installs_disk_and_bandwidth_against_the_plan(
    make_platform_app: AppFactory,
) -> None:
    app = make_platform_app()
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_first_site(pilot)
        text = shown(pilot)
        assert all(
            env.install_name and env.install_name in text for env in screen.site.environments
        )
        assert "share of the account plan" in text
        assert re.search(r"Bandwidth last 30 days .* of [\d,]+ GB", text)


async def test_disk_usage_that_could_not_be_read_is_told_and_read_again_on_r(
    make_platform_app: AppFactory, platform_fake: Starlette
) -> None:
    app = make_platform_app()
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await settle(pilot)
        # Every install's usage fails, past the client's retries.
        platform_fake.state.faults.fail_next(40, status=503, path="/usage")
        await open_first_site(pilot)
        errors = [m for m in app.toasts_on_screen() if m.startswith("Not read: disk usage")]
        assert errors and "503" in errors[0] and "r to retry" in errors[0], app.toasts_on_screen()
        assert "Disk usage: not read, r to retry" in shown(pilot)
        platform_fake.state.faults.clear()
        app.clear_notifications()
        await pilot.press("r")
        await settle(pilot)
        assert "share of the account plan" in shown(pilot)
        assert "not read" not in shown(pilot)
        assert not [m for m in app.toasts_on_screen() if m.startswith("Not read")]


async def test_three_explains_there_are_no_deployments_and_asks_for_none(
    make_platform_app: AppFactory, platform_fake: Starlette
) -> None:
    app = make_platform_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await open_first_site(pilot)
        await pilot.press("3")
        await settle(pilot)
        assert any(
            "No deployments on the Hosting Platform API; C copies" in n.message for n in app.notices
        )
        assert not any("deploy" in r.path for r in requests(platform_fake))


async def test_restore_in_place_sends_one_post_and_says_it_emails(
    make_platform_app: AppFactory, platform_fake: Starlette
) -> None:
    app = make_platform_app(emails=("ops@example.com",))
    async with app.run_test(size=(100, 34)) as pilot:
        # A completed backup of the staging install: no name to type.
        screen = await on_completed_backup(pilot, "staging")
        backups = screen.backups
        backup = backups.current_row.data  # type: ignore[union-attr]
        await pilot.press("R")
        await settle(pilot)
        modal = app.screen
        assert isinstance(modal, RestoreModal) and modal.in_place
        await pilot.press("2")  # no checkpoint first
        await pilot.press("ctrl+s")
        await settle(pilot)
        [sent] = posts(platform_fake)
        assert sent.path == f"/v1/installs/{backup.install_id}/backups/{backup.id}/restore"
        assert sent.json == {
            "notification_emails": ["ops@example.com"],
            "restore_database": True,
            "create_checkpoint": False,
        }
        assert app.screen is screen
        assert any("WP Engine emails when it is done" in n.message for n in app.notices)
        op = app.session.activity.entries()[0]
        assert op.action == "restore" and not op.followable
        assert op.title() == f"Restore from {backup.id}"  # it has no ID of its own
        assert op in app.session.activity.in_flight(), "in flight for 15 minutes"


async def test_restore_into_production_needs_the_install_name(
    make_platform_app: AppFactory, platform_fake: Starlette
) -> None:
    app = make_platform_app(emails=("ops@example.com",))
    async with app.run_test(size=(100, 34)) as pilot:
        screen = await on_completed_backup(pilot, "production")
        await pilot.press("R")
        await settle(pilot)
        await pilot.press("ctrl+s")  # nothing typed: refused, and focus goes to the field
        await settle(pilot)
        assert posts(platform_fake) == []
        assert isinstance(app.focused, Input) and app.focused.id == "confirm-name"
        production = next(e for e in screen.site.environments if e.name == "production")
        await pilot.press(*(production.install_name or ""), "ctrl+s")
        await settle(pilot)
        assert len(posts(platform_fake)) == 1


async def test_tab_into_a_prefilled_field_keeps_its_text(
    make_platform_app: AppFactory, platform_fake: Starlette
) -> None:
    app = make_platform_app(emails=("ops@example.com",))
    async with app.run_test(size=(100, 34)) as pilot:
        await open_first_site(pilot)
        await pilot.press("b")
        await settle(pilot)
        await pilot.press(*"before", "tab")  # from the description to the addresses
        emails = app.screen.query_one("#emails", Input)
        assert app.screen.focused is emails
        await pilot.press("space", "x")  # not selected: the keys do not replace it
        assert emails.value == "ops@example.com x"


async def test_a_form_whose_address_could_not_be_read_says_why_its_field_is_empty(
    make_platform_app: AppFactory, platform_fake: Starlette
) -> None:
    app = make_platform_app()  # no addresses in the profile: the user's is asked for
    async with app.run_test(size=(100, 34)) as pilot:
        await open_first_site(pilot)
        platform_fake.state.faults.fail_next(40, status=503, path="/user")
        await pilot.press("b")
        await until(pilot, lambda: app.screen.query("#emails"))
        platform_fake.state.faults.clear()
        await settle(pilot)
        field = app.screen.query_one("#emails", Input)
        assert field.value == ""
        note = app.screen.query_one("#error-notification-emails", Static)
        said = str(note.render())
        assert "503" in said and "type who to tell" in said, said
        field.focus()
        await pilot.press(*"ops@example.com")  # fixed: the sentence goes
        await settle(pilot)
        assert not note.display


async def test_a_new_backup_of_a_chosen_environment_is_followed_to_completed(
    make_platform_app: AppFactory, platform_fake: Starlette, clock: ManualClock
) -> None:
    app = make_platform_app(emails=("ops@example.com",))
    async with app.run_test(size=(100, 34)) as pilot:
        screen = await open_first_site(pilot)
        await pilot.press("b")
        await settle(pilot)
        await pilot.press(*"before the update", "ctrl+s")
        await settle(pilot)
        [sent] = posts(platform_fake)
        install = screen.site.environments[0].install_id
        assert sent.path == f"/v1/installs/{install}/backups"
        assert sent.json == {
            "description": "before the update",
            "notification_emails": ["ops@example.com"],
        }
        top = screen.backups.current_row
        assert top is not None and top.data.status in ("requested", "in_progress")
        clock.advance(600)
        await until(
            pilot,
            lambda: (
                (row := screen.backups.row_at(0)) is not None and row.data.status == "completed"
            ),
        )
        assert len(posts(platform_fake)) == 1


async def test_a_second_object_purge_is_refused_in_its_modal_and_not_retried(
    make_platform_app: AppFactory, platform_fake: Starlette
) -> None:
    app = make_platform_app()
    async with app.run_test(size=(100, 34)) as pilot:
        await open_first_site(pilot)
        for _ in range(2):
            await pilot.press("P")
            await settle(pilot)
            modal = app.screen
            assert isinstance(modal, PurgeCacheModal)
            await pilot.press("tab", "right", "right", "right", "space")  # object
            await pilot.press("ctrl+s")
            await settle(pilot)
        purges = [r for r in posts(platform_fake) if r.path.endswith("/purge_cache")]
        assert [r.json for r in purges] == [{"type": "object"}, {"type": "object"}]
        modal = app.screen
        assert isinstance(modal, PurgeCacheModal), "the refusal stays in its modal"
        said = str(modal.query_one("#error-form", FieldError).render())
        assert "try again in about a minute" in said
        await pilot.pause(0.5)
        assert len([r for r in posts(platform_fake) if r.path.endswith("/purge_cache")]) == 2


async def test_copy_onto_production_needs_its_name_and_sends_one_copy(
    make_platform_app: AppFactory, platform_fake: Starlette
) -> None:
    app = make_platform_app(emails=("ops@example.com",))
    async with app.run_test(size=(100, 34)) as pilot:
        screen = await open_first_site(pilot)
        installs = {e.name: e for e in screen.site.environments}
        await pilot.press("C")
        await settle(pilot)
        assert isinstance(app.screen, CopyEnvironmentModal)
        await pilot.press("space")  # onto the first: production
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert posts(platform_fake) == []
        await pilot.press(*(installs["production"].install_name or ""), "ctrl+s")
        await settle(pilot)
        [sent] = posts(platform_fake)
        assert sent.path == "/v1/install_copy"
        assert sent.json["destination_environment_id"] == installs["production"].install_id
        assert sent.json["source_environment_id"] == installs["staging"].install_id
        assert sent.json["notification_emails"] == ["ops@example.com"]
        assert any("WP Engine emails when it is done" in n.message for n in app.notices)


async def test_the_domains_tab(make_platform_app: AppFactory) -> None:
    app = make_platform_app()
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_first_site(pilot)
        await pilot.press("4")
        await settle(pilot)
        table = screen.query_one("#domain-table", PagedTable)
        assert table.total and table.total >= 1
        text = shown(pilot)
        assert "Domain" in text and "Primary" in text and "SSL" in text
        domain = table.current_row
        assert domain is not None
        await pilot.press("enter")  # its detail, then r on it: read again, no crash
        await settle(pilot)
        assert isinstance(app.screen, ItemDetailScreen) and not app.crash_reports
        await pilot.press("r")
        await settle(pilot)
        assert isinstance(app.screen, ItemDetailScreen) and not app.crash_reports
        assert domain.data.name in shown(pilot)
        # The API's constants read as words, not "ACTIVE" or "TXT_VERIFIED".
        assert not re.search(r"\b[A-Z]{4,}(_[A-Z]+)*\b", shown(pilot).split("Domain", 1)[1])


async def test_a_refused_password_opens_the_credentials_screen(
    make_platform_app: AppFactory, platform_fake: Starlette
) -> None:
    app = make_platform_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        platform_fake.state.faults.fail_next(1, status=401)
        await pilot.press("r")
        await settle(pilot)
        assert isinstance(app.screen, SetupScreen)
        intro = shown(pilot)
        assert "user and password" in intro and "api-password" not in intro


async def test_idle_with_nothing_in_flight_sends_nothing(
    make_platform_app: AppFactory, platform_fake: Starlette
) -> None:
    app = make_platform_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_first_site(pilot)
        start = len(requests(platform_fake))
        await pilot.pause(2.0)
        assert requests(platform_fake)[start:] == []


async def test_environment_choices_that_do_not_fit_80_columns_stack_and_show_whole(
    make_platform_app: AppFactory,
) -> None:
    from textual.widgets import RadioButton, RadioSet

    app = make_platform_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_first_site(pilot)
        for key in ("P", "C"):
            await pilot.press(key)
            await settle(pilot)
            modal = app.screen
            assert isinstance(modal, (PurgeCacheModal, CopyEnvironmentModal))
            for choices in modal.query(RadioSet):
                for button in choices.query_children(RadioButton):
                    inside = choices.content_region.intersection(button.region)
                    assert inside == button.region, f"{button.label} is cut at 80 columns"
            labels = [str(b.label) for b in modal.query(RadioButton)]
            assert any("development" in label for label in labels)
            await pilot.press("escape")
            await settle(pilot)


async def test_a_domain_shows_whole_at_80_columns_before_its_network_status(
    make_platform_app: AppFactory,
) -> None:
    app = make_platform_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_first_site(pilot)
        await pilot.press("4")
        await settle(pilot)
        table = app.screen.query_one("#domain-table", PagedTable)
        names = [str(row.data.name) for row in table.loaded_rows()]
        longest = max(names, key=len)
        assert len(longest) >= 25, names
        shown = [strip.text for strip in (table.render_line(y) for y in range(1, 1 + len(names)))]
        assert any(longest in line for line in shown), shown


@pytest.mark.parametrize("platform_account", [{"sites": 300, "stuck_rate": 0.3}], indirect=True)
async def test_pending_sites_in_view_are_followed_a_page_of_installs_at_a_time(
    make_platform_app: AppFactory, platform_fake: Starlette
) -> None:
    stuck = platform_fake
    app = make_platform_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.pause(1.0)
        screen = app.screen
        assert isinstance(screen, SiteListScreen)
        table = screen.query_one("#sites", PagedTable)
        pending = [r for _, r in table.rows_in_view() if r.data.status == "pending"]
        assert len(pending) >= 3, "the account has pending sites in view"
        before = len(stuck.state.requests)

        def new_reads() -> list[Any]:
            return [r for r in requests(stuck)[before:] if r.method == "GET"]

        await until(pilot, lambda: bool(new_reads()), seconds=8)  # the next round, backed off
        await pilot.pause(0.3)  # every row of that round has asked
        polls = new_reads()
        assert all(r.path == "/v1/installs" for r in polls), [r.path for r in polls]
        installs = sum(len(r.data.environments) for r in pending)
        assert len(polls) < installs, (len(polls), installs)


async def test_a_restore_into_production_opens_on_the_name_to_type(
    make_platform_app: AppFactory, platform_fake: Starlette
) -> None:
    # Typed at once, as a burst: the letters went to the options and were lost.
    app = make_platform_app(emails=("ops@example.com",))
    async with app.run_test(size=(100, 34)) as pilot:
        screen = await on_completed_backup(pilot, "production")
        production = next(e for e in screen.site.environments if e.name == "production")
        await pilot.press("R", *(production.install_name or ""), "ctrl+s")
        await settle(pilot)
        assert len(posts(platform_fake)) == 1


async def test_backup_ids_show_whole_at_200_columns(make_platform_app: AppFactory) -> None:
    app = make_platform_app()
    async with app.run_test(size=(200, 50)) as pilot:
        screen = await open_first_site(pilot)
        await pilot.press("2")
        await settle(pilot)
        row = screen.backups.current_row
        assert row is not None and len(row.data.id) == 36, "a UUID"
        assert row.data.id in shown(pilot), "whole, not cut to 15 characters"
