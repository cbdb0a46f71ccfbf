"""Production is guarded the same way everywhere, and sources are checked before
anything is sent."""

from __future__ import annotations

from starlette.applications import Starlette
from textual.widgets import Input

from tests.app.conftest import AppFactory, settle
from tests.app.test_changes import type_into
from tests.app.test_restore import error_text, writes
from tests.app.test_site_detail import open_site
from wpe_tui.fake import FakeAccount
from wpe_tui.modals.confirm_name import ConfirmName
from wpe_tui.modals.deployment import NewDeploymentModal
from wpe_tui.modals.restore import RestoreModal


async def test_a_deployment_to_production_asks_for_the_site_name(
    make_app: AppFactory, fake: Starlette
) -> None:
    app = make_app()
    async with app.run_test(size=(80, 30)) as pilot:
        await open_site(pilot)
        await pilot.press("3", "n")
        await settle(pilot)
        assert isinstance(app.screen, NewDeploymentModal)
        await pilot.press("space")  # production, the first environment
        await settle(pilot)
        assert app.screen.query_one(ConfirmName).display, "asked at once"
        await type_into(pilot, "source-repository", "github.com/acme/site")
        await type_into(pilot, "source-branch", "main")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert writes(fake) == []
        assert "Type Acme Corp Blog exactly" in error_text(app, "confirm-name")
        assert app.focused is app.screen.query_one("#confirm-name", Input)
        await pilot.press(*"Acme Corp Blog", "ctrl+s")
        await settle(pilot)
        [sent] = writes(fake)
        assert sent.json["environment"] == "production"


async def test_hostile_sources_are_refused_beside_their_fields(
    make_app: AppFactory, fake: Starlette
) -> None:
    app = make_app()
    async with app.run_test(size=(80, 30)) as pilot:
        await open_site(pilot)
        await pilot.press("3", "n")
        await settle(pilot)
        await pilot.press("right", "space")  # staging: no name to type
        await type_into(pilot, "source-repository", "file:///etc/passwd")
        await type_into(pilot, "source-branch", "$(rm -rf ~)")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "Looks like github.com/owner/repo" in error_text(app, "source-repository")
        assert "Not a valid branch name" in error_text(app, "source-branch")
        assert writes(fake) == []


async def test_a_zip_source_must_be_https(make_app: AppFactory, fake: Starlette) -> None:
    app = make_app()
    async with app.run_test(size=(80, 30)) as pilot:
        await open_site(pilot)
        await pilot.press("3", "n")
        await settle(pilot)
        await pilot.press("right", "space", "tab", "right", "space")  # staging, zip
        await type_into(pilot, "source-zip-url", "http://files.example.com/site.zip")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "must be https" in error_text(app, "source-zip-url")
        assert writes(fake) == []


async def test_the_restore_confirmation_has_its_own_line_and_1_to_4_still_toggle(
    make_app: AppFactory, account: FakeAccount, fake: Starlette
) -> None:
    long_name = "The Very Long Name Of A Site That Would Never Fit Beside A Label " * 2
    account.update_site("site_10001", name=long_name.strip())
    app = make_app()
    async with app.run_test(size=(80, 34)) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"site_10001", "enter", "enter")
        await settle(pilot)
        await pilot.press("2", "R")
        await settle(pilot)
        modal = app.screen
        assert isinstance(modal, RestoreModal)
        await pilot.press("space")  # production
        await settle(pilot)
        confirm = modal.query_one(ConfirmName)
        assert confirm.display, "shown as soon as production is chosen"
        field = modal.query_one("#confirm-name", Input)
        assert field.region.width >= 70, "full width, on its own line"
        await pilot.press("3")  # still a toggle, not a character in the field
        assert not modal.contents.plugins and field.value == ""
        await pilot.press("tab")
        assert app.focused is field
        await pilot.press(*long_name.strip(), "ctrl+s")
        await settle(pilot)
        [sent] = writes(fake)
        assert sent.json["environment"] == "production"
        assert sent.json["contents"]["plugins"] is False
