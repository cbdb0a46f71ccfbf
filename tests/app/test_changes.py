"""Backups, deployments and sites created, edited and deleted; read-only mode."""

from __future__ import annotations

from typing import Any, cast

import pytest
from starlette.applications import Starlette
from textual.widgets import Input

from tests.app.conftest import AppFactory, settle
from tests.app.test_restore import error_text, writes
from tests.app.test_site_detail import open_site
from wpe_tui.api import Site
from wpe_tui.fake import ManualClock
from wpe_tui.modals.confirm import TypedConfirmModal
from wpe_tui.modals.deployment import NewDeploymentModal
from wpe_tui.modals.form import FormModal
from wpe_tui.screens.help import HelpScreen
from wpe_tui.screens.item_detail import ItemDetailScreen
from wpe_tui.screens.site_list import SiteListScreen
from wpe_tui.widgets import TabBar


async def type_into(pilot: Any, widget_id: str, text: str) -> None:
    pilot.app.screen.query_one(f"#{widget_id}", Input).focus()
    await pilot.press(*text)


# -- backups ---------------------------------------------------------------------


async def test_new_backup_shows_at_once_and_completes_live(
    make_app: AppFactory, fake: Starlette, clock: ManualClock
) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_site(pilot)  # on the Overview tab: b works anywhere in a site
        await pilot.press("b")
        await settle(pilot)
        assert isinstance(app.screen, FormModal)
        await pilot.press(*"before upgrade", "ctrl+s")
        await settle(pilot)
        [sent] = writes(fake)
        assert (sent.method, sent.path) == ("POST", "/v1/sites/site_10001/backups")
        assert sent.json == {"description": "before upgrade", "type": "full"}
        assert screen.query_one("#tabs", TabBar).active == "backups"
        top = screen.backups.current_row
        assert top is not None and top.data.description == "before upgrade"
        assert top.data.status == "in_progress"
        clock.advance(30)  # the fake's backups take 8-20 s
        await pilot.pause(1.2)
        await settle(pilot)
        row = next(r for r in screen.backups.loaded_rows() if r.key == top.key)
        assert row.data.status == "completed"
        assert any(top.key in n.message and "completed" in n.message for n in app.notices)


async def test_new_database_backup_from_the_backups_tab(
    make_app: AppFactory, fake: Starlette
) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_site(pilot)
        await pilot.press("2", "n")
        await settle(pilot)
        await pilot.press("tab", "right", "space", "ctrl+s")  # type: database, no description
        await settle(pilot)
        [sent] = writes(fake)
        assert sent.json == {"type": "database"}


async def test_delete_backup_after_confirmation(
    make_app: AppFactory, fake: Starlette, clock: ManualClock
) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_site(pilot)
        await pilot.press("2", "j", "D")
        await settle(pilot)
        key = screen.backups.current_row.key  # type: ignore[union-attr]
        await pilot.press("enter")  # focus starts on Cancel: a stray enter deletes nothing
        await settle(pilot)
        assert app.screen is screen and writes(fake) == []
        await pilot.press("D", "ctrl+s")
        await settle(pilot)
        [sent] = writes(fake)
        assert (sent.method, sent.path) == ("DELETE", f"/v1/sites/site_10001/backups/{key}")
        row = next(r for r in screen.backups.loaded_rows() if r.key == key)
        assert row.data.status == "deleting"
        clock.advance(30)
        await pilot.pause(1.2)
        await settle(pilot)
        assert key not in [r.key for r in screen.backups.loaded_rows()]
        assert any(key in n.message and "deleted" in n.message for n in app.notices)


# -- deployments ---------------------------------------------------------------


async def test_new_git_deployment_and_follow_its_log(
    make_app: AppFactory, fake: Starlette, clock: ManualClock
) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_site(pilot)
        await pilot.press("3", "n")
        await settle(pilot)
        await pilot.press("right", "space")  # staging
        await type_into(pilot, "source-repository", "github.com/acme/site")
        await pilot.press("ctrl+s")  # no branch yet: refused beside its field
        await settle(pilot)
        assert "Branch is required" in error_text(app, "source-branch")
        assert writes(fake) == []
        assert app.screen.query_one("#source-repository", Input).value == "github.com/acme/site"
        await type_into(pilot, "source-branch", "main")
        await pilot.press("ctrl+s")
        await settle(pilot)
        [sent] = writes(fake)
        assert sent.json == {
            "environment": "staging",
            "source": {"type": "git", "repository": "github.com/acme/site", "branch": "main"},
        }
        top = screen.deployments.current_row
        assert top is not None and top.data.status == "in_progress"
        await pilot.press("enter")
        await settle(pilot)
        detail = app.screen
        assert isinstance(detail, ItemDetailScreen) and detail.item.id == top.key
        clock.advance(60)
        await pilot.pause(1.2)
        await settle(pilot)
        assert detail.item.status in ("completed", "failed")


