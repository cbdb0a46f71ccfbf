"""Pydantic models of every response in the spec.

Field names are the spec's JSON keys. The models are tolerant of drift in a
real API: unknown fields are ignored, optional fields may be missing or null,
status strings the spec does not name are kept as they are, and naive
timestamps are taken as UTC. A number where a timestamp belongs is refused, never
read as seconds since 1970.

A list page is read item by item (`Page`, `read_items`): an item that does not fit
its model becomes an instance of that model marked unreadable (`unreadable` holds
one sentence saying why, `status` is "unreadable", and whatever else could be read
is kept), and the rest of the page shows. Anything else that does not fit (a page's
envelope, a single item's answer) becomes a `DecodeError` in the client, never a
crash further up.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Annotated, Any, Generic, TypeVar

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic import ValidationError as PydanticValidationError
from pydantic_core import ErrorDetails, PydanticCustomError

from wpe_tui.text import clean

# The status of an item that could not be read (see `read_item`): final, since
# asking again would only read the same thing.
UNREADABLE = "unreadable"

# Statuses known to be final: an item in any other status (including ones this
# client has never heard of) is treated as in flight and refreshed live.
FINAL_STATUSES = frozenset(
    {
        UNREADABLE,
        "active",
        "inactive",
        "completed",
        "failed",
        "aborted",
        "cancelled",
        "canceled",
        "deleted",
        "suspended",
    }
)
SITE_STATUSES = ("active", "inactive", "provisioning", "deleting")
BACKUP_STATUSES = ("completed", "in_progress", "failed", "deleting")
DEPLOYMENT_STATUSES = ("completed", "in_progress", "failed")
CONTENT_FLAGS = ("database", "files", "plugins", "themes")


def is_final(status: str | None) -> bool:
    """Whether an item in this status will not change on its own."""
    return status is not None and status.lower() in FINAL_STATUSES


def none_to_empty_list(value: Any) -> Any:
    return [] if value is None else value


def none_to_empty_dict(value: Any) -> Any:
    return {} if value is None else value


def _none_to_empty_str(value: Any) -> Any:
    return "" if value is None else value


Text = Annotated[str, BeforeValidator(_none_to_empty_str)]

_BARE_NUMBER = re.compile(r"\s*[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?\s*")


def _date_text(value: Any) -> Any:
    """A timestamp is text (ISO 8601): a number, or text that is only a number, would be
    read by pydantic as seconds since 1970, a date that is wrong rather than refused."""
    if value is None or isinstance(value, datetime):
        return value
    if isinstance(value, str) and not _BARE_NUMBER.fullmatch(value):
        return value
    raise PydanticCustomError("not_a_date", "not a date")


# Every timestamp of the app's models (and of the Hosting Platform API's rows).
When = Annotated[datetime | None, BeforeValidator(_date_text)]


class WpeModel(BaseModel):
    model_config = ConfigDict(
        extra="ignore", coerce_numbers_to_str=True, frozen=True, defer_build=True
    )

    @field_validator("*", mode="after")
    @classmethod
    def _aware(cls, value: Any) -> Any:
        # Timestamps without an offset are read as UTC so that every datetime is aware.
        if isinstance(value, datetime) and value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value


def _none_to_zero(value: Any) -> Any:
    return 0 if value is None else value


Count = Annotated[int, BeforeValidator(_none_to_zero)]


class Pagination(WpeModel):
    total: Count = 0
    count: Count = 0
    per_page: Count = 0
    current_page: Count = 1
    total_pages: Count = 0


T = TypeVar("T", bound=BaseModel)
M = TypeVar("M", bound=BaseModel)

# What a list call tells its page (`model_validate(..., context=...)`): the start of the
# IDs given to unreadable items without one, and where on the list the page begins.
PLACEHOLDER = "unreadable_placeholder"
START = "unreadable_start"
MAX_REASON = 120
_PROBLEMS = (
    ("missing", "missing"),
    ("not_a_date", "not a date"),
    ("datetime", "not a date"),
    ("date", "not a date"),
    ("string", "not text"),
    ("int", "not a number"),
    ("float", "not a number"),
    ("decimal", "not a number"),
    ("bool", "not true or false"),
    ("model", "not an object"),
    ("dict", "not an object"),
    ("list", "not a list"),
    ("tuple", "not a list"),
)


def _problem(error: ErrorDetails) -> str:
    """One error of pydantic's as a few words: "created_at: not a date (12)"."""
    kind = error["type"]
    words = next(
        (text for prefix, text in _PROBLEMS if kind == prefix or kind.startswith(prefix + "_")),
        error["msg"][:1].lower() + error["msg"][1:],
    )
    where = ".".join(str(part) for part in error["loc"])
    if kind != "missing":
        value = error.get("input")
        shown = value if isinstance(value, str) else json.dumps(value, default=str)
        shown = clean(shown)
        words += f" ({shown[:39] + '…' if len(shown) > 40 else shown})"
    return f"{where}: {words}" if where else words


