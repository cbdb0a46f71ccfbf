"""`KindUI`: what every kind's UI half gives the screens."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

from rich.text import Text

from wpe_tui.core.kinds import ResourceKind
from wpe_tui.core.registry import kind as core_kind
from wpe_tui.widgets import Column, Row

Fact = tuple[str, str | Text]


@dataclass(frozen=True)
class Tab:
    """A tab of the site detail that lists this kind."""

    pane: str  # the pane's id, e.g. "backups"
    key: str  # its number key, e.g. "2"
    label: str  # e.g. "Backups"
    empty: str  # what an empty list says


class KindUI:
    name: ClassVar[str]
    columns: ClassVar[Sequence[Column]] = ()
    tab: ClassVar[Tab | None] = None
    # The actions of this kind that change something: hidden and refused in read-only.
    mutating: ClassVar[dict[str, str]] = {}  # action name -> "restoring a backup"

    @property
    def core(self) -> ResourceKind:
        return core_kind(self.name)

    def row(self, item: Any) -> Row:
        raise NotImplementedError

    def facts(self, item: Any) -> list[Fact]:
        """The detail screen's lines: (label, value)."""
        return [("ID", str(item.id))]

    # -- light entries, for `/` across pages not loaded -------------------------

    def entry(self, item: Any) -> Any:
        """What a sweep keeps of an item: by default the item itself (small lists)."""
        return item

    def entry_row(self, entry: Any) -> Row:
        return self.row(entry)

    def entry_key(self, entry: Any) -> str:
        return str(entry.id)

    def entry_text(self, entry: Any) -> str:
        return self.row(entry).search_text
