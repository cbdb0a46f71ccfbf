"""The help every view and every modal shares: `KeysHelp`, and the rules for what it lists.

`KeysHelp` draws a title, an optional sentence, then groups of keys ("Move", "Open
and back", ...) in one column, or two from 100 columns on. The groups scroll; the
title and the line saying how to close it stay in view at any size (80x24 included).
`esc`, `q`, `?` and `F1` close it, and focus goes back where it was.

`screens/help.py` fills it from a view's active bindings (`HelpScreen`); a form
(`FormModal`) fills it with its own keys and what it does (`FormHelp`, below).
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from typing import TYPE_CHECKING, Any, ClassVar, NamedTuple

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import ActiveBinding, Binding, BindingType
from textual.containers import Grid, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from wpe_tui.widgets import Footer

if TYPE_CHECKING:
    from wpe_tui.modals.form import FormModal

# How keys are spelled in help: what is printed on the keycap.
KEY_NAMES = {
    "slash": "/",
    "question_mark": "?",
    "escape": "esc",
    "pageup": "PgUp",
    "pagedown": "PgDn",
    "home": "Home",
    "end": "End",
    "up": "↑",
    "down": "↓",
    "left": "←",
    "right": "→",
    "f1": "F1",
}

PALETTE_ACTIONS = ("command_palette", "app.command_palette")


class HelpEntry(NamedTuple):
    key: str  # as printed: "esc q", "ctrl+s", "1-4"
    description: str
    enabled: bool = True  # False: shown dimmed (the key does nothing just now)


class HelpGroup(NamedTuple):
    title: str
    entries: Sequence[HelpEntry]


def key_label(key: str) -> str:
    """How a binding's key (or comma-separated keys) is printed: "escape,q" → "esc q"."""
    return " ".join(KEY_NAMES.get(k.strip(), k.strip()) for k in key.split(","))


@lru_cache(maxsize=256)
def _declared_actions(cls: type) -> frozenset[str]:
    """The actions bound in BINDINGS by the classes in `cls`'s ancestry that are not
    Textual's own (the app's, or a test's)."""
    actions: set[str] = set()
    for base in cls.__mro__:
        if base.__module__.split(".")[0] == "textual":
            continue
        declared: list[BindingType] = base.__dict__.get("BINDINGS", [])
        actions.update(binding.action for binding in Binding.make_bindings(declared))
    return frozenset(actions)


def is_ours(active: ActiveBinding) -> bool:
    """True for a key the app declares (and the command palette's); False for one only
    Textual declares (Scroll Left, Focus Next, Copy selected text...): not ours to list."""
    action = active.binding.action
    if action in PALETTE_ACTIONS:
        return True
    return action in _declared_actions(type(active.node))


class KeysHelp(ModalScreen[None]):
    """A title, a sentence, groups of keys that scroll; the way out always in view."""

    HOLDS_TOASTS = True  # shown once it closes: not over the keys or the way out

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,question_mark,f1", "dismiss", "Close"),
        Binding("down,j", "scroll('down')", "Scroll down", show=False),
        Binding("up,k", "scroll('up')", "Scroll up", show=False),
        Binding("pagedown,space", "scroll('page_down')", "Page down", show=False),
        Binding("pageup", "scroll('page_up')", "Page up", show=False),
        Binding("home,g", "scroll('home')", "Top", show=False),
        Binding("end,G", "scroll('end')", "Bottom", show=False),
    ]
    # Two columns of groups from 100 columns on (styles/app.tcss, HelpScreen.-wide).
    HORIZONTAL_BREAKPOINTS = [
        (0, "-narrow"),
        (100, "-wide"),
    ]

    def __init__(self, title: str, groups: Sequence[HelpGroup], text: str = "") -> None:
        super().__init__()
        self.help_title = title
        self.help_text = text
        self.groups = [group for group in groups if group.entries]
        # (key, what it does) of each row shown. A key shown twice (`esc` of the view and
        # `esc` in a form) is listed once, as the first group shows it.
        self.entries: list[tuple[str, str]] = []
        listed: set[str] = set()
        for group in self.groups:
            for entry in group.entries:
                if entry.key not in listed:
                    listed.add(entry.key)
                    self.entries.append((entry.key, entry.description))

    def compose(self) -> ComposeResult:
        # The box scrolls; its head and its last line are docked, so they never do.
        with VerticalScroll(id="help-box"):
            with Vertical(id="help-head"):
                yield Static(Text(self.help_title), id="help-title")
                if self.help_text:
                    yield Static(Text(self.help_text), id="help-text")
            yield Static(Text("esc closes", style="dim"), id="help-close")
            with Grid(id="help-groups"):
                for group in self.groups:
                    with Vertical(classes="help-group"):
                        yield Static(Text(group.title), classes="help-group-title")
                        yield Static(self._table(group), classes="help-keys")
        yield Footer(show_command_palette=False)

    @staticmethod
    def _table(group: HelpGroup) -> Table:
        table = Table.grid(padding=(0, 1))
        table.add_column(style="bold", no_wrap=True, min_width=9)
        table.add_column()
        for entry in group.entries:
            key, text = Text(entry.key), Text(entry.description)
            if not entry.enabled:
                key.stylize("dim")
                text.stylize("dim")
            table.add_row(key, text)
        return table

    def on_mount(self) -> None:
        self.query_one("#help-box", VerticalScroll).focus()
        self.call_after_refresh(self._say_how_to_scroll)

    def on_resize(self) -> None:
        self.call_after_refresh(self._say_how_to_scroll)

    def _say_how_to_scroll(self) -> None:
        body = self.query_one("#help-box", VerticalScroll)
        said = "esc closes · ↑↓ j k scroll" if body.max_scroll_y > 0 else "esc closes"
        self.query_one("#help-close", Static).update(Text(said, style="dim"))

    def action_scroll(self, how: str) -> None:
        body = self.query_one("#help-box", VerticalScroll)
        if how == "down":
            body.scroll_down(animate=False)
        elif how == "up":
            body.scroll_up(animate=False)
        elif how == "page_down":
            body.scroll_page_down(animate=False)
        elif how == "page_up":
            body.scroll_page_up(animate=False)
        elif how == "home":
            body.scroll_home(animate=False)
        else:
            body.scroll_end(animate=False)


class FormHelp(KeysHelp):
    """F1 (or `?` outside a text field) in a form: its keys and what it does."""

    def __init__(self, form: FormModal[Any]) -> None:
        super().__init__(form.HELP_TITLE, [HelpGroup("Keys", form.help_keys())], form.help_text())