def unreadable_reason(error: PydanticValidationError) -> str:
    """Why an item could not be read, in one short line with no control characters."""
    errors = error.errors()
    reason = _problem(errors[0])
    if len(errors) > 1:
        reason += f", and {len(errors) - 1} more"
    reason = clean(reason)
    return reason if len(reason) <= MAX_REASON else reason[: MAX_REASON - 1] + "…"


def _item_id(raw: Any) -> str | None:
    value = raw.get("id") if isinstance(raw, Mapping) else None
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, str) and value.strip():
        return value
    return None


def read_item(model: type[M], raw: Any, placeholder: str) -> M:
    """`raw` as a `model`; or, when it does not fit, a `model` marked unreadable.

    The marked one has `unreadable` (why, one short sentence), status "unreadable" (a
    final status: nothing follows it), its own ID when that is text or a number (else
    `placeholder`), and every other field that could be read. A model without an
    `unreadable` field is read as it is (a failure raises pydantic's ValidationError).
    """
    if "unreadable" not in model.model_fields or isinstance(raw, BaseModel):
        return model.model_validate(raw)  # an item built in Python is no answer to doubt
    if isinstance(raw, Mapping) and "unreadable" in raw:
        raw = {k: v for k, v in raw.items() if k != "unreadable"}  # ours to say, not theirs
    try:
        return model.model_validate(raw)
    except PydanticValidationError as error:
        return _marked(model, raw, error, placeholder)


def _marked(model: type[M], raw: Any, error: PydanticValidationError, placeholder: str) -> M:
    failed = {e["loc"][0] for e in error.errors() if e["loc"]}
    fields = raw if isinstance(raw, Mapping) else {}
    kept = {k: v for k, v in fields.items() if k not in failed}
    kept["id"] = _item_id(raw) or placeholder
    try:
        item = model.model_validate(kept)
    except PydanticValidationError:  # fields that fail only together: keep the ID alone
        item = model.model_validate({"id": kept["id"]})
    update: dict[str, Any] = {"unreadable": unreadable_reason(error)}
    if "status" in model.model_fields:
        update["status"] = UNREADABLE
    return item.model_copy(update=update)


def read_items(model: type[M], raw: Sequence[Any], prefix: str, start: int = 0) -> list[M]:
    """Each of `raw` as a `model` (see `read_item`); the n-th one (from 1, after `start`)
    that has no ID of its own is called ``<prefix>-<start + n>``."""
    return [read_item(model, item, f"{prefix}-{start + n}") for n, item in enumerate(raw, 1)]


class ItemByItem(BaseModel):
    """A list page whose `results` are read one by one (see `read_item`). Subclasses are
    generic in the item's model; a bad envelope still fails the whole page."""

    # Built on first use: building every model at import cost start-up ~60 ms.
    model_config = ConfigDict(defer_build=True)

    @classmethod
    def _default_placeholder(cls, data: Mapping[str, Any]) -> str:
        return UNREADABLE

    @model_validator(mode="before")
    @classmethod
    def _item_by_item(cls, data: Any, info: ValidationInfo) -> Any:
        args = cls.__pydantic_generic_metadata__["args"]
        if not args or not isinstance(data, Mapping) or not isinstance(data.get("results"), list):
            return data
        context = info.context if isinstance(info.context, Mapping) else {}
        prefix = context.get(PLACEHOLDER) or cls._default_placeholder(data)
        start = context.get(START, 0)
        return {**data, "results": read_items(args[0], data["results"], prefix, start)}


