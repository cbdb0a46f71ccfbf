"""`KindUI`: what every kind's UI half gives the screens."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

from rich.text import Text

from wpe_tui.api.capabilities import Capabilities
from wpe_tui.core.kinds import ResourceKind
from wpe_tui.core.registry import kind as core_kind
from wpe_tui.widgets import Column, Row

Fact = tuple[str, str | Text]
Cell = str | Text


def always(capabilities: Capabilities) -> bool:
    return True


@dataclass(frozen=True)
class Field:
    """One column of a kind's table, and how an item fills it. A field the API does not
    give (without a request per row) is not shown at all."""

    column: Column
    cell: Callable[[Any], Cell]
    given: Callable[[Capabilities], bool] = always


@dataclass(frozen=True)
class Tab:
    """A tab of the site detail that lists this kind."""

    pane: str  # the pane's id, e.g. "backups"
    key: str  # its number key, e.g. "2"
    label: str  # e.g. "Backups"
    empty: str  # what an empty list says


class KindUI:
    name: ClassVar[str]
    fields: ClassVar[Sequence[Field]] = ()
    tab: ClassVar[Tab | None] = None
    # The actions of this kind that change something: hidden and refused in read-only.
    mutating: ClassVar[dict[str, str]] = {}  # action name -> "restoring a backup"

    @property
    def core(self) -> ResourceKind:
        return core_kind(self.name)

    def shown_fields(self, capabilities: Capabilities | None = None) -> list[Field]:
        if capabilities is None:
            return list(self.fields)
        return [f for f in self.fields if f.given(capabilities)]

    def columns(self, capabilities: Capabilities | None = None) -> list[Column]:
        return [f.column for f in self.shown_fields(capabilities)]

    def row(self, item: Any, capabilities: Capabilities | None = None) -> Row:
        """The item's row: one cell per field this API gives."""
        return Row(
            key=str(item.id),
            cells=[f.cell(item) for f in self.shown_fields(capabilities)],
            data=item,
            search_text=self.search_text(item),
        )

    def search_text(self, item: Any) -> str:
        """What `/` matches, lower case."""
        return str(item.id).lower()

    def facts(self, item: Any) -> list[Fact]:
        """The detail screen's lines: (label, value)."""
        return [("ID", str(item.id))]

    # -- light entries, for `/` across pages not loaded -------------------------

    def entry(self, item: Any) -> Any:
        """What a sweep keeps of an item: by default the item itself (small lists)."""
        return item

    def entry_row(self, entry: Any, capabilities: Capabilities | None = None) -> Row:
        return self.row(entry, capabilities)

    def entry_key(self, entry: Any) -> str:
        return str(entry.id)

    def entry_text(self, entry: Any) -> str:
        return self.search_text(entry)
