"""Radio buttons and checkboxes whose state reads without colour (NO_COLOR, mono terminals).

Textual draws the same mark for on and off and tells them apart by colour
alone; these draw the mark only when on.
"""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Checkbox, RadioButton


class Choice(RadioButton):
    @property
    def _button(self) -> Content:
        self.BUTTON_INNER = "●" if self.value else " "
        return super()._button


class Flag(Checkbox):
    @property
    def _button(self) -> Content:
        self.BUTTON_INNER = "✓" if self.value else " "
        return super()._button
