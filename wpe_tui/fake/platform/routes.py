"""The endpoints of the fake Hosting Platform API that the app uses."""

from __future__ import annotations

from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from wpe_tui.fake.platform import validation as v
from wpe_tui.fake.platform.account import PlatformAccount
from wpe_tui.fake.platform.records import JSON, BadRequest, PlatformError, field_error, iso


def _account(request: Request) -> PlatformAccount:
    account: PlatformAccount = request.app.state.account
    return account


def _id(request: Request, name: str, what: str) -> str:
    value: str = request.path_params[name]
    return v.uuid_or_404(value, what)


def _accepted() -> Response:
    return Response(status_code=202)  # the API's 202s to these have no body at all


def page_body(request: Request, rows: list[JSON], count: int, limit: int, offset: int) -> JSON:
    """The list envelope, with ``next``/``previous`` as absolute URLs on the request's own
    host (or ``app.state.link_origin``, to act like a server behind a proxy)."""
    origin = request.app.state.link_origin or f"{request.url.scheme}://{request.url.netloc}"
    extra = {k: val for k, val in request.query_params.items() if k not in ("limit", "offset")}

    def link(at: int) -> str:
        return f"{origin}{request.url.path}?{urlencode({**extra, 'limit': limit, 'offset': at})}"

    has_next = limit > 0 and offset + limit < count
    return {
        "previous": link(max(0, offset - limit)) if offset > 0 and limit > 0 else None,
        "next": link(offset + limit) if has_next else None,
        "count": count,
        "results": rows,
    }


def _page(request: Request, account_filter: bool = False) -> tuple[int, int, str | None]:
    limit, offset, account_id = v.page_params(request.query_params, account_filter=account_filter)
    if account_id is not None and account_id not in _account(request).account_ids:
        raise BadRequest(
            [field_error("Query", "account_id", f"No account {account_id} for these credentials")]
        )
    return limit, offset, account_id


async def status(request: Request) -> Response:
    v.no_params(request.query_params)
    return JSONResponse({"success": True, "created_on": iso(_account(request).now())})


async def current_user(request: Request) -> Response:
    v.no_params(request.query_params)
    return JSONResponse(_account(request).user())


async def list_accounts(request: Request) -> Response:
    limit, offset, _ = _page(request)
    rows = _account(request).accounts()
    body = page_body(request, rows[offset : offset + limit], len(rows), limit, offset)
    return JSONResponse(body)


async def get_account(request: Request) -> Response:
    v.no_params(request.query_params)
    account_id = _id(request, "account_id", "Account")
    return JSONResponse(_account(request).get_account(account_id))


async def account_limits(request: Request) -> Response:
    v.no_params(request.query_params)
    return JSONResponse(_account(request).limits(_id(request, "account_id", "Account")))


async def account_usage_summary(request: Request) -> Response:
    account = _account(request)
    first, _ = v.usage_dates(request.query_params, account.now().date())
    if first is not None:
        raise PlatformError(400, "This fake summarises the last 30 days only")
    return JSONResponse(account.usage_summary(_id(request, "account_id", "Account")))


async def list_sites(request: Request) -> Response:
    limit, offset, account_id = _page(request, account_filter=True)
    rows, count = _account(request).list_sites(offset, limit, account_id)
    return JSONResponse(page_body(request, rows, count, limit, offset))


async def get_site(request: Request) -> Response:
    v.no_params(request.query_params)
    return JSONResponse(_account(request).get_site(_id(request, "site_id", "Site")))


async def list_installs(request: Request) -> Response:
    limit, offset, account_id = _page(request, account_filter=True)
    rows, count = _account(request).list_installs(offset, limit, account_id)
    return JSONResponse(page_body(request, rows, count, limit, offset))


async def get_install(request: Request) -> Response:
    v.no_params(request.query_params)
    return JSONResponse(_account(request).get_install(_id(request, "install_id", "Install")))


