"""Strict validation of query parameters and JSON bodies, as the spec describes them.

Every problem is collected into ``{"field": ["message", ...]}`` and raised at once as a
400, so a client can show all of them together. ``null`` for an optional field means
"not given"; unknown fields are ignored.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

from wpe_tui.fake.account import ListParams
from wpe_tui.fake.generate import ENVIRONMENT_NAMES, PHP_VERSIONS
from wpe_tui.fake.records import CONTENT_KEYS, ApiError, ValidationFailed

SITE_SORTS = ("name", "created_at", "status")
CHILD_SORTS = ("created_at", "status")
SITE_STATUSES = ("active", "inactive")
BACKUP_TYPES = ("full", "database")
SOURCE_TYPES = ("git", "zip")
_WORDPRESS_VERSION = re.compile(r"\d+\.\d+(\.\d+)?")

Errors = dict[str, list[str]]


def _add(errors: Errors, field: str, message: str) -> None:
    errors.setdefault(field, []).append(message)


def _int_param(query: Mapping[str, str], name: str, default: int, errors: Errors) -> int:
    raw = query.get(name)
    if raw is None:
        return default
    if not re.fullmatch(r"[+-]?\d{1,9}", raw.strip()):
        _add(errors, name, "must be an integer")
        return default
    return int(raw)


def parse_list_params(
    query: Mapping[str, str], sorts: tuple[str, ...], default_order: str
) -> ListParams:
    errors: Errors = {}
    page = _int_param(query, "page", 1, errors)
    if page < 1:
        _add(errors, "page", "must be 1 or more")
    per_page = _int_param(query, "per_page", 10, errors)
    if not 1 <= per_page <= 100:
        _add(errors, "per_page", "must be between 1 and 100")
    sort = query.get("sort", "created_at")
    if sort not in sorts:
        _add(errors, "sort", f"must be one of: {', '.join(sorts)}")
    order = query.get("order", default_order)
    if order not in ("asc", "desc"):
        _add(errors, "order", "must be asc or desc")
    status = query.get("status")
    if status == "":
        status = None  # "?status=" means no filter
    if errors:
        raise ValidationFailed(errors)
    return ListParams(page=page, per_page=per_page, sort=sort, order=order, status=status)


def parse_json_object(raw: bytes) -> dict[str, Any]:
    """The request body as a JSON object; an empty body counts as ``{}``."""
    if not raw.strip():
        return {}
    try:
        value = json.loads(raw)
    except ValueError as exc:
        raise ApiError(400, "invalid_json", f"Request body is not valid JSON: {exc}") from exc
    if not isinstance(value, dict):
        raise ValidationFailed({"body": ["must be a JSON object"]})
    return value


def _optional_str(
    body: Mapping[str, Any], field: str, errors: Errors, *, choices: tuple[str, ...] = ()
) -> str | None:
    value = body.get(field)
    if value is None:
        return None
    if not isinstance(value, str):
        _add(errors, field, "must be a string")
        return None
    if choices and value not in choices:
        _add(errors, field, f"must be one of: {', '.join(choices)}")
        return None
    return value


def _name(body: Mapping[str, Any], errors: Errors, *, required: bool) -> str | None:
    value = body.get("name")
    if value is None:
        if required:
            _add(errors, "name", "is required")
        return None
    if not isinstance(value, str):
        _add(errors, "name", "must be a string")
        return None
    if not value.strip():
        _add(errors, "name", "must not be empty")
        return None
    if len(value) > 200:
        _add(errors, "name", "must be at most 200 characters")
        return None
    return value.strip()


def _wordpress_version(body: Mapping[str, Any], errors: Errors) -> str | None:
    value = _optional_str(body, "wordpress_version", errors)
    if value is not None and not _WORDPRESS_VERSION.fullmatch(value):
        _add(errors, "wordpress_version", "must look like 6.4 or 6.4.3")
        return None
    return value


def site_create(body: Mapping[str, Any]) -> dict[str, Any]:
    errors: Errors = {}
    values = {
        "name": _name(body, errors, required=True),
        "environment": _optional_str(body, "environment", errors, choices=ENVIRONMENT_NAMES)
        or "production",
        "php_version": _optional_str(body, "php_version", errors, choices=PHP_VERSIONS),
        "wordpress_version": _wordpress_version(body, errors),
        "template": _optional_str(body, "template", errors),
    }
    if errors:
        raise ValidationFailed(errors)
    return values


def site_update(body: Mapping[str, Any]) -> dict[str, Any]:
    errors: Errors = {}
    values = {
        "name": _name(body, errors, required=False),
        "php_version": _optional_str(body, "php_version", errors, choices=PHP_VERSIONS),
        "wordpress_version": _wordpress_version(body, errors),
        "status": _optional_str(body, "status", errors, choices=SITE_STATUSES),
    }
    if errors:
        raise ValidationFailed(errors)
    return values


def backup_create(body: Mapping[str, Any]) -> dict[str, Any]:
    errors: Errors = {}
    description = _optional_str(body, "description", errors)
    kind = _optional_str(body, "type", errors, choices=BACKUP_TYPES)
    if errors:
        raise ValidationFailed(errors)
    return {"description": description, "type": kind or "full"}


def _required_str(source: Mapping[str, Any], field: str, label: str, errors: Errors) -> str | None:
    value = source.get(field)
    if value is None:
        _add(errors, label, "is required")
        return None
    if not isinstance(value, str):
        _add(errors, label, "must be a string")
        return None
    if not value.strip():
        _add(errors, label, "must not be empty")
        return None
    return value


def deployment_create(body: Mapping[str, Any]) -> dict[str, Any]:
    errors: Errors = {}
    environment = _required_str(body, "environment", "environment", errors)
    source_in = body.get("source")
    source: dict[str, str] = {}
    if source_in is None:
        _add(errors, "source", "is required")
    elif not isinstance(source_in, dict):
        _add(errors, "source", "must be an object")
    else:
        kind = source_in.get("type")
        if kind is None:
            _add(errors, "source.type", "is required")
        elif kind not in SOURCE_TYPES:
            _add(errors, "source.type", "must be one of: git, zip")
        elif kind == "git":
            source["type"] = "git"
            for field in ("repository", "branch"):
                value = _required_str(source_in, field, f"source.{field}", errors)
                if value is not None:
                    source[field] = value
            commit = source_in.get("commit")
            if commit is not None:
                if isinstance(commit, str) and commit.strip():
                    source["commit"] = commit
                else:
                    _add(errors, "source.commit", "must be a non-empty string")
        else:
            source["type"] = "zip"
            zip_url = _required_str(source_in, "zip_url", "source.zip_url", errors)
            if zip_url is not None:
                source["zip_url"] = zip_url
    if errors:
        raise ValidationFailed(errors)
    assert environment is not None
    return {"environment": environment, "source": source}


def restore_request(body: Mapping[str, Any]) -> dict[str, Any]:
    errors: Errors = {}
    environment = _optional_str(body, "environment", errors)
    contents_in = body.get("contents")
    contents: dict[str, bool] | None = None
    if contents_in is not None:
        if not isinstance(contents_in, dict):
            _add(errors, "contents", "must be an object of booleans")
        else:
            for key, value in contents_in.items():
                if key not in CONTENT_KEYS:
                    _add(errors, "contents", f"unknown key {key!r}; use {', '.join(CONTENT_KEYS)}")
                elif not isinstance(value, bool):
                    _add(errors, "contents", f"{key} must be true or false")
            # Keys left out are not restored: the client asked for specific contents.
            contents = {key: contents_in.get(key) is True for key in CONTENT_KEYS}
    if errors:
        raise ValidationFailed(errors)
    return {"environment": environment, "contents": contents}
