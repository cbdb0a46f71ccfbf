"""Keys typed ahead land where they would have landed typed slowly.

Over SSH a paste or a lag spike delivers several keys in one read. Textual hands each
key to the widget focused when it arrives, so in a burst every key goes to the widget
focused before the first was handled: `/north` opened the New site modal (`n` reached
the list before the filter had focus), and `enter j j j` moved the list's cursor under
the site that had just opened.

`TypeAhead` (a base of the app) hands keys on one at a time. After each, it waits for a
fence posted behind it along the same way (the focused widget, then up to the app), then
for the app's deferred callbacks (a `focus()` is one), then for the screen in front to
be ready: mounted, and for a key that acts on a selection, its first page loaded. Keys
that arrive meanwhile are held, in order, and handed on as soon as that is true; a key
that changes nothing is held no longer than it takes the previous one to run. Held keys
are dropped, with a toast, if the screen fails or is not ready within `HOLD_LIMIT`.

An `alt+<key>` (`alt+shift+<key>` for a capital) is taken for `escape` then `<key>`,
typed in one burst (see `_split_escape`); so is escape then a digit, `-` or `=`, which
Textual reads as the character macOS's Option key gives it (escape 2 as `™`), except in
a text field, where that character may be what was typed. Textual reads escape followed
by `/` or another sign as that sign alone, escape then `b` or `f` as ctrl+left or
ctrl+right (what macOS terminals send for Option+arrow), and escape then a control key
as that key alone (enter, ctrl+p; tab as shift+tab, backspace as ctrl+w): those escapes
are lost before the app sees anything, in Key events no different from the keys typed
alone, and nothing here can bring them back (only a driver of our own could).
"""

from __future__ import annotations

import time
from collections import deque
from typing import Any, Protocol, runtime_checkable
from weakref import WeakSet

from textual import events
from textual.app import App
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Input

HOLD_LIMIT = 3.0  # seconds a held key may wait for its screen
RECHECK = 0.02  # seconds between looks at a screen that is not ready yet
FENCE_LIMIT = 1.0  # seconds after which a fence that never came back is given up on
# Keys that act at once whatever the screen (quit): never held.
NEVER_HELD = frozenset({"ctrl+q", "ctrl+c"})


@runtime_checkable
class ReadyForKeys(Protocol):
    """A screen that can say when the key it is about to get may go."""

    def ready_for(self, key: str) -> bool: ...


class KeyHandled(Message):
    """Posted behind a key, along the same way: when it reaches the app, the key (and
    whatever action it ran) has been handled."""

    def __init__(self, number: int) -> None:
        super().__init__()
        self.number = number


