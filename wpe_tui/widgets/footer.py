"""`Footer`: the keys of the current view, on one line, drawn as one piece of text.

Our own widget over Textual's public API: `Screen.active_bindings` says which
keys the view has now (and `check_action` whether each is enabled), the
screen's `bindings_updated_signal` says when that may have changed, and
`App.get_key_display` spells each key. Styles are in styles/app.tcss.

- It is rebuilt only when what it would show changes. A signal (each focus
  change, tab switch, screen push, `refresh_bindings()`) costs one look at the
  active bindings after the next refresh, however many signals came in
  between; if the keys are the same as those shown, nothing is redrawn.
- It never cuts a word. When the keys do not fit the width, the least useful
  go first: the command palette hint, then the last key in the order of
  `active_bindings`, which is the focused widget's keys, then its containers',
  then the screen's, then the app's. So the app's keys (`a` Activity) go
  before the screen's, and a screen lists its own keys most useful first.
  `?` (help, where every key of the view is listed) always stays.
- A binding whose `check_action` returns None is shown dimmed; False hides it.
- A click on a key presses it.
"""

from __future__ import annotations

from typing import Any, ClassVar, NamedTuple

from rich.cells import cell_len
from rich.style import Style
from rich.text import Text
from textual import events
from textual.screen import Screen
from textual.widget import Widget

# Always shown: the way to every other key (`?` on a view, `F1` in a form).
HELP_KEYS = frozenset({"question_mark", "f1"})


class ShownKey(NamedTuple):
    """One key as the footer shows it."""

    key: str  # what a click presses, e.g. "question_mark"
    display: str  # how it is spelled, e.g. "?"
    description: str
    enabled: bool
    palette: bool = False  # the command palette's key, drawn at the right end


Signature = tuple[ShownKey, ...]


class Footer(Widget, can_focus=False):
    """The keys of the current view, `key description` each; see the module's notes."""

    ALLOW_SELECT = False
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "footer--key",
        "footer--description",
        "footer--disabled",
        "footer--hover",
    }

    def __init__(
        self,
        *,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
        show_command_palette: bool = True,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.show_command_palette = show_command_palette
        self.keys: Signature = ()  # what it shows (before fitting them to the width)
        self.rebuilds = 0  # how many times the keys changed (for tests and benchmarks)
        self.renders = 0  # how many times it was drawn
        self._pending = False
        self._spans: list[tuple[int, int, ShownKey]] = []  # where each key was drawn
        self._hover: ShownKey | None = None

    # -- following the screen's bindings -------------------------------------

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)
        self._schedule()

    def on_unmount(self) -> None:
        self.screen.bindings_updated_signal.unsubscribe(self)

    def _bindings_changed(self, _screen: Screen[Any]) -> None:
        # While the terminal has lost focus, Textual blurs the focused widget: the keys
        # would flicker to the screen's and back. They are read again on return.
        if self.app.app_focus:
            self._schedule()

    def _schedule(self) -> None:
        if not self._pending:
            self._pending = True
            self.call_next(self._update)

    def _update(self) -> None:
        self._pending = False
        if not self.is_attached:
            return
        keys = self.signature()
        if keys != self.keys:
            self.keys = keys
            self.rebuilds += 1
            self.refresh()

    def signature(self) -> Signature:
        """The keys the footer would show now, in order (before fitting to the width)."""
        app = self.app
        bindings = self.screen.active_bindings
        shown: list[ShownKey] = []
        actions: set[str] = set()
        for key, active in bindings.items():
            binding = active.binding
            # One key per action, the first bound ("escape,q" shows esc).
            if not binding.show or binding.action in actions:
                continue
            actions.add(binding.action)
            shown.append(
                ShownKey(key, app.get_key_display(binding), binding.description, active.enabled)
            )
        palette = bindings.get(app.COMMAND_PALETTE_BINDING)
        if palette is not None and self.show_command_palette and app.ENABLE_COMMAND_PALETTE:
            binding = palette.binding
            shown.append(
                ShownKey(
                    app.COMMAND_PALETTE_BINDING,
                    app.get_key_display(binding),
                    binding.description,
                    palette.enabled,
                    palette=True,
                )
            )
        return tuple(shown)

    # -- drawing ---------------------------------------------------------------

    def _padding(self, component: str) -> tuple[int, int]:
        padding = self.get_component_styles(component).padding
        return padding.left, padding.right

    def _parts(self, item: ShownKey) -> tuple[str, str]:
        key_left, key_right = self._padding("footer--key")
        key = " " * key_left + item.display + " " * key_right
        if not item.description:
            return key, ""
        text_left, text_right = self._padding("footer--description")
        return key, " " * text_left + item.description + " " * text_right

    def fit(self, width: int) -> list[ShownKey]:
        """The keys that fit in `width` cells, whole: the least useful left out first."""
        kept = list(self.keys)
        widths = {item: sum(cell_len(part) for part in self._parts(item)) for item in kept}
        used = sum(widths.values())
        while used > width and kept:
            # The palette hint first, then the last key; never the help key.
            removable = [i for i, item in enumerate(kept) if item.key not in HELP_KEYS]
            if not removable:
                break
            palette = [i for i in removable if kept[i].palette]
            index = palette[0] if palette else removable[-1]
            used -= widths[kept.pop(index)]
        if used > width:  # only the help key is left and its word does not fit: the key alone
            kept = [item._replace(description="") for item in kept]
            if sum(cell_len(part) for item in kept for part in self._parts(item)) > width:
                kept = []
        return kept

    def render(self) -> Text:
        self.renders += 1
        width = self.content_size.width
        key_style = self.get_component_rich_style("footer--key")
        text_style = self.get_component_rich_style("footer--description")
        disabled = self.get_component_rich_style("footer--disabled", partial=True)
        # Only its background: blended over the footer's, as the whole style gives it.
        hover = Style(bgcolor=self.get_component_rich_style("footer--hover").bgcolor)
        items = self.fit(width)
        text = Text(no_wrap=True, overflow="crop", end="")
        spans: list[tuple[int, int, ShownKey]] = []
        for item in items:
            if item.palette:  # at the right end, after the other keys
                room = width - text.cell_len - sum(cell_len(p) for p in self._parts(item))
                text.append(" " * max(room, 0))
            start = text.cell_len
            extra = Style()
            if not item.enabled:
                extra += disabled
            if item == self._hover:
                extra += hover
            key, description = self._parts(item)
            text.append(key, key_style + extra)
            text.append(description, text_style + extra)
            spans.append((start, text.cell_len, item))
        self._spans = spans
        return text

    # -- the mouse -------------------------------------------------------------

    def _item_at(self, event: events.MouseEvent) -> ShownKey | None:
        offset = event.get_content_offset(self)
        if offset is None:
            return None
        return next((item for start, end, item in self._spans if start <= offset.x < end), None)

    def on_click(self, event: events.Click) -> None:
        item = self._item_at(event)
        if item is None:
            return
        event.stop()
        if item.enabled:
            self.app.simulate_key(item.key)  # as if typed: the same bindings, same checks
        else:
            self.app.bell()

    def on_mouse_move(self, event: events.MouseMove) -> None:
        item = self._item_at(event)
        if item != self._hover:
            self._hover = item
            self.refresh()

    def on_leave(self, _event: events.Leave) -> None:
        if self._hover is not None:
            self._hover = None
            self.refresh()
