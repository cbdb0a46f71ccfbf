"""`WpeScreen`: what every screen of the app shares.

- It gets the `Session` in its constructor: the one way to the backend, the store,
  the follower and the activity.
- While it is the screen in front, it tells the follower what it has in view
  (`follow_targets`), and hears of every change of the store (`item_changed`); when
  another screen covers it, it follows nothing.
- Its keys that change something are hidden in read-only mode, and keys that do not
  apply here (`available`) are hidden too; pressing one says why.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import cache
from typing import Any, ClassVar

from textual import events
from textual.binding import Binding, BindingType
from textual.screen import Screen
from textual.widgets import Input

from wpe_tui.core.follower import Target
from wpe_tui.core.registry import names
from wpe_tui.core.session import Session
from wpe_tui.core.store import Change

# Keys that act on the selected row: typed ahead, they wait for the first page.
SELECTION_KEYS = frozenset(
    {"enter", "j", "k", "up", "down", "pageup", "pagedown", "home", "end", "g", "G"}
    | {"R", "D", "e", "y", "space"}
)


@cache
def mutating_actions() -> dict[str, str]:
    """Every action of every kind that changes something: "restore" → "restoring a backup"."""
    from wpe_tui.kinds import ui

    actions: dict[str, str] = {}
    for name in names():
        actions.update(ui(name).mutating)
    return actions


def declared_bindings(screen_class: type[Screen[Any]]) -> Iterator[Binding]:
    """The bindings a screen class declares, its bases' included (public BINDINGS only)."""
    for cls in screen_class.__mro__:
        declared: list[BindingType] = cls.__dict__.get("BINDINGS", [])
        yield from Binding.make_bindings(declared)


class WpeScreen(Screen[Any]):
    HELP_TITLE: ClassVar[str] = "this view"

    def __init__(self, session: Session, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.session = session
        self._stop_listening: Callable[[], None] | None = None
        self._refollow_due = False
        self._filter_box: Input | None = None
        self._keys: dict[str, list[str]] | None = None
        self._ready = False
        self.opening = 0  # modals on their way (a worker fetching what they need first)

    # -- keys typed ahead -----------------------------------------------------------

    def on_mount(self) -> None:
        # Ready once the first refresh is over: the focus the screen asked for is set.
        self.call_after_refresh(self._set_ready)

    def _set_ready(self) -> None:
        self._ready = True

    def ready_for(self, key: str) -> bool:
        """Whether a key typed ahead may come to this screen now (see `TypeAhead`)."""
        if not self._ready or self.opening:
            return False
        if key in SELECTION_KEYS:
            from wpe_tui.widgets import PagedTable

            focused = self.focused
            if isinstance(focused, PagedTable) and focused.waiting_for_first_page:
                return False
        return True

    # -- following what is in view --------------------------------------------------

    def follow_targets(self) -> list[Target]:
        """What this screen has in view that is in flight; the follower asks for it."""
        return []

    def item_changed(self, change: Change) -> None:
        """The store has a newer copy of an item (or lost one): redraw what shows it."""

    def refollow(self) -> None:
        """Hand the follower the targets again, once this refresh is over."""
        if not self._refollow_due:
            self._refollow_due = True
            self.call_after_refresh(self._refollow_now)

    def _refollow_now(self) -> None:
        self._refollow_due = False
        if self.is_attached and self.app.screen is self:
            self.session.follow(self, self.follow_targets())

    def on_screen_resume(self) -> None:
        if self._stop_listening is None:
            self._stop_listening = self.session.store.subscribe(self._store_changed)
        self.refollow()

    def on_screen_suspend(self) -> None:
        # Hidden: it follows nothing (the activity still follows what the user started).
        self.session.unfollow(self)

    def on_unmount(self) -> None:
        self.session.unfollow(self)
        if self._stop_listening is not None:
            self._stop_listening()
            self._stop_listening = None

    def _store_changed(self, change: Change) -> None:
        # A popped screen hears changes until its unmount, while its widgets are being
        # removed: it has nothing left to draw them on.
        if self.is_attached and self in self.app.screen_stack:
            self.item_changed(change)

    # -- keys that change something, and keys that do not apply --------------------

    def available(self, action: str) -> bool:
        """Whether `action` applies here now (a tab, a capability of the API)."""
        return True

    def unavailable(self, action: str) -> None:
        """The key of `action` was pressed where it does not apply: say why."""

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # False hides it from the footer, the help and the palette.
        if action in mutating_actions() and self.session.read_only:
            return False
        return self.available(action)

    def on_key(self, event: events.Key) -> None:
        # A hidden binding lets its key through to here: say why nothing happens (unless
        # another binding of the key applies: esc clears a filter, else goes back).
        actions = self._actions_of(event.key)
        if any(self.check_action(action, ()) is not False for action in actions):
            return
        for action in actions:
            event.stop()
            what = mutating_actions().get(action)
            if what is not None and self.session.read_only:
                from wpe_tui.kinds.actions import refuse

                refuse(self, self.session, what)
            else:
                self.unavailable(action)
            return

    def _actions_of(self, key: str) -> list[str]:
        if self._keys is None:
            keys: dict[str, list[str]] = {}
            for binding in declared_bindings(type(self)):
                keys.setdefault(binding.key, []).append(binding.action)
            self._keys = keys
        return self._keys.get(key, [])

    # -- the `/` filter box (`#filter`, hidden until `/`) ---------------------------

    def filter_box(self) -> Input:
        # Looked up once: a query walks the whole screen, and a tab switch asks.
        if self._filter_box is None:
            self._filter_box = self.query_one("#filter", Input)
        return self._filter_box

    def filter_box_open(self) -> bool:
        return not self.filter_box().has_class("hidden")

    def open_filter_box(self) -> None:
        box = self.filter_box()
        box.remove_class("hidden")
        box.focus()
        self.refresh_bindings()

    def close_filter_box(self) -> bool:
        """Empties and hides the box; False if it was hidden already."""
        box = self.filter_box()
        was_open = self.filter_box_open()
        box.value = ""
        box.add_class("hidden")
        self.refresh_bindings()
        return was_open