async def test_zip_deployment_body(make_app: AppFactory, fake: Starlette) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await open_site(pilot)
        await pilot.press("3", "n")
        await settle(pilot)
        modal = app.screen
        assert isinstance(modal, NewDeploymentModal)
        await pilot.press("space", "tab", "right", "space")  # production; zip
        assert modal.query_one("#git-fields").has_class("hidden")
        await type_into(pilot, "source-zip-url", "https://example.com/site.zip")
        await type_into(pilot, "confirm-name", "Acme Corp Blog")  # production: typed
        await pilot.press("ctrl+s")
        await settle(pilot)
        [sent] = writes(fake)
        assert sent.json == {
            "environment": "production",
            "source": {"type": "zip", "zip_url": "https://example.com/site.zip"},
        }


# -- sites ---------------------------------------------------------------------


async def test_new_site_body_and_api_validation_beside_the_field(
    make_app: AppFactory, fake: Starlette
) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        await pilot.press(*"Harbor Lights")
        await type_into(pilot, "php-version", "9.9")  # the API allows 7.4 to 8.3
        await pilot.press("ctrl+s")
        await settle(pilot)
        modal = app.screen
        assert isinstance(modal, FormModal)
        assert error_text(app, "php-version"), "the API's complaint is beside its field"
        assert modal.query_one("#name", Input).value == "Harbor Lights"
        assert modal.query_one("#php-version", Input).value == "9.9"
        modal.query_one("#php-version", Input).value = "8.2"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert not isinstance(app.screen, FormModal)
        sent = writes(fake)
        assert len(sent) == 2
        assert sent[1].json == {
            "name": "Harbor Lights",
            "environment": "production",
            "php_version": "8.2",
        }
        assert any(o.kind == "site" and o.mine for o in app.session.activity.entries())


async def test_edit_sends_only_what_changed(make_app: AppFactory, fake: Starlette) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, SiteListScreen)
        await pilot.press("e")
        await settle(pilot)
        await pilot.press("ctrl+s")  # nothing changed yet: nothing sent
        await settle(pilot)
        assert "Nothing changed" in error_text(app, "form") and writes(fake) == []
        field = app.screen.query_one("#php-version", Input)
        field.value = "8.3"
        await pilot.press("ctrl+s")
        await settle(pilot)
        [sent] = writes(fake)
        assert (sent.method, sent.path, sent.json) == (
            "PUT",
            "/v1/sites/site_10001",
            {"php_version": "8.3"},
        )
        row = screen.table.current_row
        assert row is not None and cast(Site, row.data).php_version == "8.3"


async def test_delete_site_needs_its_name_typed(
    make_app: AppFactory, fake: Starlette, clock: ManualClock
) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, SiteListScreen)
        await pilot.press("D")
        await settle(pilot)
        modal = app.screen
        assert isinstance(modal, TypedConfirmModal)
        await pilot.press("ctrl+s")
        await pilot.press(*"acme corp blog", "ctrl+s")  # the wrong case is not the name
        await settle(pilot)
        assert app.screen is modal and writes(fake) == []
        assert "Type Acme Corp Blog exactly" in error_text(app, "confirm-name")
        modal.query_one("#confirm-name", Input).value = "Acme Corp Blog"
        await pilot.press("ctrl+s")
        await settle(pilot)
        [sent] = writes(fake)
        assert (sent.method, sent.path) == ("DELETE", "/v1/sites/site_10001")
        row = screen.table.current_row
        assert row is not None and cast(Site, row.data).status == "deleting"
        clock.advance(30)
        await pilot.pause(1.2)
        await settle(pilot)
        assert "site_10001" not in [r.key for r in screen.table.loaded_rows()]


