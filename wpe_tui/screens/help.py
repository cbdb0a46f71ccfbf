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


# Textual's own bindings on every app (focus cycling, text selection): not ours to explain.
_GENERIC_ACTIONS = {"focus_next", "focus_previous", "copy_text", "screen.copy_text", "maximize"}
_GENERIC_ACTIONS |= {"screen.maximize", "screen.minimize", "minimize", "app.focus_next"}
_GENERIC_ACTIONS |= {"app.focus_previous", "scroll_left", "scroll_right", "page_left", "page_right"}


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
        ours = [
            (key, active)
            for key, active in self.view.active_bindings.items()
            if type(active.node).__module__.startswith("wpe_tui")
            and active.binding.action not in _GENERIC_ACTIONS
        ]
        # The view's own keys first, then the table's, then the app's.
        ours.sort(key=lambda item: 0 if item[1].node is self.view else 1)
        for key, active in ours:
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
