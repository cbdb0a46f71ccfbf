"""The fake WP Engine Customer API as a Starlette app, mounted under ``/v1``."""

from __future__ import annotations

from typing import Unpack

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Mount, Route

from wpe_tui.fake import validation as v
from wpe_tui.fake.account import FakeAccount
from wpe_tui.fake.faults import FaultMiddleware, FaultOptions, FaultSettings, RecordedRequest
from wpe_tui.fake.records import ApiError
from wpe_tui.fake.world import World


def _account(request: Request) -> FakeAccount:
    account: FakeAccount = request.app.state.account
    return account


async def _body(request: Request) -> dict[str, object]:
    return v.parse_json_object(await request.body())


def _param(request: Request, name: str) -> str:
    value: str = request.path_params[name]
    return value


async def list_sites(request: Request) -> Response:
    params = v.parse_list_params(request.query_params, v.SITE_SORTS, "asc")
    return JSONResponse(_account(request).list_sites(params))


async def create_site(request: Request) -> Response:
    values = v.site_create(await _body(request))
    return JSONResponse(_account(request).create_site(**values), status_code=201)


async def get_site(request: Request) -> Response:
    return JSONResponse(_account(request).get_site(_param(request, "site_id")))


async def update_site(request: Request) -> Response:
    values = v.site_update(await _body(request))
    return JSONResponse(_account(request).update_site(_param(request, "site_id"), **values))


async def delete_site(request: Request) -> Response:
    return JSONResponse(_account(request).delete_site(_param(request, "site_id")), status_code=202)


async def list_backups(request: Request) -> Response:
    params = v.parse_list_params(request.query_params, v.CHILD_SORTS, "desc")
    return JSONResponse(_account(request).list_backups(_param(request, "site_id"), params))


async def create_backup(request: Request) -> Response:
    values = v.backup_create(await _body(request))
    site_id = _param(request, "site_id")
    return JSONResponse(_account(request).create_backup(site_id, **values), status_code=201)


async def get_backup(request: Request) -> Response:
    account = _account(request)
    return JSONResponse(
        account.get_backup(_param(request, "site_id"), _param(request, "backup_id"))
    )


async def delete_backup(request: Request) -> Response:
    account = _account(request)
    body = account.delete_backup(_param(request, "site_id"), _param(request, "backup_id"))
    return JSONResponse(body, status_code=202)


async def restore_backup(request: Request) -> Response:
    values = v.restore_request(await _body(request))
    body = _account(request).restore_backup(
        _param(request, "site_id"), _param(request, "backup_id"), **values
    )
    return JSONResponse(body, status_code=202)


async def get_restore(request: Request) -> Response:
    """Not in the spec: lets a client follow a restore until it completes."""
    body = _account(request).get_restore(
        _param(request, "site_id"), _param(request, "backup_id"), _param(request, "restore_id")
    )
    return JSONResponse(body)


async def list_deployments(request: Request) -> Response:
    params = v.parse_list_params(request.query_params, v.CHILD_SORTS, "desc")
    return JSONResponse(_account(request).list_deployments(_param(request, "site_id"), params))


async def create_deployment(request: Request) -> Response:
    values = v.deployment_create(await _body(request))
    site_id = _param(request, "site_id")
    return JSONResponse(_account(request).create_deployment(site_id, **values), status_code=201)


async def get_deployment(request: Request) -> Response:
    account = _account(request)
    return JSONResponse(
        account.get_deployment(_param(request, "site_id"), _param(request, "deployment_id"))
    )


async def _api_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, ApiError)
    return JSONResponse(exc.body(), status_code=exc.status)


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    names = {404: "not_found", 405: "method_not_allowed"}
    body = {"error": names.get(exc.status_code, "http_error"), "message": str(exc.detail)}
    return JSONResponse(body, status_code=exc.status_code, headers=exc.headers)


_SITE = "/sites/{site_id}"
_BACKUP = _SITE + "/backups/{backup_id}"

ROUTES = [
    Route("/sites", list_sites, methods=["GET"]),
    Route("/sites", create_site, methods=["POST"]),
    Route(_SITE, get_site, methods=["GET"]),
    Route(_SITE, update_site, methods=["PUT"]),
    Route(_SITE, delete_site, methods=["DELETE"]),
    Route(_SITE + "/backups", list_backups, methods=["GET"]),
    Route(_SITE + "/backups", create_backup, methods=["POST"]),
    Route(_BACKUP, get_backup, methods=["GET"]),
    Route(_BACKUP, delete_backup, methods=["DELETE"]),
    Route(_BACKUP + "/restore", restore_backup, methods=["POST"]),
    Route(_BACKUP + "/restores/{restore_id}", get_restore, methods=["GET"]),
    Route(_SITE + "/deployments", list_deployments, methods=["GET"]),
    Route(_SITE + "/deployments", create_deployment, methods=["POST"]),
    Route(_SITE + "/deployments/{deployment_id}", get_deployment, methods=["GET"]),
]


def create_app(
    account: FakeAccount | None = None,
    *,
    api_key: str | None = None,
    write_latency_ms: float = 0.0,
    seed: int = 1,
    stuck_rate: float = 0.0,
    odd_status_rate: float = 0.0,
    backup_seconds: float | None = None,
    bad_record_rate: float = 0.0,
    **faults: Unpack[FaultOptions],
) -> Starlette:
    """The fake API; its base URL is ``<origin>/v1``.

    ``app.state.account`` is the FakeAccount, ``app.state.faults`` the FaultSettings
    (``faults``: latency, failures, 429s, drops) and ``app.state.requests`` every
    request received, in order. The account options (``stuck_rate`` and the others of
    `World`) build the account when none is given; with an account, give them to
    `FakeAccount` instead.
    """
    world = World(
        stuck_rate=stuck_rate,
        odd_status_rate=odd_status_rate,
        backup_seconds=backup_seconds,
        bad_record_rate=bad_record_rate,
    )
    if account is None:
        account = FakeAccount(
            seed=seed,
            stuck_rate=stuck_rate,
            odd_status_rate=odd_status_rate,
            backup_seconds=backup_seconds,
            bad_record_rate=bad_record_rate,
        )
    elif world != World():
        raise ValueError("give the account options to FakeAccount(...), not with an account")
    settings = FaultSettings(seed=seed, write_latency_ms=write_latency_ms, **faults)
    requests: list[RecordedRequest] = []
    app = Starlette(
        routes=[Mount("/v1", routes=ROUTES)],
        middleware=[
            Middleware(FaultMiddleware, faults=settings, requests=requests, api_key=api_key)
        ],
        exception_handlers={ApiError: _api_error, HTTPException: _http_error},
    )
    app.state.account = account
    app.state.faults = settings
    app.state.requests = requests
    app.state.api_key = api_key
    return app