async def test_the_filter_matches_a_site_created_and_drops_one_deleted(
    make_app: AppFactory, fake: Starlette, clock: ManualClock
) -> None:
    app = make_app()
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, SiteListScreen)
        await pilot.press("slash", *"acme", "enter")  # the whole account is swept
        await settle(pilot)
        assert screen.view is not None and screen.view.local
        before = screen.table.row_count
        await pilot.press("escape", "escape")  # the filter off; its sweep is kept
        await settle(pilot)
        await pilot.press("n", *"Acme Zeppelin Works", "ctrl+s")
        await settle(pilot)
        await pilot.press("slash", *"acme", "enter")
        await settle(pilot)
        rows = [screen.table.row_at(i) for i in range(screen.table.row_count)]
        names = [cast(Site, row.data).name for row in rows if row is not None]
        assert len(names) == before + 1 and "Acme Zeppelin Works" in names
        # Delete the first match; once the deletion is over it is no longer matched.
        first = screen.table.current_row
        assert first is not None
        name = cast(Site, first.data).name
        await pilot.press("D")
        await settle(pilot)
        await pilot.press(*name, "ctrl+s")
        await settle(pilot)
        clock.advance(60)
        await pilot.pause(1.2)
        await settle(pilot)
        rows = [screen.table.row_at(i) for i in range(screen.table.row_count)]
        keys = [row.key for row in rows if row is not None]
        assert first.key not in keys and screen.table.row_count == before


# -- read-only ---------------------------------------------------------------------

LIST_KEYS = ["n", "e", "D"]
DETAIL_KEYS = ["R", "n", "b", "D", "e"]


@pytest.mark.parametrize("key", LIST_KEYS)
async def test_read_only_refuses_on_the_site_list(
    make_app: AppFactory, fake: Starlette, key: str
) -> None:
    app = make_app(read_only=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = app.screen
        await pilot.press(key)
        await settle(pilot)
        assert app.screen is screen, "no modal opens"
        assert any("Read-only" in n.message for n in app.notices)
        assert writes(fake) == []


@pytest.mark.parametrize("key", DETAIL_KEYS)
async def test_read_only_refuses_inside_a_site(
    make_app: AppFactory, fake: Starlette, key: str
) -> None:
    app = make_app(read_only=True)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_site(pilot)
        await pilot.press("2", "j", key)
        await settle(pilot)
        assert app.screen is screen
        assert any("Read-only" in n.message for n in app.notices)
        assert writes(fake) == []


async def test_read_only_hides_changes_from_footer_help_and_palette(
    make_app: AppFactory,
) -> None:
    app = make_app(read_only=True)
    async with app.run_test(size=(120, 30)) as pilot:
        screen = await open_site(pilot)
        await pilot.press("2")
        mutating = {"restore", "new", "new_backup", "delete", "edit"}
        footer_actions = {b.binding.action for b in screen.active_bindings.values()}
        assert not footer_actions & mutating
        titles = [c.title for c in app.get_system_commands(screen)]
        assert "Backups tab" in titles  # browsing stays
        changes = ("Restore", "Quick restore", "New", "Backup", "Delete", "Edit site")
        assert not [t for t in titles if t.split(" backup_")[0] in changes or t in changes]
        await pilot.press("question_mark")
        await settle(pilot)
        help_screen = app.screen
        assert isinstance(help_screen, HelpScreen)
        described = " ".join(d for _, d in help_screen.entries)
        assert "Restore" not in described and "Delete" not in described


async def test_a_deletion_finishing_above_the_cursor_leaves_it_on_its_row(
    make_app: AppFactory, fake: Starlette, clock: ManualClock
) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_site(pilot)
        await pilot.press("2", "j", "D")
        await settle(pilot)
        key = screen.backups.current_row.key  # type: ignore[union-attr]
        await pilot.press("D", "ctrl+s")  # the second row: deleting
        await settle(pilot)
        assert writes(fake), "the delete was sent"
        await pilot.press("j", "j", "j")  # the user goes on, three rows down
        await settle(pilot)
        watched = screen.backups.current_row.key  # type: ignore[union-attr]
        clock.advance(30)
        await pilot.pause(1.2)
        await settle(pilot)
        assert key not in [r.key for r in screen.backups.loaded_rows()], "it finished"
        assert screen.backups.current_row.key == watched, "the cursor stayed on its row"  # type: ignore[union-attr]


async def test_r_on_a_backup_someone_deleted_says_so_each_time(
    make_app: AppFactory, fake: Starlette, clock: ManualClock
) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_site(pilot)
        await pilot.press("2")
        await settle(pilot)
        account = fake.state.account
        done = [
            b.id
            for b in account.backup_records(screen.site.id).values()
            if b.status_at(account.now()) == "completed"
        ]
        table = screen.backups
        while table.current_row is not None and table.current_row.key not in done:
            await pilot.press("j")
        await pilot.press("enter")
        await settle(pilot)
        detail = app.screen
        assert isinstance(detail, ItemDetailScreen)
        account.delete_backup(screen.site.id, str(detail.item.id))  # a colleague did it
        clock.advance(600)  # the deletion is over
        for times in (1, 2):  # asked again: told again, not left wondering
            await pilot.press("r")
            await settle(pilot)
            gone = [n for n in app.notices if "no longer exists" in n.message]
            assert len(gone) == times
