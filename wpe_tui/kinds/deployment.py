"""Deployments: their row and facts, and a new deployment."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rich.text import Text
from textual.screen import Screen

from wpe_tui.api import Deployment, DeploymentSource, Site
from wpe_tui.core.outcome import NewItemCheck
from wpe_tui.core.session import Session
from wpe_tui.kinds.actions import PendingWrite, allowed, record
from wpe_tui.kinds.base import Fact, Field, KindUI, Tab
from wpe_tui.kinds.cells import duration, status_text
from wpe_tui.text import clean, dash, when, when_short
from wpe_tui.widgets import Column, Row


def source_text(source: DeploymentSource | None) -> str:
    """What tells one deployment's source from another's: the branch and commit of a
    git one, the file name of a zip; not the host they all share."""
    if source is None:
        return "—"
    # Cleaned first: an escape sequence cut in two by the split would get through.
    zip_url, repository = clean(source.zip_url), clean(source.repository)
    if source.type == "zip" or (source.type is None and zip_url):
        name = zip_url.rstrip("/").rsplit("/", 1)[-1]
        return f"zip {name or '?'}"
    if repository or source.branch:
        repo = (repository or "?").rstrip("/").rsplit("/", 1)[-1].removesuffix(".git")
        return f"{clean(source.branch) or '?'} · {repo}"
    return clean(source.type) or "—"


def _commit(deployment: Deployment) -> str:
    commit = deployment.source.commit if deployment.source else None
    return commit[:7] if commit else "—"


DEPLOYMENT_FIELDS = [
    Field(Column("ID", width=15, max_width=40, tokens=True), lambda d: dash(d.id)),
    Field(Column("Env", width=11), lambda d: dash(d.environment)),
    Field(
        Column("Source", min_width=16, weight=3, max_width=70),
        lambda d: clean(source_text(d.source)),
    ),
    Field(Column("Commit", width=7, optional=True, drop=6, from_width=110), lambda d: _commit(d)),
    Field(Column("Status", width=14), lambda d: status_text(d.status)),
    Field(Column("Created", width=16), lambda d: when_short(d.created_at)),
    Field(
        Column("Completed", width=16, optional=True, drop=5, from_width=130),
        lambda d: when_short(d.completed_at),
    ),
    Field(
        Column("Took", width=7, justify="right", optional=True, drop=3),
        lambda d: duration(d.duration),
    ),
]


def deployment_row(deployment: Deployment) -> Row:
    return DeploymentUI().row(deployment)


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
    fields = DEPLOYMENT_FIELDS
    tab = Tab(pane="deployments", key="3", label="Deployments", empty="No deployments yet")
    mutating = {"new_deployment": "deploying"}

    def search_text(self, item: Any) -> str:
        deployment: Deployment = item
        source = deployment.source.describe() if deployment.source else ""
        return f"{deployment.id}\n{deployment.environment}\n{source}".lower()

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

    sent: dict[str, Any] = {}

    async def send(environment: str, source: Any) -> Deployment:
        sent.update(environment=environment, source=source)
        return await session.write(
            lambda: backend.create_deployment(site.id, environment=environment, source=source)
        )

    async def newest() -> list[Deployment]:
        page = await session.read(lambda: backend.list_deployments(site.id, page=1, per_page=20))
        return list(page.results)

    def made_by_us(deployment: Deployment) -> bool:
        source = sent.get("source")
        got = deployment.source
        same_source = (
            source is None
            or got is None
            or (
                (got.branch, got.zip_url)
                == (getattr(source, "branch", None), getattr(source, "zip_url", None))
            )
        )
        return deployment.environment == sent.get("environment") and same_source

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

    modal = NewDeploymentModal(
        site, send, check=NewItemCheck(newest, made_by_us),
        on_outcome=PendingWrite(session, f"Deployment to {clean(site.name)}", site.id, site.name),
    )  # fmt: skip
    host.app.push_screen(modal, callback=done)