def _current_page(data: Mapping[str, Any]) -> int | None:
    pagination = data.get("pagination")
    page = pagination.get("current_page") if isinstance(pagination, Mapping) else None
    return page if isinstance(page, int) and not isinstance(page, bool) else None


class Page(ItemByItem, Generic[T]):
    """One page of a list endpoint: `.results` and `.pagination` as in the spec."""

    model_config = ConfigDict(extra="ignore", frozen=True, defer_build=True)

    @classmethod
    def _default_placeholder(cls, data: Mapping[str, Any]) -> str:
        return f"{UNREADABLE}-{_current_page(data) or 1}"

    results: Annotated[list[T], BeforeValidator(none_to_empty_list)] = Field(default_factory=list)
    pagination: Annotated[Pagination, BeforeValidator(none_to_empty_dict)] = Field(
        default_factory=Pagination
    )


class Environment(WpeModel):
    """One environment of a site. The Customer API gives a name and a URL; the Hosting
    Platform API calls it an install, which has an ID, a status and a PHP version."""

    name: Text = ""
    url: str | None = None
    install_id: str | None = None
    install_name: str | None = None
    status: str | None = None
    php_version: str | None = None
    cname: str | None = None
    primary_domain: str | None = None

    @property
    def label(self) -> str:
        """What the user calls it: "production", or the install's name when it has no
        environment type (legacy installs)."""
        return self.name or self.install_name or self.install_id or "—"


class DiskUsage(WpeModel):
    used: float | None = None
    total: float | None = None
    unit: str | None = None
    # What `total` is: None for the site's own quota (Customer API); "account plan" when
    # it is the account's plan limit, shared by every site (Hosting Platform API).
    scope: str | None = None
    measured_at: When = None

    @property
    def percent(self) -> float | None:
        """Used as a percentage of the quota; None when either number is missing."""
        if self.used is None or self.total is None or self.total <= 0:
            return None
        return 100.0 * self.used / self.total


class Bandwidth(WpeModel):
    current_month: float | None = None
    unit: str | None = None
    # The Hosting Platform API measures the last 30 days, against the account's plan.
    period: str | None = None
    limit: float | None = None


class Site(WpeModel):
    id: str
    unreadable: str | None = None  # why this list item could not be read (see read_item)
    name: Text = ""
    environment: str | None = None
    created_at: When = None
    updated_at: When = None
    url: str | None = None
    status: str | None = None
    php_version: str | None = None
    wordpress_version: str | None = None
    disk_usage: DiskUsage | None = None
    bandwidth: Bandwidth | None = None
    environments: Annotated[list[Environment], BeforeValidator(none_to_empty_list)] = Field(
        default_factory=list
    )
    estimated_completion_time: When = None
    # The Hosting Platform API: the account the site belongs to, and the domains and cnames
    # of its installs (what `/` matches besides the name).
    account_id: str | None = None
    account_name: str | None = None
    domains: Annotated[list[str], BeforeValidator(none_to_empty_list)] = Field(default_factory=list)
    # Parts of the site's detail that could not be read this time ("disk usage": the
    # error), shown as unknown and told; the next read asks again.
    not_read: dict[str, str] = Field(default_factory=dict)


class Deletion(WpeModel):
    """What DELETE answers for a site or a backup."""

    id: str
    status: str | None = None
    estimated_completion_time: When = None


def _none_to_true(value: Any) -> Any:
    return True if value is None else value


# A content flag the server left null reads as a missing one: the default, everything.
Flag = Annotated[bool, BeforeValidator(_none_to_true)]


