"""The resource kinds the app knows, each one line.

Entries are import strings, read on first use, so start-up pays only for the kinds of
the first screen. `core` is the kind's core half (`wpe_tui.core.kinds`); `ui` is its
UI half (`wpe_tui.kinds`), which only the UI resolves — the core never imports it.
Adding a kind: its core class, its UI file, one line here, and its API calls and fake.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from functools import cache
from typing import Any

from wpe_tui.core.kinds import ResourceKind


@dataclass(frozen=True)
class Entry:
    core: str
    ui: str


KINDS: dict[str, Entry] = {
    "site": Entry("wpe_tui.core.kinds:SiteKind", "wpe_tui.kinds.site:SiteUI"),
    "backup": Entry("wpe_tui.core.kinds:BackupKind", "wpe_tui.kinds.backup:BackupUI"),
    "deployment": Entry(
        "wpe_tui.core.kinds:DeploymentKind", "wpe_tui.kinds.deployment:DeploymentUI"
    ),
    "restore": Entry("wpe_tui.core.kinds:RestoreKind", "wpe_tui.kinds.restore:RestoreUI"),
    "domain": Entry("wpe_tui.core.kinds:DomainKind", "wpe_tui.kinds.domain:DomainUI"),
    "install": Entry("wpe_tui.core.kinds:InstallKind", "wpe_tui.kinds.install:InstallUI"),
}


def load(path: str) -> Any:
    """The object an import string "package.module:Name" names."""
    module, _, name = path.partition(":")
    return getattr(importlib.import_module(module), name)


@cache
def kind(name: str) -> ResourceKind:
    """The core half of the kind called `name` (one instance per run)."""
    entry = KINDS.get(name)
    if entry is None:
        raise KeyError(f"no resource kind named {name!r}")
    made = load(entry.core)()
    if not isinstance(made, ResourceKind):
        raise TypeError(f"{entry.core} is not a ResourceKind")
    return made


def names() -> list[str]:
    return list(KINDS)
