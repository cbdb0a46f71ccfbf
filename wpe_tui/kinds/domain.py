"""Domains (Hosting Platform API): a tab of the site detail."""

from __future__ import annotations

from typing import Any

from wpe_tui.api import Domain
from wpe_tui.kinds.base import Fact, KindUI, Tab
from wpe_tui.text import dash
from wpe_tui.widgets import Column, Row

DOMAIN_COLUMNS = [
    Column("Domain", min_width=20),
    Column("Env", width=11),
    Column("Primary", width=7),
    Column("Redirects to", min_width=12, optional=True),
    Column("SSL", width=9),
    Column("Network", width=10, optional=True),
]


def _yes(value: bool | None) -> str:
    return "—" if value is None else ("yes" if value else "no")


class DomainUI(KindUI):
    name = "domain"
    columns = DOMAIN_COLUMNS
    tab = Tab(pane="domains", key="4", label="Domains", empty="No domains")

    def row(self, item: Any) -> Row:
        domain: Domain = item
        return Row(
            key=domain.id,
            cells=[
                dash(domain.name),
                dash(domain.environment),
                _yes(domain.primary),
                dash(", ".join(domain.redirects_to)),
                dash(domain.ssl_status),
                dash(domain.network_status or domain.network_type),
            ],
            data=domain,
            search_text=f"{domain.name}\n{domain.environment or ''}".lower(),
        )

    def facts(self, item: Any) -> list[Fact]:
        domain: Domain = item
        return [
            ("Domain", dash(domain.name)),
            ("Environment", dash(domain.environment)),
            ("Primary", _yes(domain.primary)),
            ("Redirects to", dash(", ".join(domain.redirects_to))),
            ("SSL", dash(domain.ssl_status)),
            ("Network", dash(domain.network_type)),
            ("Network status", dash(domain.network_status)),
            ("Ownership", dash(domain.status)),
        ]
