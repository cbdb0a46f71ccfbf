"""Radio buttons and checkboxes whose state reads without colour (NO_COLOR, mono terminals).

Textual draws the same mark for on and off and tells them apart by colour
alone; these draw the mark only when on. Public API only: `BUTTON_INNER` (the
character inside the button) is set per instance whenever `value` changes,
from the `watch_value` hook, which then runs the base class's own watcher.
"""

from __future__ import annotations

from textual.widgets import Checkbox, RadioButton

OFF = " "


class Choice(RadioButton):
    """A radio button: "●" when chosen, blank when not."""

    MARK = "●"
    BUTTON_INNER = OFF  # until `value` is first set to True

    def watch_value(self) -> None:
        self.BUTTON_INNER = self.MARK if self.value else OFF
        super().watch_value()


class Flag(Checkbox):
    """A checkbox: "✓" when ticked, blank when not."""

    MARK = "✓"
    BUTTON_INNER = OFF

    def watch_value(self) -> None:
        self.BUTTON_INNER = self.MARK if self.value else OFF
        super().watch_value()