class TypeAhead(App[Any]):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._held: deque[events.Key] = deque()
        self._key_number = 0
        self._waiting_for: int | None = None  # the key whose fence has not come back
        self._held_since: float | None = None
        self._checking = False
        self._released: set[int] = set()  # ids of the keys handed on, on their way in
        self._settled: WeakSet[Screen[Any]] = WeakSet()
        self._settling: WeakSet[Screen[Any]] = WeakSet()
        self.keys_dropped = 0

    @property
    def keys_held(self) -> int:
        return len(self._held)

    @property
    def typing_ahead(self) -> bool:
        """Keys held, or one handed on and not yet handled: the screen may still change."""
        return bool(self._held) or self._waiting_for is not None

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.Key) and not event.is_forwarded:
            if id(event) in self._released:
                self._released.discard(id(event))
                await self._hand_on(event)
                return
            if event.key in NEVER_HELD:
                await super().on_event(event)
                return
            self._held.extend(_split_escape(event, in_text=self._in_text_field()))
            if self._held_since is None:
                self._held_since = time.monotonic()
            if self._waiting_for is None:
                self._release()
            return
        await super().on_event(event)

    def on_key_handled(self, message: KeyHandled) -> None:
        message.stop()
        if message.number != self._waiting_for:
            return  # a fence of a key given up on
        # The key's action ran; what it set going (a deferred focus(), a toggle's Changed
        # message) is done once the messages are processed and the screen refreshed.
        self.call_after_refresh(self._key_done)

    def _key_done(self) -> None:
        self._waiting_for = None
        self._release()

    def _release(self) -> None:
        """Hand on the next held key if the screen in front is ready for it."""
        if not self._held or self._waiting_for is not None:
            if not self._held:
                self._held_since = None
            return
        key = self._held[0]
        if not self._ready_for(key.key):
            self._check_later()
            return
        self._held.popleft()
        self._held_since = time.monotonic() if self._held else None
        self._key_number += 1
        self._waiting_for = self._key_number
        # Back through the app's own queue, so it is handled as any key is.
        again = key.copy()
        self._released.add(id(again))
        self.post_message(again)

    async def _hand_on(self, key: events.Key) -> None:
        number = self._waiting_for or 0
        target = self.focused or self.screen
        await super().on_event(key)
        # Behind the key on the widget that got it, so it follows the same way up.
        fence = KeyHandled(number)
        if self.is_mounted(target):
            target.post_message(fence)
        else:
            self.post_message(fence)
        self._watch_fence(number, target)

    def _watch_fence(self, number: int, target: Any) -> None:
        """A key that removed the widget it went to (a screen it closed) takes its fence
        with it, and an error in what the key set going can lose the callback behind it:
        the app then counts the key as handled rather than hold every key after it."""
        sent = time.monotonic()

        def check() -> None:
            if self._waiting_for != number:
                return
            if not self.is_mounted(target) or time.monotonic() - sent > FENCE_LIMIT:
                self.call_later(self._key_done)
            else:
                self.set_timer(RECHECK * 5, check)

        self.set_timer(RECHECK * 5, check)

    def _in_text_field(self) -> bool:
        return isinstance(self.focused, Input)

    def _ready_for(self, key: str) -> bool:
        screen = self.screen
        if not self.is_mounted(screen):
            return False
        if screen not in self._settled:
            # Mounted is not enough: the focus it asked for is set by a deferred call.
            # Settled once its first refresh after that is over.
            if screen not in self._settling:
                self._settling.add(screen)
                screen.call_after_refresh(self._settled.add, screen)
            return False
        return not isinstance(screen, ReadyForKeys) or screen.ready_for(key)

    def _check_later(self) -> None:
        if self._checking:
            return
        if self._held_since is not None and time.monotonic() - self._held_since > HOLD_LIMIT:
            self._drop_held("the view was not ready within 3 s")
            return
        self._checking = True

        def again() -> None:
            self._checking = False
            self._release()

        self.set_timer(RECHECK, again)

    def _drop_held(self, why: str) -> None:
        count = len(self._held)
        self._held.clear()
        self._held_since = None
        self.keys_dropped += count
        if count:
            keys = "key" if count == 1 else "keys"
            self.notify(
                f"{count} {keys} typed ahead dropped: {why}. Nothing else was done.",
                severity="warning",
                timeout=6,
            )

    def drop_typed_ahead(self, why: str) -> None:
        """A screen failed: what was typed for it must not land elsewhere."""
        self._waiting_for = None
        self._drop_held(why)

    def screen_changed(self, screen: Screen[Any]) -> None:
        """A screen was pushed or popped: held keys wait for it (see `_ready_for`)."""
        self._release()


# What Textual makes of escape and a key of the top row read together (the characters
# of Option with that key on macOS), as the key typed: character, key name.
OPTION_CHARACTERS = {
    "¡": ("1", "1"),
    "™": ("2", "2"),
    "£": ("3", "3"),
    "¢": ("4", "4"),
    "∞": ("5", "5"),
    "§": ("6", "6"),
    "¶": ("7", "7"),
    "•": ("8", "8"),
    "ª": ("9", "9"),
    "º": ("0", "0"),
    "–": ("-", "minus"),
    "≠": ("=", "equals_sign"),
}


def _split_escape(key: events.Key, *, in_text: bool = False) -> list[events.Key]:
    """`escape` then `j` in one read arrive as `alt+j` (that is what a terminal sends for
    Alt): over a laggy link, escape out of a site and a key on the list would be one key
    that does nothing. The app binds no Alt key, so it is taken for the two keys typed.
    Escape then `2` arrives as `™`: taken for the two keys too, but not in a text field."""
    character = key.character or ""
    if character and key.key in (f"alt+{character}", f"alt+shift+{character.lower()}"):
        return [events.Key("escape", "\x1b"), events.Key(character, character)]
    typed = None if in_text else OPTION_CHARACTERS.get(character)
    if typed is not None:
        return [events.Key("escape", "\x1b"), events.Key(typed[1], typed[0])]
    return [key]
