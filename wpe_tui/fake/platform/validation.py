"""Strict checks of query parameters and JSON bodies, as the Swagger file describes them.

Every problem of a request is collected and answered at once as a 400 with the
Swagger error body ``{message, errors: [{resource, field, type, code, message}]}``;
an unknown query parameter is a problem too, so a client cannot rely on one the real
API would silently ignore.
"""

from __future__ import annotations

import json
import re
from datetime import date, timedelta
from typing import Any

from starlette.datastructures import QueryParams

from wpe_tui.fake.platform.records import JSON, BadRequest, PlatformError, field_error

MAX_LIMIT = 100
_INTEGER = re.compile(r"\d{1,9}")
_UUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")
_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
PURGE_TYPES = ("object", "page", "cdn", "all")

Problems = list[JSON]


def _single(query: QueryParams, name: str, problems: Problems) -> str | None:
    values = query.getlist(name)
    if len(values) > 1:
        problems.append(field_error("Query", name, f"{name} is given more than once", "repeated"))
    return values[0] if values else None


def _unknown(query: QueryParams, allowed: tuple[str, ...], problems: Problems) -> None:
    for name in sorted(set(query.keys()) - set(allowed)):
        problems.append(
            field_error("Query", name, f"Unknown query parameter {name!r}", "unknown_parameter")
        )


def page_params(query: QueryParams, *, account_filter: bool = False) -> tuple[int, int, str | None]:
    """(limit, offset, account_id) of a list endpoint."""
    problems: Problems = []
    allowed = ("limit", "offset", "account_id") if account_filter else ("limit", "offset")
    _unknown(query, allowed, problems)
    limit, offset = MAX_LIMIT, 0
    raw = _single(query, "limit", problems)
    if raw is not None:
        if not _INTEGER.fullmatch(raw) or int(raw) > MAX_LIMIT:
            problems.append(
                field_error("Query", "limit", f"limit must be an integer from 0 to {MAX_LIMIT}")
            )
        else:
            limit = int(raw)
    raw = _single(query, "offset", problems)
    if raw is not None:
        if not _INTEGER.fullmatch(raw):
            problems.append(field_error("Query", "offset", "offset must be an integer, 0 or more"))
        else:
            offset = int(raw)
    account_id = _single(query, "account_id", problems) if account_filter else None
    if account_id is not None and not _UUID.fullmatch(account_id):
        problems.append(field_error("Query", "account_id", "account_id must be a UUID"))
    if problems:
        raise BadRequest(problems)
    return limit, offset, account_id


def no_params(query: QueryParams) -> None:
    problems: Problems = []
    _unknown(query, (), problems)
    if problems:
        raise BadRequest(problems)


def usage_dates(query: QueryParams, today: date) -> tuple[date | None, date | None]:
    """first_date and last_date; the usage endpoints answer a 400 with a message only."""
    problems: Problems = []
    _unknown(query, ("first_date", "last_date"), problems)
    if problems:
        raise PlatformError(400, problems[0]["message"])
    raw_first, raw_last = query.get("first_date"), query.get("last_date")
    if (raw_first is None) != (raw_last is None):
        raise PlatformError(400, "Must provide or omit both first_date and last_date.")
    if raw_first is None or raw_last is None:
        return None, None
    try:
        if not (_DATE.fullmatch(raw_first) and _DATE.fullmatch(raw_last)):
            raise ValueError
        first, last = date.fromisoformat(raw_first), date.fromisoformat(raw_last)
    except ValueError:
        raise PlatformError(400, "first_date and last_date must be dates as YYYY-mm-dd.") from None
    if first > last:
        raise PlatformError(400, "first_date must not be after last_date.")
    if first < today - timedelta(days=396):
        raise PlatformError(400, "first_date cannot be older than 13 months.")
    return first, last


def uuid_or_404(value: str, what: str) -> str:
    if not _UUID.fullmatch(value):
        raise PlatformError(404, f"{what} {value} not found")
    return value


