"""What the fake Hosting Platform API refuses, and how (the Swagger file's statuses only:
none of these operations declares a 409, so a request the state forbids is a 400)."""

from __future__ import annotations

from datetime import datetime

from wpe_tui.fake.platform.records import (
    BackupRecord,
    BadRequest,
    InstallRecord,
    PlatformError,
    field_error,
)

OBJECT_PURGE_SECONDS = 60.0


def refuse_pending(install: InstallRecord, now: datetime, resource: str) -> None:
    if install.status_at(now) == "pending":
        message = f"Install {install.name} is still being set up"
        raise BadRequest([field_error(resource, "install_id", message, "install_pending")], message)


def refuse_unfinished(backup: BackupRecord, now: datetime) -> None:
    status = backup.status_at(now)
    if status != "completed":
        message = f"Backup {backup.id} is {status}; only a completed backup can be restored"
        raise BadRequest([field_error("Backup", "backup_id", message, "not_completed")], message)


def refuse_too_soon(install: InstallRecord, kind: str, now: datetime) -> None:
    # "all" clears the object cache too, so it counts against the object cache's limit.
    last = install.last_object_purge
    too_soon = last is not None and (now - last).total_seconds() < OBJECT_PURGE_SECONDS
    if kind in ("object", "all") and too_soon:
        raise PlatformError(
            429,
            "Object cache purges are rate-limited to one request every 60 seconds for each install",
        )


def refuse_copy(source: InstallRecord, destination: InstallRecord, now: datetime) -> None:
    problems = []
    if source.id == destination.id:
        problems.append(
            field_error(
                "InstallCopy",
                "destination_environment_id",
                "The destination must be another install than the source",
                "same_install",
            )
        )
    elif source.account_id != destination.account_id:
        problems.append(
            field_error(
                "InstallCopy",
                "destination_environment_id",
                "The source and the destination must be on the same account",
                "other_account",
            )
        )
    for name, install in (
        ("source_environment_id", source),
        ("destination_environment_id", destination),
    ):
        if install.status_at(now) == "pending":
            problems.append(
                field_error(
                    "InstallCopy", name, f"Install {install.name} is still being set up", "pending"
                )
            )
    if problems:
        raise BadRequest(problems, problems[0]["message"])
