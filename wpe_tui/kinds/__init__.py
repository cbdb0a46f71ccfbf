"""The UI half of each resource kind: columns and rows, detail facts, modals, actions.

The core half (`wpe_tui.core.kinds`) says how to read an item and when it is final;
this half says how it looks and what the user can do with it. Both are found through
`wpe_tui.core.registry`; `ui(name)` loads this half on first use.
"""

from __future__ import annotations

from functools import cache
from typing import TYPE_CHECKING

from wpe_tui.core.registry import KINDS, load

if TYPE_CHECKING:
    from wpe_tui.kinds.base import KindUI


@cache
def ui(name: str) -> KindUI:
    from wpe_tui.kinds.base import KindUI

    entry = KINDS.get(name)
    if entry is None:
        raise KeyError(f"no resource kind named {name!r}")
    made = load(entry.ui)()
    if not isinstance(made, KindUI):
        raise TypeError(f"{entry.ui} is not a KindUI")
    return made