class BackupContents(WpeModel):
    database: Flag = True
    files: Flag = True
    plugins: Flag = True
    themes: Flag = True

    @classmethod
    def from_mapping(cls, flags: Mapping[str, bool]) -> BackupContents:
        unknown = set(flags) - set(CONTENT_FLAGS)
        if unknown:
            raise ValueError(f"unknown content flags: {', '.join(sorted(unknown))}")
        return cls(**{k: bool(v) for k, v in flags.items()})

    def selected(self) -> list[str]:
        return [name for name in CONTENT_FLAGS if getattr(self, name)]


_SIZE = re.compile(r"^\s*(\d{1,15}(?:\.\d+)?)\s*(?:([KMGTP])i?)?(?:B|bytes?)?\s*$", re.IGNORECASE)


def parse_size(text: str | None) -> int | None:
    """Bytes in a size such as "1.2GB", "850MB" or "512 KiB"; None if it is not a size."""
    match = _SIZE.match(text) if text else None
    if match is None:
        return None
    number, prefix = match.groups()
    power = "KMGTP".index(prefix.upper()) + 1 if prefix else 0
    return int(float(number) * 1024**power)


class Backup(WpeModel):
    id: str
    unreadable: str | None = None  # why this list item could not be read (see read_item)
    site_id: str | None = None
    description: Text = ""
    type: str | None = None
    status: str | None = None
    created_at: When = None
    completed_at: When = None
    size: str | None = None
    download_url: str | None = None
    contents: BackupContents | None = None
    estimated_completion_time: When = None
    # The Hosting Platform API keeps backups per install (environment).
    environment: str | None = None
    install_id: str | None = None

    @property
    def size_bytes(self) -> int | None:
        return parse_size(self.size)


class Restore(WpeModel):
    id: str
    backup_id: str | None = None
    site_id: str | None = None
    environment: str | None = None
    status: str | None = None
    created_at: When = None
    estimated_completion_time: When = None
    contents: BackupContents | None = None


class Account(WpeModel):
    """An account the credentials can see (Hosting Platform API)."""

    id: str
    unreadable: str | None = None  # why this list item could not be read (see read_item)
    name: Text = ""
    nickname: str | None = None

    @property
    def shown_name(self) -> str:
        """The name people know it by: its nickname ("Harbor Light Agency"), else its
        unique name ("harborlightagency"), else its ID."""
        return self.nickname or self.name or self.id


class Install(WpeModel):
    """One WordPress install: an environment of a site (Hosting Platform API)."""

    id: str
    unreadable: str | None = None  # why this list item could not be read (see read_item)
    name: Text = ""
    environment: str | None = None  # production, staging, development; None on legacy ones
    site_id: str | None = None
    site_name: str | None = None
    account_id: str | None = None
    status: str | None = None  # active, pending
    php_version: str | None = None
    wp_version: str | None = None
    cname: str | None = None
    primary_domain: str | None = None
    is_multisite: bool | None = None
    created_at: When = None


class Domain(WpeModel):
    """A domain of an install (Hosting Platform API)."""

    id: str
    unreadable: str | None = None  # why this list item could not be read (see read_item)
    name: Text = ""
    install_id: str | None = None
    environment: str | None = None
    primary: bool | None = None
    duplicate: bool | None = None
    redirects_to: Annotated[list[str], BeforeValidator(none_to_empty_list)] = Field(
        default_factory=list
    )
    network_type: str | None = None
    network_status: str | None = None
    ssl_status: str | None = None
    status: str | None = None  # TXT_VERIFIED, TXT_VERIFICATION_PENDING


