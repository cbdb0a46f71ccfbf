"""The Hosting Platform API's error answers as the app's `ApiError` classes.

400 and 422 carry ``{message, errors: [{resource, field, type, code, message}]}``;
401, 403, 404 and 409 ``{message}``; 429, 502 and 503 may have no JSON at all. The
mapping is the Customer API's (`wpe_tui.api.wire.ErrorWords`); only what a refusal of
the credentials says differs.
"""

from __future__ import annotations

from wpe_tui.api.wire import ErrorWords

PLATFORM_ERRORS = ErrorWords(
    unauthorized="the API user ID or password was refused",
    forbidden="this API user may not do that",
)
