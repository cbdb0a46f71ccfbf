"""Records of the fake Hosting Platform API and their JSON shapes (as in the Swagger file).

Statuses are computed from timestamps when read, so nothing needs a background task:
a new backup is ``requested`` until ``started_at``, ``in_progress`` until
``finished_at`` and then ``completed`` (or ``aborted``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from wpe_tui.fake.records import overlay

JSON = dict[str, Any]


def iso(dt: datetime) -> str:
    """Like the Swagger examples: ``2025-07-10T09:59:58.684Z`` (milliseconds, UTC)."""
    return dt.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"


class PlatformError(Exception):
    """An error answer: HTTP status and the Swagger body ``{message[, errors]}``."""

    def __init__(
        self, status: int, message: str, errors: list[JSON] | None = None, **headers: str
    ) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.errors = errors
        self.headers = headers

    def body(self) -> JSON:
        body: JSON = {"message": self.message}
        if self.errors is not None:
            body["errors"] = self.errors
        return body


class NotFound(PlatformError):
    def __init__(self, message: str) -> None:
        super().__init__(404, message)


def field_error(resource: str, name: str, message: str, code: str = "invalid") -> JSON:
    """One ResourceError of a 400 answer."""
    return {
        "resource": resource,
        "field": name,
        "type": "invalid_value",
        "code": code,
        "message": message,
    }


class BadRequest(PlatformError):
    def __init__(self, errors: list[JSON], message: str | None = None) -> None:
        fields = ", ".join(sorted({str(e["field"]) for e in errors}))
        super().__init__(400, message or f"Invalid request: {fields}", errors)


@dataclass
class BackupRecord:
    id: str
    install_id: str
    description: str | None
    created_at: datetime
    started_at: datetime  # "requested" until then
    finished_at: datetime | None  # "in_progress" until then; None: stuck for good
    outcome: str  # "completed" or "aborted", once finished
    wordpress_version: str | None
    overrides: JSON = field(default_factory=dict)  # laid over every answer (see `overlay`)

    def status_at(self, now: datetime) -> str:
        if now < self.started_at:
            return "requested"
        if self.finished_at is None or now < self.finished_at:
            return "in_progress"
        return self.outcome

    def to_json(self, now: datetime) -> JSON:
        status = self.status_at(now)
        done = status in ("completed", "aborted")
        body: JSON = {
            "id": self.id,
            "status": status,
            "description": self.description,
            "create_time": iso(self.created_at),
            "complete_time": iso(self.finished_at) if done and self.finished_at else None,
            "wordpress_version": self.wordpress_version,
        }
        return overlay(body, self.overrides)


@dataclass
class DomainRecord:
    id: str
    name: str
    primary: bool
    duplicate: bool
    secure_all_urls: bool
    network_type: str
    network_status: str
    ssl_status: str
    redirects_to: list[tuple[str, str]]  # (id, name)
    verified_at: datetime | None  # None: TXT verification pending
    verification_value: str
    overrides: JSON = field(default_factory=dict)

    def to_json(self) -> JSON:
        verified = self.verified_at is not None
        body: JSON = {
            "id": self.id,
            "name": self.name,
            "duplicate": self.duplicate,
            "primary": self.primary,
            "secure_all_urls": self.secure_all_urls,
            "network_type": self.network_type,
            "network_details": {
                "dns_config_info": {
                    "cname": "wp.wpenginepowered.com",
                    "a_records": ["141.193.213.10", "141.193.213.11"],
                },
                "network_info": {"status": self.network_status, "ssl": {"status": self.ssl_status}},
            },
            "redirects_to": [{"id": rid, "name": name} for rid, name in self.redirects_to],
            "txt_verified_time": iso(self.verified_at) if self.verified_at else None,
            "txt_verified_domain": self.name,
            "txt_verification_key": None if verified else "_wpe_verification",
            "txt_verification_value": None if verified else self.verification_value,
            "ownership_status": "TXT_VERIFIED" if verified else "TXT_VERIFICATION_PENDING",
        }
        return overlay(body, self.overrides)


@dataclass
class InstallRecord:
    code: int  # owner * 4 + slot (slot 3: an install that belongs to no site)
    id: str
    name: str
    account_id: str
    site_id: str | None
    environment: str | None  # None on legacy installs
    cname: str
    primary_domain: str | None
    php_version: str | None
    wp_version: str | None
    is_multisite: bool | None
    stable_ips: list[str] | None
    created_at: datetime
    active_at: datetime | None  # "pending" until then; None: pending for good
    backups: dict[str, BackupRecord] | None = None  # generated on first use, oldest first
    next_backup_seq: int = 1
    domains: list[DomainRecord] | None = None  # generated on first use
    last_object_purge: datetime | None = None
    overrides: JSON = field(default_factory=dict)

    def status_at(self, now: datetime) -> str:
        return "active" if self.active_at is not None and now >= self.active_at else "pending"

    def summary(self) -> JSON:
        """The install as a site's ``installs[]`` lists it."""
        return {
            "id": self.id,
            "name": self.name,
            "environment": self.environment,
            "cname": self.cname,
            "php_version": self.php_version,
            "is_multisite": self.is_multisite,
        }

    def to_json(self, now: datetime, *, single: bool = False) -> JSON:
        body: JSON = {
            "id": self.id,
            "name": self.name,
            "account": {"id": self.account_id},
            "php_version": self.php_version,
            "status": self.status_at(now),
            "site": {"id": self.site_id} if self.site_id else None,
            "cname": self.cname,
            "stable_ips": self.stable_ips,
            "environment": self.environment,
            "primary_domain": self.primary_domain,
            "is_multisite": self.is_multisite,
            "created_at": iso(self.created_at),
        }
        if single:  # only GET /installs/{id} has these
            body["wp_version"] = self.wp_version
            body["defer_wordpress_upgrades_until"] = None
        return overlay(body, self.overrides)


@dataclass
class SiteRecord:
    index: int
    id: str
    name: str
    account_id: str
    created_at: datetime
    group_name: str | None
    tags: list[str]
    sandbox: bool
    transferable: bool
    install_codes: list[int]
    overrides: JSON = field(default_factory=dict)


@dataclass(frozen=True)
class RestoreRecord:
    """A restore the fake accepted (202, no body): kept for tests and the demo."""

    install_id: str
    backup_id: str
    notification_emails: tuple[str, ...]
    restore_database: bool
    create_checkpoint: bool
    at: datetime


@dataclass(frozen=True)
class CopyRecord:
    source_install_id: str
    destination_install_id: str
    notification_emails: tuple[str, ...]
    include_files: bool
    include_db: bool
    at: datetime


@dataclass(frozen=True)
class PurgeRecord:
    install_id: str
    type: str
    at: datetime
