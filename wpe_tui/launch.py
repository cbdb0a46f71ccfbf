"""From the command line's options to a running app, with errors as sentences."""

from __future__ import annotations

import sys

import httpx

from wpe_tui.api import ApiError, WpeClient
from wpe_tui.config import ConfigError, Settings, load_config, resolve_settings

DEMO_BASE_URL = "http://127.0.0.1/v1"  # never dialled: the transport is in-process


def demo_client() -> WpeClient:
    from wpe_tui.fake import FakeAccount, create_app

    transport = httpx.ASGITransport(app=create_app(FakeAccount()))
    return WpeClient(api_key="demo", base_url=DEMO_BASE_URL, transport=transport)


def make_client(api_key: str, base_url: str) -> WpeClient:
    return WpeClient(api_key=api_key, base_url=base_url)


def launch(*, demo: bool, profile: str | None, api_url: str | None, read_only: bool) -> int:
    try:
        config = load_config()
        settings = resolve_settings(config, profile=profile, api_url=api_url, read_only=read_only)
    except ConfigError as error:
        print(f"wpe-tui: {error}", file=sys.stderr)
        return 2
    try:
        client = demo_client() if demo else _client_for(settings)
    except ApiError as error:
        print(f"wpe-tui: {error}", file=sys.stderr)
        return 2
    from wpe_tui.app import WpeApp

    app = WpeApp(settings, client, make_client=make_client, demo=demo)
    app.run()
    return app.return_code or 0


def _client_for(settings: Settings) -> WpeClient | None:
    if settings.api_key is None:
        return None  # first run: the setup screen asks for the key
    return WpeClient(api_key=settings.api_key, base_url=settings.base_url)
