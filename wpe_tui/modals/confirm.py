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
from textual.widgets import Button, Input, Static

from wpe_tui.modals.confirm_name import ConfirmName
from wpe_tui.modals.form import FormModal, Problems

R = TypeVar("R")


class ConfirmModal(FormModal[R]):
    SUBMIT_VARIANT = "error"
    HELP_TITLE = "Confirm"
    HELP_TEXT = (
        "Asks before going ahead. Focus starts on Cancel, so a stray enter changes "
        "nothing; ctrl+s goes ahead, esc does not."
    )

    def __init__(
        self, title: str | Text, question: str | Text, action: str, send: Any, **options: Any
    ) -> None:
        super().__init__(send, classes="confirm-modal", **options)
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
    HELP_TEXT = (
        "For what cannot be undone: type the name shown, exactly, then ctrl+s. "
        "esc closes without doing anything."
    )

    def __init__(
        self,
        title: str | Text,
        question: str | Text,
        action: str,
        name: str,
        send: Any,
        **options: Any,
    ) -> None:
        super().__init__(title, question, action, send, **options)
        self.expected = name

    def fields(self) -> Iterable[Widget]:
        yield from super().fields()
        yield ConfirmName()

    def on_mount(self) -> None:
        self.query_one(ConfirmName).ask(self.expected, "to confirm")

    def first_field(self) -> Widget:
        return self.query_one("#confirm-name", Input)

    def check(self) -> Problems:
        problem = self.query_one(ConfirmName).problem("")
        if problem:
            return {"confirm_name": f"Type {self.expected} exactly; nothing was sent."}
        return {}
