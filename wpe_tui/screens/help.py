"""`HelpScreen` (`?`): the keys of the view it was opened from, grouped by what they do.

Only the view's keys as they are now (its active bindings: a key hidden there is
not listed, a disabled one is dimmed), plus two fixed groups: how to move in a list
(`↑↓ j k`, `PgUp PgDn`, `g G`) and the keys of every form (`tab`, `space`, `ctrl+s`,
`esc`). Textual's own keys (Scroll Left, Focus Next...) are not ours to explain.
The frame (title and "esc closes" always in view, two columns from 100 on) is
`KeysHelp`, shared with the forms' help.
"""

from __future__ import annotations

from textual.binding import ActiveBinding
from textual.screen import Screen

from wpe_tui.modals.help import PALETTE_ACTIONS, HelpEntry, HelpGroup, KeysHelp, is_ours
from wpe_tui.modals.help import key_label as _key_label

MOVE = HelpGroup(
    "Move",
    [
        HelpEntry("↑ ↓ k j", "Up, down"),
        HelpEntry("PgUp PgDn", "A page up, down"),
        HelpEntry("g Home", "First"),
        HelpEntry("G End", "Last"),
    ],
)

IN_A_FORM = HelpGroup(
    "In a form",
    [
        HelpEntry("tab", "Next field (shift+tab: back)"),
        HelpEntry("space", "Choose"),
        HelpEntry("1-4", "Toggle, as the form says"),
        HelpEntry("ctrl+s", "Send the form"),
        HelpEntry("esc", "Cancel"),
        HelpEntry("F1", "The form's own help"),
    ],
)

# Which group a key goes in, by its action (the key first for enter, esc and q).
MOVE_ACTIONS = {"cursor_up", "cursor_down", "page_up", "page_down", "first", "last"}
OPEN_KEYS = {"enter", "escape", "q"}
OPEN_ACTIONS = {"select", "open", "back", "close", "clear_filter", "tab"}
FIND_ACTIONS = {"filter", "cycle_sort", "toggle_order", "cycle_status", "search"}
CHANGE_ACTIONS = {"restore", "new", "new_backup", "delete", "edit", "purge", "copy_environment"}
APP_ACTIONS = ["help", "activity", "command_palette", "refresh", "copy", "quit"]

GROUPS = ("Open and back", "Find", "Change", "More", "App")


def key_label(key: str) -> str:
    """How a key is printed in help and in the palette: "slash" → "/"."""
    return _key_label(key)


def _bare(action: str) -> str:
    """ "app.quit" → "quit", "tab('backups')" → "tab"."""
    return action.split(".")[-1].split("(")[0]


def _description(active: ActiveBinding) -> str:
    binding = active.binding
    if binding.action in PALETTE_ACTIONS:
        return "Command palette"  # Textual says "palette"
    return binding.description or binding.action.replace("_", " ")


def group_of(key: str, action: str) -> str | None:
    """The group a key of the view goes in; None: the fixed Move group covers it."""
    bare = _bare(action)
    if bare in MOVE_ACTIONS:
        return None
    if key in OPEN_KEYS or bare in OPEN_ACTIONS:
        return "Open and back"
    if bare in FIND_ACTIONS:
        return "Find"
    if bare in CHANGE_ACTIONS:
        return "Change"
    if bare in APP_ACTIONS or action in PALETTE_ACTIONS:
        return "App"
    return "More"


def view_groups(view: Screen[object]) -> list[HelpGroup]:
    """The view's keys as they are now, grouped, then the fixed groups."""
    rows: dict[tuple[str, str], tuple[list[str], ActiveBinding]] = {}
    for key, active in view.active_bindings.items():
        binding = active.binding
        if not is_ours(active):
            continue
        group = group_of(key, binding.action)
        if group is None:
            continue
        # One row per thing done: "esc q  Back" (one action, or two that say the same).
        rows.setdefault((group, _description(active)), ([], active))[0].append(key)
    grouped: dict[str, list[tuple[str, ActiveBinding, list[str]]]] = {g: [] for g in GROUPS}
    for (group, _), (keys, active) in rows.items():
        grouped[group].append((active.binding.action, active, keys))

    def app_order(item: tuple[str, ActiveBinding, list[str]]) -> int:
        bare = _bare(item[0])
        return APP_ACTIONS.index(bare) if bare in APP_ACTIONS else 0

    grouped["App"].sort(key=app_order)
    groups = [MOVE]
    for title in GROUPS:
        entries = [
            HelpEntry(" ".join(key_label(k) for k in keys), _description(active), active.enabled)
            for action, active, keys in grouped[title]
        ]
        groups.append(HelpGroup(title, entries))
    groups.append(IN_A_FORM)
    return groups


class HelpScreen(KeysHelp):
    """`?` on any view: its keys, grouped; see the module's notes."""

    def __init__(self, view: Screen[object]) -> None:
        self.view = view
        title = getattr(view, "HELP_TITLE", "this view")
        super().__init__(f"Keys of {title}", view_groups(view))
