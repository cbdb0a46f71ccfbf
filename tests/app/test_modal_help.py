"""Inside a modal: its own footer and its own help, a label on every field, errors that
go as soon as their field changes, and one style for messages."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from textual.widgets import Input, Label, RadioSet

from tests.app.conftest import AppFactory, settle
from tests.app.test_platform import on_completed_backup
from tests.app.test_restore import error_text, open_restore
from wpe_tui.modals.confirm_name import ConfirmName
from wpe_tui.modals.form import FieldError, FormModal
from wpe_tui.modals.help import FormHelp, KeysHelp
from wpe_tui.modals.install import CopyEnvironmentModal
from wpe_tui.modals.restore import RestoreModal
from wpe_tui.modals.site import NewSiteModal
from wpe_tui.screens.activity import ActivityScreen
from wpe_tui.widgets import Footer


def footer_line(modal: FormModal[Any]) -> str:
    """The modal's footer as drawn on the terminal."""
    return "".join(segment.text for segment in modal.query_one(Footer).render_line(0))


def squeezed(line: str) -> str:
    return " ".join(line.split())


async def open_modal(pilot: Any, presses: tuple[str, ...]) -> FormModal[Any]:
    await settle(pilot)
    for key in presses:
        await pilot.press(key)
        await settle(pilot)
    modal = pilot.app.screen
    assert isinstance(modal, FormModal), modal
    return modal


def assert_no_app_keys(line: str) -> None:
    for word in ("Activity", "Refresh", "? Help", "palette"):
        assert word not in line, (word, line)


# -- the footer -------------------------------------------------------------------


async def test_the_restore_footer_shows_its_own_keys_and_none_of_the_apps(
    make_app: AppFactory,
) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_restore(pilot)
        modal = app.screen
        assert isinstance(modal, RestoreModal)
        line = squeezed(footer_line(modal))
        # The toggles are one entry; ctrl+s says what it does; space shows on a choice.
        assert line == "tab Next field space Choose 1-4 Contents ^s Restore esc Cancel F1 Help"
        assert_no_app_keys(line)
        # The app's keys are not reached from a modal: `a` does not open the activity.
        assert "a" not in modal.active_bindings and "r" not in modal.active_bindings
        await pilot.press("a", "r")
        await settle(pilot)
        assert app.screen is modal and not isinstance(app.screen, ActivityScreen)
        # On the production choice, its name field: `space` no longer chooses (it types).
        await pilot.press("space")
        await settle(pilot)
        modal.query_one(ConfirmName).focus_field()
        await settle(pilot)
        line = squeezed(footer_line(modal))
        assert "Choose" not in line and "Contents" not in line, "1-4 and space are typed here"
        assert "^s Restore" in line and "esc Cancel" in line and "F1 Help" in line


async def test_a_narrow_modal_footer_keeps_f1_help(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=(40, 24)) as pilot:
        await open_restore(pilot)
        modal = app.screen
        assert isinstance(modal, RestoreModal)
        line = squeezed(footer_line(modal))
        assert "F1" in line, line  # the way to the form's keys, whatever else is left out
        assert "Contents" not in line, line  # the least useful keys went first


async def test_platform_restore_and_copy_toggle_with_1_2(make_platform_app: AppFactory) -> None:
    app = make_platform_app(emails=("ops@example.com",))
    async with app.run_test(size=(100, 34)) as pilot:
        # Staging: into production, the modal opens on the name to type, where 1 is a 1.
        await on_completed_backup(pilot, "staging")
        await pilot.press("R")
        await settle(pilot)
        modal = app.screen
        assert isinstance(modal, RestoreModal) and modal.in_place
        line = squeezed(footer_line(modal))
        assert "1-2 Options" in line and "1-4" not in line and "^s Restore" in line
        assert_no_app_keys(line)
        await pilot.press("escape", "C")
        await settle(pilot)
        copy = app.screen
        assert isinstance(copy, CopyEnvironmentModal)
        line = squeezed(footer_line(copy))
        assert line.startswith("tab Next field space Choose 1-2 Contents ^s Copy esc Cancel")
        assert_no_app_keys(line)


# -- every modal: its verb, its labels, its help -----------------------------------

CUSTOMER_MODALS = [
    pytest.param(("n",), "Create site", id="new-site"),
    pytest.param(("e",), "Save", id="edit-site"),
    pytest.param(("D",), "Delete site", id="delete-site"),
    pytest.param(("enter", "b"), "Create backup", id="new-backup"),
    pytest.param(("enter", "3", "n"), "Deploy", id="new-deployment"),
    pytest.param(("enter", "2", "j", "D"), "Delete", id="delete-backup"),
    pytest.param(("enter", "2", "j", "R"), "Restore", id="restore"),
]


@pytest.mark.parametrize(("presses", "verb"), CUSTOMER_MODALS)
async def test_each_modal_has_its_footer_labels_and_help(
    make_app: AppFactory, presses: tuple[str, ...], verb: str
) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        modal = await open_modal(pilot, presses)
        line = squeezed(footer_line(modal))
        assert modal.submit_verb == verb
        assert f"^s {verb} " in line + " ", line
        for key in ("tab Next field", "esc Cancel", "F1 Help"):
            assert key in line, (key, line)
        assert_no_app_keys(line)
        # Every text field has a label right before it, not only a placeholder.
        for field in modal.query(Input):
            siblings = list(field.parent.children) if field.parent else []
            before = siblings[siblings.index(field) - 1] if siblings.index(field) else None
            assert isinstance(before, Label), f"{field.id} has no label"
        # F1 opens the modal's own help: what it does, and its keys.
        had_focus = modal.focused
        await pilot.press("f1")
        await settle(pilot)
        helper = app.screen
        assert isinstance(helper, FormHelp)
        assert helper.help_title == modal.HELP_TITLE
        assert helper.help_text and helper.help_text == modal.help_text()
        entries = dict(helper.entries)
        assert entries["ctrl+s"] == modal.submit_verb
        assert {"tab", "esc", "F1 ?"} <= set(entries)
        if modal.query(RadioSet):
            assert entries["space"] == "Choose"
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is modal, "esc closes the help, not the modal"
        assert modal.focused is had_focus, "focus is back where it was"


