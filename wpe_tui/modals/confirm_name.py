"""`ConfirmName`: type the destination's name, as the modal shows it, to go ahead.

One field for every action that overwrites or destroys: a restore or a deployment
into production, an environment copied onto production, a site deleted. The name sits
on a line of its own above a full-width field, so a name of any length fits at 80
columns; until it is asked for, the field takes no room.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Input, Label

from wpe_tui.modals.form import FieldError


class ConfirmName(Vertical):
    DEFAULT_CLASSES = "confirm-name"

    def __init__(self, *, id: str = "confirm") -> None:
        super().__init__(id=id)
        self.expected: str | None = None
        self.display = False

    def compose(self) -> ComposeResult:
        yield Label(id="confirm-label")
        yield Input(placeholder="the name, exactly as shown", id="confirm-name")
        yield FieldError("confirm_name")

    def ask(self, name: str | None, why: str) -> None:
        """Ask for `name` to be typed ("to restore into production"); None: not asked."""
        self.expected = name
        self.display = name is not None
        if name is not None:
            label = Text("Type ")
            label.append(name, style="bold")
            label.append(f" {why}")
            self.query_one("#confirm-label", Label).update(label)
        else:
            self.query_one("#confirm-name", Input).value = ""
            self.query_one(FieldError).show(None)

    @property
    def needed(self) -> bool:
        return self.expected is not None

    @property
    def typed(self) -> str:
        return self.query_one("#confirm-name", Input).value.strip()

    def problem(self, why: str) -> str | None:
        """A sentence when the name is asked for and not typed exactly, else None."""
        if self.expected is None or self.typed == self.expected:
            return None
        return f"Type {self.expected} exactly {why}; nothing was sent."

    def focus_field(self) -> None:
        self.query_one("#confirm-name", Input).focus()
