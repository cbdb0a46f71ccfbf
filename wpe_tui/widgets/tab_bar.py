"""`TabBar`: a screen's tabs, their labels on one line and a bar under the active one.

One widget drawn as one piece of text, in place of Textual's `TabbedContent`: a
switch there restyles a widget per tab, moves an underline a frame later and
repaints three containers (`make bench`, scenario 9: about a third of a switch).
Here a switch redraws two lines, and the screen shows one pane and hides the last.

Without colour the active tab still reads: its label is bold and its bar is heavy
(`━`) where the rest is light (`─`). A click on a label posts `TabBar.Picked`.
Styles are in styles/site_detail.tcss.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from rich.cells import cell_len
from rich.text import Text
from textual import events
from textual.message import Message
from textual.widget import Widget

PADDING = 1  # cells either side of a label


class TabBar(Widget, can_focus=False):
    """Tabs as `(pane, label)` pairs; `active` is the pane in front."""

    ALLOW_SELECT = False
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "tab-bar--tab",
        "tab-bar--active",
        "tab-bar--bar",
        "tab-bar--highlight",
    }

    class Picked(Message):
        """The user clicked a tab's label."""

        def __init__(self, pane: str) -> None:
            super().__init__()
            self.pane = pane

    def __init__(
        self,
        tabs: Sequence[tuple[str, str]],
        *,
        active: str,
        id: str | None = None,
    ) -> None:
        super().__init__(id=id)
        self.tabs = tuple(tabs)
        self._active = active

    @property
    def active(self) -> str:
        return self._active

    @active.setter
    def active(self, pane: str) -> None:
        if pane != self._active:
            self._active = pane
            self.refresh()

    def spans(self) -> list[tuple[int, int, str]]:
        """Where each tab is drawn: (first cell, cell after its last, pane)."""
        spans: list[tuple[int, int, str]] = []
        x = 0
        for pane, label in self.tabs:
            width = cell_len(label) + 2 * PADDING
            spans.append((x, x + width, pane))
            x += width
        return spans

    def render(self) -> Text:
        width = self.content_size.width
        tab = self.get_component_rich_style("tab-bar--tab")
        active = self.get_component_rich_style("tab-bar--active")
        bar = self.get_component_rich_style("tab-bar--bar")
        highlight = self.get_component_rich_style("tab-bar--highlight")
        text = Text(no_wrap=True, overflow="crop", end="")
        under = Text(no_wrap=True, overflow="crop", end="")
        labels = dict(self.tabs)
        for start, end, pane in self.spans():
            front = pane == self._active
            pad = " " * PADDING
            text.append(f"{pad}{labels[pane]}{pad}", active if front else tab)
            under.append(("━" if front else "─") * (end - start), highlight if front else bar)
        if under.cell_len < width:
            under.append("─" * (width - under.cell_len), bar)
        text.append("\n")
        text.append_text(under)
        return text

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None:
            return
        for start, end, pane in self.spans():
            if start <= offset.x < end:
                event.stop()
                self.post_message(self.Picked(pane))
                return
