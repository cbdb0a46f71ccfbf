"""The error hierarchy of the API client.

Every error carries the HTTP status (None when no response came back) and the
server's message. None of them ever holds the API key: messages are built
from the server's body and the request's method and path only.
"""

from __future__ import annotations


class ApiError(Exception):
    """Base of every error the client raises."""

    def __init__(self, message: str, *, status: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.status = status

    def __str__(self) -> str:
        return self.message

    def __repr__(self) -> str:
        return f"{type(self).__name__}(status={self.status!r}, message={self.message!r})"


class AuthError(ApiError):
    """401 or 403: the key is missing, wrong, expired or lacks the right."""


class NotFoundError(ApiError):
    """404: the site, backup or deployment does not exist (any more)."""


class ConflictError(ApiError):
    """409: the request clashes with the item's state (e.g. restoring an unfinished backup)."""


class ValidationError(ApiError):
    """400 or 422, or a request the client refused before sending it.

    `fields` maps a field name (dotted for nested ones, e.g. "source.branch")
    to its messages, so a form can show each next to its input.
    """

    def __init__(
        self,
        message: str,
        *,
        status: int | None = None,
        fields: dict[str, list[str]] | None = None,
    ) -> None:
        super().__init__(message, status=status)
        self.fields: dict[str, list[str]] = fields or {}


class RateLimitError(ApiError):
    """429: too many requests; `retry_after` is in seconds when the server said."""

    def __init__(
        self, message: str, *, status: int | None = 429, retry_after: float | None = None
    ) -> None:
        super().__init__(message, status=status)
        self.retry_after = retry_after


class ServerError(ApiError):
    """5xx: the server failed."""


class NetworkError(ApiError):
    """No usable response: connection refused or dropped, DNS failure, timeout."""


class OutcomeUnknownError(ApiError):
    """A write was sent and no answer says whether it was done: a read timeout, a
    connection dropped after the body went, or a gateway's 502, 503 or 504 while the work
    may go on behind it. Never "nothing changed": the caller checks before resending."""


class DecodeError(ApiError):
    """The response was not JSON, or not of the shape the spec describes."""


class InsecureUrlError(ApiError):
    """Refused to send the key over plain http to a host that is not loopback."""


class UnsupportedError(ApiError):
    """A call this API cannot serve (its capabilities say so). The screens check the
    capability first, so this reaching the user is a bug in the app."""

    def __init__(self, api: str, what: str) -> None:
        super().__init__(f"The {api} cannot {what}")