_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
_HOST = rf"{_LABEL}(?:\.{_LABEL})+"
_PATH = r"[A-Za-z0-9_.~-]+(?:/[A-Za-z0-9_.~-]+)+"
# host/owner/repo, an https URL, or an ssh one (git@host:owner/repo or ssh://…); nothing
# a shell or a local file could make of it (`$(…)`, `file:///etc/passwd`).
_REPOSITORY = re.compile(
    rf"(?:https://{_HOST}(?::\d{{1,5}})?/{_PATH}/?"
    rf"|ssh://(?:[A-Za-z0-9_.-]+@)?{_HOST}(?::\d{{1,5}})?/{_PATH}"
    rf"|[A-Za-z0-9_.-]+@{_HOST}:{_PATH}"
    rf"|{_HOST}/{_PATH})"
)
_ZIP_URL = re.compile(rf"https://{_HOST}(?::\d{{1,5}})?/[^\s\x00-\x1f\x7f\\]*")


def valid_ref(name: str) -> bool:
    """Whether `name` is a branch name git would take (git check-ref-format's rules)."""
    if not name or name.startswith(("-", "/")) or name.endswith(("/", ".", ".lock")):
        return False
    if ".." in name or "//" in name or "@{" in name or name == "@":
        return False
    if any(part.startswith(".") for part in name.split("/")):
        return False
    return not re.search(r"[\x00-\x20\x7f~^:?*\[\\$`()|;&<>'\"]", name)


class DeploymentSource(WpeModel):
    type: str | None = None
    repository: str | None = None
    branch: str | None = None
    commit: str | None = None
    zip_url: str | None = None

    def describe(self) -> str:
        """ "repo@branch (a1b2c3d)" for git, the URL for a zip, "—" when unknown."""
        if self.type == "zip" or (self.type is None and self.zip_url):
            return self.zip_url or "zip"
        if self.repository or self.branch:
            text = f"{self.repository or '?'}@{self.branch or '?'}"
            return f"{text} ({self.commit[:7]})" if self.commit else text
        return self.type or "—"

    def missing_fields(self) -> dict[str, list[str]]:
        """What is missing or malformed, by field: the fields the spec requires for this
        source type, and what they must look like (checked before anything is sent)."""
        problems: dict[str, list[str]] = {}
        if self.type == "git":
            for name in ("repository", "branch"):
                if not (getattr(self, name) or "").strip():
                    problems[f"source.{name}"] = [f"{name} is required for a git deployment"]
            repository = (self.repository or "").strip()
            if repository and not _REPOSITORY.fullmatch(repository):
                problems["source.repository"] = [
                    "looks like github.com/owner/repo, https://… or git@host:owner/repo"
                ]
            branch = (self.branch or "").strip()
            if branch and not valid_ref(branch):
                problems["source.branch"] = ["not a valid branch name"]
            commit = (self.commit or "").strip()
            if commit and not re.fullmatch(r"[0-9a-fA-F]{7,40}", commit):
                problems["source.commit"] = ["a commit is 7 to 40 hexadecimal characters"]
        elif self.type == "zip":
            url = (self.zip_url or "").strip()
            if not url:
                problems["source.zip_url"] = ["zip_url is required for a zip deployment"]
            elif not _ZIP_URL.fullmatch(url):
                problems["source.zip_url"] = ["the zip's URL must be https://host/…"]
        else:
            problems["source.type"] = ["source type must be git or zip"]
        return problems


class DeploymentChanges(WpeModel):
    added: int | None = None
    modified: int | None = None
    deleted: int | None = None


class Deployment(WpeModel):
    id: str
    unreadable: str | None = None  # why this list item could not be read (see read_item)
    site_id: str | None = None
    environment: str | None = None
    source: DeploymentSource | None = None
    status: str | None = None
    created_at: When = None
    completed_at: When = None
    logs: str | None = None
    changes: DeploymentChanges | None = None
    estimated_completion_time: When = None

    @property
    def duration(self) -> timedelta | None:
        if self.created_at is None or self.completed_at is None:
            return None
        return self.completed_at - self.created_at


@dataclass(frozen=True)
class StatusScan:
    """One step of learning the statuses a site list does not carry (the Hosting
    Platform API's: its sites have none, their installs do, read a page at a time)."""

    rows: list[Site]  # the listed sites this step told about, as their rows are now
    read: int  # installs read so far
    total: int | None  # installs there are, once an answer said
    done: bool  # every listed site's status is known