def json_object(body: bytes, resource: str) -> JSON:
    try:
        parsed: Any = json.loads(body) if body.strip() else None
    except (ValueError, UnicodeDecodeError):
        parsed = None
    if not isinstance(parsed, dict):
        message = "The request body must be a JSON object"
        raise BadRequest([field_error(resource, "body", message, "not_json")], message)
    return parsed


_EMAILS = "notification_emails"


def _emails(body: JSON, resource: str, problems: Problems, *, required: bool) -> list[str] | None:
    if "notification_emails" not in body:
        if required:
            problems.append(
                field_error(
                    resource, "notification_emails", "notification_emails is required", "missing"
                )
            )
        return None
    value = body["notification_emails"]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        problems.append(
            field_error(
                resource, "notification_emails", "notification_emails must be a list of strings"
            )
        )
        return None
    if required and not value:
        problems.append(field_error(resource, _EMAILS, "Give at least one email address", "blank"))
    for address in value:
        if not _EMAIL.fullmatch(address):
            problems.append(field_error(resource, _EMAILS, f"{address!r} is not an email address"))
    return list(value)


def _flag(body: JSON, name: str, resource: str, problems: Problems, default: bool = True) -> bool:
    value = body.get(name, default)
    if not isinstance(value, bool):
        problems.append(field_error(resource, name, f"{name} must be true or false"))
        return default
    return value


def _raise(problems: Problems) -> None:
    if problems:
        raise BadRequest(problems, problems[0]["message"])


def backup_create(body: JSON) -> tuple[str, list[str]]:
    problems: Problems = []
    description = body.get("description")
    if "description" not in body:
        problems.append(field_error("Backup", "description", "description is required", "missing"))
    elif not isinstance(description, str) or not description.strip():
        problems.append(field_error("Backup", "description", "description can't be blank", "blank"))
    emails = _emails(body, "Backup", problems, required=True)
    _raise(problems)
    assert isinstance(description, str) and emails is not None
    return description, emails


def restore_request(body: JSON) -> dict[str, Any]:
    problems: Problems = []
    emails = _emails(body, "Restore", problems, required=True)
    values = {
        "notification_emails": emails,
        "restore_database": _flag(body, "restore_database", "Restore", problems),
        "create_checkpoint": _flag(body, "create_checkpoint", "Restore", problems),
    }
    _raise(problems)
    return values


def purge_request(body: JSON) -> str:
    kind = body.get("type")
    if kind not in PURGE_TYPES:
        message = f"type must be one of {', '.join(PURGE_TYPES)}"
        code = "missing" if "type" not in body else "invalid"
        raise BadRequest([field_error("Cache", "type", message, code)], message)
    assert isinstance(kind, str)
    return kind


def copy_request(body: JSON) -> dict[str, Any]:
    problems: Problems = []
    copy = "InstallCopy"
    ids: dict[str, str] = {}
    for name in ("source_environment_id", "destination_environment_id"):
        value = body.get(name)
        if not isinstance(value, str) or not _UUID.fullmatch(value):
            message = f"{name} is required" if value is None else f"{name} must be a UUID"
            problems.append(field_error(copy, name, message))
        else:
            ids[name] = value
    emails = _emails(body, copy, problems, required=False)
    options = body.get("custom_options", {})
    if not isinstance(options, dict):
        problems.append(field_error(copy, "custom_options", "custom_options must be an object"))
        options = {}
    files = _flag(options, "include_files", copy, problems)
    database = _flag(options, "include_db", copy, problems)
    tables = options.get("db_tables")
    if tables is not None:
        if not isinstance(tables, list) or not all(isinstance(t, str) for t in tables):
            problems.append(field_error(copy, "db_tables", "db_tables must be a list of strings"))
        elif not database:
            problems.append(
                field_error(
                    "InstallCopy", "db_tables", "Cannot specify tables if include_db is false"
                )
            )
    if not files and not database:
        problems.append(
            field_error(
                "InstallCopy", "custom_options", "Copy the files, the database or both", "nothing"
            )
        )
    _raise(problems)
    return {
        "source": ids["source_environment_id"],
        "destination": ids["destination_environment_id"],
        "notification_emails": emails or [],
        "include_files": files,
        "include_db": database,
    }
