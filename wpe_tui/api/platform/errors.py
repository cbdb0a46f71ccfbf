"""The Hosting Platform API's error answers as the app's `ApiError` classes.

400 and 422 carry ``{message, errors: [{resource, field, type, code, message}]}``;
401, 403, 404 and 409 ``{message}``; 429, 502 and 503 may have no JSON at all.
"""

from __future__ import annotations

import httpx

from wpe_tui.api.errors import (
    ApiError,
    AuthError,
    ConflictError,
    NotFoundError,
    RateLimitError,
    ServerError,
    ValidationError,
)
from wpe_tui.api.wire import error_body, retry_after


def error_for(label: str, response: httpx.Response) -> ApiError:
    status = response.status_code
    server_message, fields = error_body(response)
    reason = server_message or response.reason_phrase or "no message"
    message = f"{label}: {status} {reason}"
    if status == 401:
        return AuthError(
            f"{label}: 401 the API user ID or password was refused ({reason})", status=status
        )
    if status == 403:
        return AuthError(f"{label}: 403 this API user may not do that ({reason})", status=status)
    if status == 404:
        return NotFoundError(message, status=status)
    if status == 409:
        return ConflictError(message, status=status)
    if status in (400, 422):
        return ValidationError(message, status=status, fields=fields)
    if status == 429:
        return RateLimitError(message, status=status, retry_after=retry_after(response))
    if status >= 500:
        return ServerError(message, status=status)
    return ApiError(message, status=status)