async def install_usage(request: Request) -> Response:
    account = _account(request)
    install_id = _id(request, "install_id", "Install")
    first, last = v.usage_dates(request.query_params, account.now().date())
    return JSONResponse(account.usage(install_id, first, last))


async def list_domains(request: Request) -> Response:
    limit, offset, _ = _page(request)
    install_id = _id(request, "install_id", "Install")
    rows, count = _account(request).list_domains(install_id, offset, limit)
    return JSONResponse(page_body(request, rows, count, limit, offset))


async def get_domain(request: Request) -> Response:
    v.no_params(request.query_params)
    install_id = _id(request, "install_id", "Install")
    domain_id = _id(request, "domain_id", "Domain")
    return JSONResponse(_account(request).get_domain(install_id, domain_id))


async def list_backups(request: Request) -> Response:
    limit, offset, _ = _page(request)
    install_id = _id(request, "install_id", "Install")
    rows, count = _account(request).list_backups(install_id, offset, limit)
    return JSONResponse(page_body(request, rows, count, limit, offset))


async def create_backup(request: Request) -> Response:
    v.no_params(request.query_params)
    install_id = _id(request, "install_id", "Install")
    description, emails = v.backup_create(v.json_object(await request.body(), "Backup"))
    body = _account(request).create_backup(install_id, description, emails)
    return JSONResponse(body, status_code=202)


async def get_backup(request: Request) -> Response:
    v.no_params(request.query_params)
    install_id = _id(request, "install_id", "Install")
    backup_id = _id(request, "backup_id", "Backup")
    return JSONResponse(_account(request).get_backup(install_id, backup_id))


async def restore_backup(request: Request) -> Response:
    v.no_params(request.query_params)
    install_id = _id(request, "install_id", "Install")
    backup_id = _id(request, "backup_id", "Backup")
    options = v.restore_request(v.json_object(await request.body(), "Restore"))
    _account(request).restore(install_id, backup_id, **options)
    return _accepted()


async def purge_cache(request: Request) -> Response:
    v.no_params(request.query_params)
    install_id = _id(request, "install_id", "Install")
    kind = v.purge_request(v.json_object(await request.body(), "Cache"))
    _account(request).purge(install_id, kind)
    return _accepted()


async def copy_install(request: Request) -> Response:
    v.no_params(request.query_params)
    options = v.copy_request(v.json_object(await request.body(), "InstallCopy"))
    source, destination = options.pop("source"), options.pop("destination")
    _account(request).copy(source, destination, **options)
    return _accepted()


_INSTALL = "/installs/{install_id}"
_BACKUPS = _INSTALL + "/backups"

ROUTES = [
    Route("/status", status, methods=["GET"]),
    Route("/user", current_user, methods=["GET"]),
    Route("/accounts", list_accounts, methods=["GET"]),
    Route("/accounts/{account_id}", get_account, methods=["GET"]),
    Route("/accounts/{account_id}/limits", account_limits, methods=["GET"]),
    Route("/accounts/{account_id}/usage/summary", account_usage_summary, methods=["GET"]),
    Route("/sites", list_sites, methods=["GET"]),
    Route("/sites/{site_id}", get_site, methods=["GET"]),
    Route("/installs", list_installs, methods=["GET"]),
    Route(_INSTALL, get_install, methods=["GET"]),
    Route(_INSTALL + "/usage", install_usage, methods=["GET"]),
    Route(_INSTALL + "/domains", list_domains, methods=["GET"]),
    Route(_INSTALL + "/domains/{domain_id}", get_domain, methods=["GET"]),
    Route(_BACKUPS, list_backups, methods=["GET"]),
    Route(_BACKUPS, create_backup, methods=["POST"]),
    Route(_BACKUPS + "/{backup_id}", get_backup, methods=["GET"]),
    Route(_BACKUPS + "/{backup_id}/restore", restore_backup, methods=["POST"]),
    Route(_INSTALL + "/purge_cache", purge_cache, methods=["POST"]),
    Route("/install_copy", copy_install, methods=["POST"]),
]
