"""`TitleBar`: a screen's header line — where the user is, what the view counts, how
fresh it is.

Its parts are plain text (a site's name is data, never markup: an unclosed "[/" in a
name would stop Textual's markup parser). Each has a rank; when the line is wider than
the terminal, the parts of lowest rank are dropped whole, so no word is cut in the
middle ("sort sta…", "updat…"). Parts ranked `KEEP` or more always stay.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from rich.text import Text
from textual.widgets import Static

SEPARATOR = " · "
KEEP = 9  # ranked this or more: never dropped (where the user is, what is counted)


class Part(NamedTuple):
    text: str
    rank: int = KEEP
    style: str = ""


class TitleBar(Static):
    def __init__(self, *, id: str = "title-bar") -> None:
        super().__init__("", id=id, markup=False)
        self._parts: list[Part] = []
        self._drawn: Text | None = None

    def show(self, parts: Sequence[Part]) -> None:
        self._parts = list(parts)
        self._fit()

    @property
    def plain(self) -> str:
        """What the line says now (for tests and the soak)."""
        return self._line(self._shown()).plain

    def on_resize(self) -> None:
        self._fit()

    def _fit(self) -> None:
        line = self._line(self._shown())
        if line == self._drawn:
            return
        self._drawn = line
        # One line high whatever it says (styles/app.tcss): no layout of the screen.
        self.update(line, layout=False)

    def _shown(self) -> list[Part]:
        parts = list(self._parts)
        width = self.content_size.width
        if not width:
            return parts
        while self._line(parts).cell_len > width:
            droppable = [p for p in parts if p.rank < KEEP]
            if not droppable:
                break
            lowest = min(p.rank for p in droppable)
            # Of equal rank, the last one goes first.
            drop = max(i for i, p in enumerate(parts) if p.rank == lowest)
            del parts[drop]
        return parts

    @staticmethod
    def _line(parts: Sequence[Part]) -> Text:
        line = Text(no_wrap=True, overflow="ellipsis", end="")
        for n, part in enumerate(parts):
            if n:
                line.append(SEPARATOR)
            line.append(part.text, style=part.style)
        return line
