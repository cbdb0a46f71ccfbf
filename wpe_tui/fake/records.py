"""In-memory records of the fake account and their JSON shapes (as in the spec).

Every status is computed from timestamps when read, so nothing needs a background
task: a backup is ``in_progress`` until ``finished_at`` and ``completed`` afterwards.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Final

JSON = dict[str, Any]

CONTENT_KEYS = ("database", "files", "plugins", "themes")


class _Omit:
    def __repr__(self) -> str:
        return "OMIT"


OMIT: Final = _Omit()
"""An override value that leaves the key out of the answer altogether."""


def overlay(body: JSON, overrides: JSON) -> JSON:
    """`body` with `overrides` laid over it, for answers a real API might drift to
    (null or missing fields, odd statuses): a value of `OMIT` removes the key."""
    if not overrides:
        return body
    merged = {**body, **overrides}
    return {key: value for key, value in merged.items() if value is not OMIT}


def iso(dt: datetime) -> str:
    """Format like the spec: ``2023-01-15T12:00:00Z`` (whole seconds, UTC)."""
    return dt.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class ApiError(Exception):
    """An error answer: HTTP status plus the JSON body ``{error, message[, errors]}``."""

    def __init__(
        self,
        status: int,
        error: str,
        message: str,
        errors: dict[str, list[str]] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.error = error
        self.message = message
        self.errors = errors

    def body(self) -> JSON:
        body: JSON = {"error": self.error, "message": self.message}
        if self.errors is not None:
            body["errors"] = self.errors
        return body


class NotFound(ApiError):
    def __init__(self, message: str) -> None:
        super().__init__(404, "not_found", message)


class Conflict(ApiError):
    def __init__(self, message: str) -> None:
        super().__init__(409, "conflict", message)


class ValidationFailed(ApiError):
    def __init__(self, errors: dict[str, list[str]]) -> None:
        fields = ", ".join(sorted(errors))
        super().__init__(400, "validation_error", f"Invalid request: {fields}", errors)


@dataclass
class BackupRecord:
    id: str
    site_id: str
    description: str
    type: str
    created_at: datetime
    finished_at: datetime
    outcome: str  # "completed" or "failed": the status once finished_at has passed
    size: str | None
    contents: dict[str, bool]
    environment: str = "production"
    gone_at: datetime | None = None  # set by DELETE; "deleting" until then, 404 after
    overrides: JSON = field(default_factory=dict)  # laid over every answer (see `overlay`)
    estimated_at: datetime | None = None  # what it tells, when not finished_at (stuck)

    def status_at(self, now: datetime) -> str:
        if self.gone_at is not None:
            return "gone" if now >= self.gone_at else "deleting"
        return "in_progress" if now < self.finished_at else self.outcome

    def summary(self, now: datetime) -> JSON:
        return overlay(self._summary(now), self.overrides)

    def _summary(self, now: datetime) -> JSON:
        status = self.status_at(now)
        # A backup being deleted was completed before; keep showing what it was.
        done = status == "completed" or (status == "deleting" and self.outcome == "completed")
        body: JSON = {
            "id": self.id,
            "site_id": self.site_id,
            "description": self.description,
            "type": self.type,
            "status": status,
            "created_at": iso(self.created_at),
            "completed_at": iso(self.finished_at) if done else None,
            "size": self.size if done else None,
        }
        if status == "in_progress":
            body["estimated_completion_time"] = iso(self.estimated_at or self.finished_at)
        return body

    def detail(self, now: datetime) -> JSON:
        body = self._summary(now)
        done = body["completed_at"] is not None
        body["download_url"] = (
            f"https://wpengineapi.com/v1/sites/{self.site_id}/backups/{self.id}/download"
            if done
            else None
        )
        body["contents"] = dict(self.contents)
        return overlay(body, self.overrides)


@dataclass
class DeploymentRecord:
    id: str
    site_id: str
    environment: str
    source: JSON
    created_at: datetime
    finished_at: datetime
    outcome: str  # "completed" or "failed"
    log_lines: list[str]  # the whole log; lines appear evenly spread until finished_at
    changes: dict[str, int]
    overrides: JSON = field(default_factory=dict)  # laid over every answer (see `overlay`)
    estimated_at: datetime | None = None  # what it tells, when not finished_at (stuck)
    stall_at: int | None = None  # a stuck deployment's log stops after this many lines

    def status_at(self, now: datetime) -> str:
        return "in_progress" if now < self.finished_at else self.outcome

    def logs_at(self, now: datetime) -> str:
        if now >= self.finished_at:
            return "\n".join(self.log_lines)
        if self.stall_at is not None:
            return "\n".join(self.log_lines[: self.stall_at])
        steps = max(len(self.log_lines) - 1, 1)
        duration = (self.finished_at - self.created_at) / steps
        shown = 1 + int((now - self.created_at) / duration) if now >= self.created_at else 1
        return "\n".join(self.log_lines[: min(shown, len(self.log_lines) - 1)])

    def summary(self, now: datetime) -> JSON:
        return overlay(self._summary(now), self.overrides)

    def _summary(self, now: datetime) -> JSON:
        status = self.status_at(now)
        body: JSON = {
            "id": self.id,
            "site_id": self.site_id,
            "environment": self.environment,
            "source": dict(self.source),
            "status": status,
            "created_at": iso(self.created_at),
            # An odd status (see world.py) has not finished either.
            "completed_at": iso(self.finished_at) if status in ("completed", "failed") else None,
        }
        if status == "in_progress":
            body["estimated_completion_time"] = iso(self.estimated_at or self.finished_at)
        return body

    def detail(self, now: datetime) -> JSON:
        body = self._summary(now)
        body["logs"] = self.logs_at(now)
        status = body["status"]
        if status == "completed":
            body["changes"] = dict(self.changes)
        elif status == "failed":
            body["changes"] = {"added": 0, "modified": 0, "deleted": 0}
        else:
            body["changes"] = None
        return overlay(body, self.overrides)


@dataclass
class RestoreRecord:
    id: str
    backup_id: str
    site_id: str
    environment: str
    created_at: datetime
    finished_at: datetime
    contents: dict[str, bool]

    def status_at(self, now: datetime) -> str:
        return "in_progress" if now < self.finished_at else "completed"

    def to_json(self, now: datetime) -> JSON:
        status = self.status_at(now)
        return {
            "id": self.id,
            "backup_id": self.backup_id,
            "site_id": self.site_id,
            "environment": self.environment,
            "status": status,
            "created_at": iso(self.created_at),
            "estimated_completion_time": iso(self.finished_at),
            "completed_at": iso(self.finished_at) if status == "completed" else None,
            "contents": dict(self.contents),
        }


@dataclass
class SiteRecord:
    index: int
    id: str
    name: str
    url: str
    environment: str
    created_at: datetime
    updated_at: datetime
    status: str  # "active" or "inactive", once provisioning is over
    php_version: str
    wordpress_version: str
    disk_used: float
    disk_total: float
    bandwidth: float
    environments: list[tuple[str, str]]  # (name, url), production first
    provisioned_at: datetime | None = None  # "provisioning" until then
    gone_at: datetime | None = None  # "deleting" until then, 404 afterwards
    backups: dict[str, BackupRecord] | None = None  # generated on first use
    deployments: dict[str, DeploymentRecord] | None = None  # generated on first use
    restores: dict[str, RestoreRecord] = field(default_factory=dict)
    next_backup_seq: int = 1
    next_deployment_seq: int = 1
    overrides: JSON = field(default_factory=dict)  # laid over every answer (see `overlay`)

    def status_at(self, now: datetime) -> str:
        if self.gone_at is not None:
            return "gone" if now >= self.gone_at else "deleting"
        if self.provisioned_at is not None and now < self.provisioned_at:
            return "provisioning"
        return self.status

    def environment_names(self) -> list[str]:
        return [name for name, _ in self.environments]

    def summary(self, now: datetime) -> JSON:
        body: JSON = {
            "id": self.id,
            "name": self.name,
            "environment": self.environment,
            "created_at": iso(self.created_at),
            "url": self.url,
            "status": self.status_at(now),
        }
        return overlay(body, self.overrides)

    def detail(self, now: datetime) -> JSON:
        body: JSON = {
            "id": self.id,
            "name": self.name,
            "environment": self.environment,
            "created_at": iso(self.created_at),
            "updated_at": iso(self.updated_at),
            "url": self.url,
            "status": self.status_at(now),
            "php_version": self.php_version,
            "wordpress_version": self.wordpress_version,
            "disk_usage": {"used": self.disk_used, "total": _number(self.disk_total), "unit": "GB"},
            "bandwidth": {"current_month": self.bandwidth, "unit": "GB"},
            "environments": [{"name": name, "url": url} for name, url in self.environments],
        }
        return overlay(body, self.overrides)

    def update_view(self, now: datetime) -> JSON:
        """The shape of the PUT answer in the spec."""
        body: JSON = {
            "id": self.id,
            "name": self.name,
            "environment": self.environment,
            "created_at": iso(self.created_at),
            "updated_at": iso(self.updated_at),
            "url": self.url,
            "status": self.status_at(now),
            "php_version": self.php_version,
            "wordpress_version": self.wordpress_version,
        }
        return overlay(body, self.overrides)


def _number(value: float) -> float | int:
    # Whole quotas print as the spec does ("total": 10), not 10.0.
    return int(value) if value.is_integer() else value
