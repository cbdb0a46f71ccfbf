"""Models to table rows: how sites, backups and deployments read in a table."""

from __future__ import annotations

from datetime import timedelta

from rich.text import Text

from wpe_tui.api import Backup, Deployment, Site
from wpe_tui.text import clean, dash, when_short
from wpe_tui.widgets import Column, Row

_STATUS_STYLES = {
    "active": "green",
    "completed": "green",
    "inactive": "dim",
    "failed": "bold red",
    "provisioning": "yellow",
    "in_progress": "yellow",
    "deleting": "magenta",
}


def status_text(status: str | None) -> Text:
    """A status in its colour; unknown ones plain, never dropped."""
    if not status:
        return Text("—")
    label = clean(status).replace("_", " ")
    return Text(label, style=_STATUS_STYLES.get(status.lower(), ""))


def duration(delta: timedelta | None) -> str:
    if delta is None:
        return "—"
    seconds = int(delta.total_seconds())
    if seconds < 0:
        return "—"
    minutes, seconds = divmod(seconds, 60)
    hours, minutes = divmod(minutes, 60)
    if hours:
        return f"{hours}h{minutes:02d}m"
    return f"{minutes}m{seconds:02d}s"


SITE_COLUMNS = [
    Column("Name", min_width=16),
    Column("Status", width=12),
    Column("Env", width=10, optional=True),
    Column("URL", min_width=16),
    Column("Created", width=12, optional=True),
]


def short_url(url: str | None) -> str:
    """A URL without its https:// (every site has one; the host is what tells them apart)."""
    if not url:
        return "—"
    return clean(url.removeprefix("https://"))


def site_row(site: Site) -> Row:
    return Row(
        key=site.id,
        cells=[
            dash(site.name),
            status_text(site.status),
            dash(site.environment),
            short_url(site.url),
            when_short(site.created_at),
        ],
        data=site,
        search_text=f"{site.name}\n{site.url or ''}\n{site.id}".lower(),
    )


BACKUP_COLUMNS = [
    Column("ID", width=15),
    Column("Description", min_width=14),
    Column("Type", width=8),
    Column("Status", width=11),
    Column("Created", width=12),
    Column("Completed", width=12, optional=True),
    Column("Size", width=7, justify="right"),
]


def backup_row(backup: Backup) -> Row:
    return Row(
        key=backup.id,
        cells=[
            dash(backup.id),
            dash(backup.description),
            dash(backup.type),
            status_text(backup.status),
            when_short(backup.created_at),
            when_short(backup.completed_at),
            dash(backup.size),
        ],
        data=backup,
        search_text=f"{backup.id}\n{backup.description}\n{backup.type or ''}".lower(),
    )


DEPLOYMENT_COLUMNS = [
    Column("ID", width=15),
    Column("Env", width=11),
    Column("Source", min_width=16),
    Column("Status", width=11),
    Column("Created", width=12),
    Column("Completed", width=12, optional=True),
    Column("Took", width=7, justify="right"),
]


_FORGES = ("https://", "http://", "github.com/", "gitlab.com/", "bitbucket.org/")


def short_source(text: str) -> str:
    """A source without the forge's host: in a narrow column the repo and branch matter."""
    for prefix in _FORGES:
        text = text.removeprefix(prefix)
    return text


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
