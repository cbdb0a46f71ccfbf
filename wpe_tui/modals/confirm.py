"""Confirmations before anything is deleted.

`ConfirmModal` asks once (focus starts on Cancel, so a stray enter is safe);
`TypedConfirmModal` wants the item's name typed, for what cannot be undone
and matters most: deleting a site.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, TypeVar

from rich.text import Text
from textual.widget import Widget
from textual.widgets import Button, Input, Label, Static

from wpe_tui.modals.form import FieldError, FormModal, Problems

R = TypeVar("R")


class ConfirmModal(FormModal[R]):
    SUBMIT_VARIANT = "error"
    HELP_TITLE = "Confirm"

    def __init__(self, title: str | Text, question: str | Text, action: str, send: Any) -> None:
        super().__init__(send, classes="confirm-modal")
        self._title = title
        self._question = question
        self.SUBMIT_LABEL = action  # type: ignore[misc]

    def title_text(self) -> str | Text:
        return self._title

    def fields(self) -> Iterable[Widget]:
        yield Static(self._question, classes="form-question", markup=False)

    def first_field(self) -> Widget:
        return self.query_one("#cancel", Button)


class TypedConfirmModal(ConfirmModal[R]):
    HELP_TITLE = "Confirm by typing the name"

    def __init__(
        self, title: str | Text, question: str | Text, action: str, name: str, send: Any
    ) -> None:
        super().__init__(title, question, action, send)
        self.expected = name

    def fields(self) -> Iterable[Widget]:
        yield from super().fields()
        yield Label(Text(f"Type {self.expected} to confirm"))
        yield Input(placeholder="the name, exactly", id="confirm-name")
        yield FieldError("confirm_name")

    def first_field(self) -> Widget:
        return self.query_one("#confirm-name", Input)

    def check(self) -> Problems:
        typed = self.query_one("#confirm-name", Input).value.strip()
        if typed != self.expected:
            return {"confirm_name": f"Type {self.expected} exactly; nothing was sent."}
        return {}
