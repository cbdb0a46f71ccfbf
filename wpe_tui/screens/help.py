"""`HelpScreen` (`?`): every binding of the view it was opened from."""

from __future__ import annotations

from typing import ClassVar

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

# Keys Textual names differently from what is printed on the keycap.
_KEY_NAMES = {"slash": "/", "question_mark": "?", "escape": "esc", "enter": "enter"}


def key_label(key: str) -> str:
    return ", ".join(_KEY_NAMES.get(k, k) for k in key.split(","))


class HelpScreen(ModalScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,question_mark", "dismiss", "Close"),
    ]

    def __init__(self, view: Screen[object]) -> None:
        super().__init__()
        self.view = view
        self.entries: list[tuple[str, str]] = []  # (key, what it does), as shown

    def compose(self) -> ComposeResult:
        table = Table.grid(padding=(0, 2))
        table.add_column(style="bold", no_wrap=True)
        table.add_column()
        seen: set[str] = set()
        for key, active in self.view.active_bindings.items():
            binding = active.binding
            description = binding.description or binding.action.replace("_", " ")
            if binding.action in seen and not binding.show:
                continue
            seen.add(binding.action)
            text = Text(description)
            if not active.enabled:
                text.stylize("dim")
            table.add_row(key_label(key), text)
            self.entries.append((key_label(key), description))
        with VerticalScroll(id="help-box"):
            title = getattr(self.view, "HELP_TITLE", "this view")
            yield Static(f"Keys of {title}", id="help-title")
            yield Static(table)
            yield Static(Text("esc closes", style="dim"))
