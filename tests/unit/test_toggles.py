"""Radio buttons and checkboxes read the same with and without colour."""

from __future__ import annotations

import pytest
from textual.app import App, ComposeResult
from textual.widgets import RadioSet

from wpe_tui.widgets.toggles import Choice, Flag


class Toggles(App[None]):
    def compose(self) -> ComposeResult:
        with RadioSet():
            yield Choice("staging", id="staging")
            yield Choice("production", value=True, id="production")
        yield Flag("database", True, id="database")
        yield Flag("files", False, id="files")


def shown(app: Toggles, widget_id: str) -> str:
    """The widget's text as drawn, without any colour or style."""
    widget = app.query_one(f"#{widget_id}")
    return "".join(segment.text for segment in widget.render_line(0)).strip()


@pytest.fixture(autouse=True)
def no_color(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NO_COLOR", "1")


async def test_radio_buttons_show_which_is_chosen_without_colour() -> None:
    app = Toggles()
    async with app.run_test() as pilot:
        assert app.no_color
        assert shown(app, "production") == "▐●▌ production"
        assert shown(app, "staging") == "▐ ▌ staging"
        app.query_one("#staging", Choice).value = True  # the set turns production off
        await pilot.pause()
        assert shown(app, "staging") == "▐●▌ staging"
        assert shown(app, "production") == "▐ ▌ production"


async def test_checkboxes_show_on_and_off_without_colour() -> None:
    app = Toggles()
    async with app.run_test() as pilot:
        assert shown(app, "database") == "▐✓▌ database"
        assert shown(app, "files") == "▐ ▌ files"
        app.query_one("#files", Flag).focus()
        await pilot.press("space")
        assert app.query_one("#files", Flag).value
        assert shown(app, "files") == "▐✓▌ files"
        app.query_one("#database", Flag).toggle()
        await pilot.pause()
        assert shown(app, "database") == "▐ ▌ database"