async def test_restore_help_lists_the_toggles_and_each_close_key_closes_it(
    make_app: AppFactory,
) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_restore(pilot)
        modal = app.screen
        for close in ("escape", "q", "question_mark", "f1"):
            await pilot.press("question_mark")  # on the environment choice: not a text field
            await settle(pilot)
            assert isinstance(app.screen, FormHelp)
            entries = dict(app.screen.entries)
            assert entries["1-4"] == "Toggle database, files, plugins, themes"
            await pilot.press(close)
            await settle(pilot)
            assert app.screen is modal, close
            assert modal.focused is modal.query_one("#environment")


async def test_question_mark_is_typed_in_a_text_field_and_opens_help_elsewhere(
    make_app: AppFactory,
) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        modal = await open_modal(pilot, ("n",))
        assert isinstance(modal, NewSiteModal)
        name = modal.query_one("#name", Input)
        assert modal.focused is name
        await pilot.press("w", "h", "o", "question_mark")
        await settle(pilot)
        assert app.screen is modal and name.value == "who?"
        await pilot.press("tab")  # the environment choice
        await settle(pilot)
        environment = modal.query_one("#environment", RadioSet)
        assert modal.focused is environment
        await pilot.press("question_mark")
        await settle(pilot)
        assert isinstance(app.screen, KeysHelp)
        await pilot.press("question_mark")  # ? closes it too
        await settle(pilot)
        assert app.screen is modal and modal.focused is environment


async def test_f1_in_a_text_field_opens_help_and_focus_returns_there(
    make_app: AppFactory,
) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        modal = await open_modal(pilot, ("n",))
        name = modal.query_one("#name", Input)
        await pilot.press("x", "f1")
        await settle(pilot)
        assert isinstance(app.screen, FormHelp)
        await pilot.press("q")
        await settle(pilot)
        assert app.screen is modal and modal.focused is name and name.value == "x"


# -- errors go as soon as their field changes --------------------------------------


async def test_a_field_error_goes_when_the_field_changes(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        modal = await open_modal(pilot, ("enter", "3", "n"))
        await pilot.press("ctrl+s")  # nothing chosen, nothing typed
        await settle(pilot)
        assert error_text(app, "environment")
        assert error_text(app, "source-repository") and error_text(app, "source-branch")
        await pilot.press("right", "space")  # staging
        await settle(pilot)
        assert not error_text(app, "environment"), "chosen: its error is gone"
        assert error_text(app, "source-repository"), "the others stay until they change"
        modal.query_one("#source-repository", Input).focus()
        await pilot.press("g")
        await settle(pilot)
        assert not error_text(app, "source-repository")
        assert error_text(app, "source-branch")
        modal.query_one("#source-branch", Input).focus()
        await pilot.press("m")
        await settle(pilot)
        assert not error_text(app, "source-branch")


async def test_the_contents_error_goes_when_a_toggle_changes(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await open_restore(pilot)
        await pilot.press("right", "space", "1", "2", "3", "4", "ctrl+s")
        await settle(pilot)
        assert "at least one" in error_text(app, "contents")
        await pilot.press("2")
        await settle(pilot)
        assert not error_text(app, "contents")


async def test_the_forms_error_goes_when_it_was_about_the_field(make_app: AppFactory) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        modal = await open_modal(pilot, ("e",))
        await pilot.press("ctrl+s")  # nothing changed
        await settle(pilot)
        assert "Nothing changed" in error_text(app, "form")
        modal.query_one("#php-version", Input).focus()
        await pilot.press("end", "backspace", "1")
        await settle(pilot)
        assert not error_text(app, "form"), "a change makes it untrue: it goes"
        # A message about a field with no line of its own goes with that field's change.
        modal.show_error("template", "unknown template")
        assert error_text(app, "form") == "Template: unknown template."
        modal.field_changed(modal.query_one("#name", Input))
        assert error_text(app, "form"), "another field: it stays"


async def test_sending_is_a_plain_note_and_errors_have_one_style(make_app: AppFactory) -> None:
    app = make_app()
    release = asyncio.Event()

    async def send(**_: Any) -> None:
        await release.wait()

    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        modal = NewSiteModal(send)
        await app.push_screen(modal)
        await settle(pilot)
        await pilot.press("ctrl+s")  # no name
        await settle(pilot)
        error = modal.query_one("#error-name", FieldError)
        assert error.has_class("field-error") and error.is_error
        await pilot.press("x", "ctrl+s")
        await pilot.pause()
        form = modal.query_one("#error-form", FieldError)
        assert str(form.render()) == "Sending…"
        assert form.has_class("form-note") and not form.has_class("field-error")
        assert form.styles.color != error.styles.color
        # ctrl+s is dimmed while the request is out.
        [submit] = [k for k in modal.query_one(Footer).keys if k.key == "ctrl+s"]
        assert not submit.enabled
        release.set()
        await settle(pilot)
        assert app.screen is not modal
