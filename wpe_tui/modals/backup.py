"""`NewBackupModal`: a description and a type, then one POST."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from rich.text import Text
from textual.widget import Widget
from textual.widgets import Input, Label, RadioSet

from wpe_tui.api import Backup, Site
from wpe_tui.modals.form import FieldError, FormModal
from wpe_tui.modals.restore import site_label
from wpe_tui.widgets.toggles import Choice

BACKUP_TYPES = ("full", "database")


class NewBackupModal(FormModal[Backup]):
    SUBMIT_LABEL = "Create backup"
    HELP_TITLE = "New backup"

    def __init__(self, site: Site, send: Any) -> None:
        super().__init__(send, id="new-backup-modal")
        self.site = site

    def title_text(self) -> Text:
        return Text.assemble(("New backup of ", "bold"), site_label(self.site))

    def fields(self) -> Iterable[Widget]:
        yield Label("Description")
        yield Input(placeholder="e.g. before the plugin update", id="description")
        yield FieldError("description")
        yield Label("Type")
        with RadioSet(id="type"):
            for kind in BACKUP_TYPES:
                yield Choice(kind, value=kind == "full", name=kind)
        yield FieldError("type")

    def first_field(self) -> Widget:
        return self.query_one("#description", Input)

    def arguments(self) -> dict[str, Any]:
        description = self.query_one("#description", Input).value.strip()
        pressed = self.query_one("#type", RadioSet).pressed_button
        return {
            "description": description or None,
            "type": pressed.name if pressed is not None else "full",
        }
