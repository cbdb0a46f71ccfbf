"""Domains (Hosting Platform API): a tab of the site detail."""

from __future__ import annotations

from typing import Any

from wpe_tui.api import Domain
from wpe_tui.kinds.base import Fact, Field, KindUI, Tab
from wpe_tui.text import dash
from wpe_tui.widgets import Column


def words(value: str | None) -> str:
    """An API constant as words: "TXT_VERIFICATION_PENDING" reads "TXT verification
    pending", "ACTIVE" reads "active"; short ones are acronyms ("AN", "SSL")."""
    if not value:
        return "—"
    return " ".join(w if len(w) <= 3 else w.lower() for w in dash(value).split("_"))


def _yes(value: bool | None) -> str:
    return "—" if value is None else ("yes" if value else "no")


DOMAIN_FIELDS = [
    Field(Column("Domain", min_width=20, weight=3, tokens=True, want=30), lambda d: dash(d.name)),
    Field(Column("Env", width=11), lambda d: dash(d.environment)),
    Field(Column("Primary", width=7), lambda d: _yes(d.primary)),
    Field(
        Column("Redirects to", min_width=12, optional=True, drop=4),
        lambda d: dash(", ".join(d.redirects_to)),
    ),
    Field(Column("SSL", width=9), lambda d: words(d.ssl_status)),
    Field(
        Column("Network", width=10, optional=True, drop=5),
        lambda d: words(d.network_status or d.network_type),
    ),
]


class DomainUI(KindUI):
    name = "domain"
    fields = DOMAIN_FIELDS
    tab = Tab(pane="domains", key="4", label="Domains", empty="No domains")

    def search_text(self, item: Any) -> str:
        domain: Domain = item
        return f"{domain.name}\n{domain.environment or ''}".lower()

    def facts(self, item: Any) -> list[Fact]:
        domain: Domain = item
        return [
            ("Domain", dash(domain.name)),
            ("Environment", dash(domain.environment)),
            ("Primary", _yes(domain.primary)),
            ("Redirects to", dash(", ".join(domain.redirects_to))),
            ("SSL", words(domain.ssl_status)),
            ("Network", words(domain.network_type)),
            ("Network status", words(domain.network_status)),
            ("Ownership", words(domain.status)),
        ]
