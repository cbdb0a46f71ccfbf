"""Deployments: their row and facts, and a new deployment."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rich.text import Text
from textual.screen import Screen

from wpe_tui.api import Deployment, Site
from wpe_tui.core.session import Session
from wpe_tui.kinds.actions import allowed, record
from wpe_tui.kinds.base import Fact, KindUI, Tab
from wpe_tui.kinds.cells import duration, short_source, status_text
from wpe_tui.text import clean, dash, when, when_short
from wpe_tui.widgets import Column, Row

DEPLOYMENT_COLUMNS = [
    Column("ID", width=15),
    Column("Env", width=11),
    Column("Source", min_width=16),
    Column("Status", width=11),
    Column("Created", width=12),
    Column("Completed", width=12, optional=True),
    Column("Took", width=7, justify="right"),
]


def deployment_row(deployment: Deployment) -> Row:
    source = deployment.source.describe() if deployment.source else "—"
    return Row(
        key=deployment.id,
        cells=[
            dash(deployment.id),
            dash(deployment.environment),
            dash(short_source(source)),
            status_text(deployment.status),
            when_short(deployment.created_at),
            when_short(deployment.completed_at),
            duration(deployment.duration),
        ],
        data=deployment,
        search_text=f"{deployment.id}\n{deployment.environment}\n{source}".lower(),
    )


def changes_text(deployment: Deployment) -> str | Text:
    changes = deployment.changes
    if changes is None:
        return "—"
    return Text.assemble(
        (f"+{dash(changes.added)} ", "green"),
        (f"~{dash(changes.modified)} ", "yellow"),
        (f"-{dash(changes.deleted)}", "red"),
    )


class DeploymentUI(KindUI):
    name = "deployment"
    columns = DEPLOYMENT_COLUMNS
    tab = Tab(pane="deployments", key="3", label="Deployments", empty="No deployments yet")
    mutating = {"new_deployment": "deploying"}

    def row(self, item: Any) -> Row:
        return deployment_row(item)

    def facts(self, item: Any) -> list[Fact]:
        deployment: Deployment = item
        source = deployment.source
        return [
            ("ID", dash(deployment.id)),
            ("Environment", dash(deployment.environment)),
            ("Source", dash(source.describe() if source else None)),
            ("Status", status_text(deployment.status)),
            ("Created", when(deployment.created_at)),
            ("Completed", when(deployment.completed_at)),
            ("Took", duration(deployment.duration)),
            ("Changes", changes_text(deployment)),
        ]


def open_new_deployment(
    host: Screen[Any], session: Session, site: Site, created: Callable[[Deployment], None]
) -> None:
    from wpe_tui.modals.deployment import NewDeploymentModal

    if not allowed(host, session, "deploying"):
        return
    backend = session.backend

    async def send(environment: str, source: Any) -> Deployment:
        return await session.write(
            lambda: backend.create_deployment(site.id, environment=environment, source=source)
        )

    def done(deployment: Deployment | None) -> None:
        if deployment is None:
            return
        session.store.put("deployment", deployment, fetched_at=session.now())
        source = deployment.source.describe() if deployment.source else ""
        record(
            session, "deploy", "deployment", deployment, site_id=site.id,
            site_name=site.name, detail=source,
        )  # fmt: skip
        host.notify(f"Deployment {clean(deployment.id)} started — enter follows its log")
        created(deployment)

    host.app.push_screen(NewDeploymentModal(site, send), callback=done)
