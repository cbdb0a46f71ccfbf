"""Write screenshots/*.svg from the app the tests drive: `python -m tests.screenshots`.

Every picture comes from the real app and client against the in-process fake
API, on a ManualClock at a fixed start, so the files only change when the app
does.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import httpx
from pydantic import SecretStr
from textual.pilot import Pilot
from textual.widgets import Input

import wpe_tui.text
from tests.app.conftest import BASE_URL, START, settle
from wpe_tui.api import WpeClient
from wpe_tui.app import WpeApp
from wpe_tui.config import Settings, UiPrefs
from wpe_tui.fake import FakeAccount, ManualClock, create_app

SIZE = (120, 36)
OUT_DIR = Path(__file__).resolve().parent.parent / "screenshots"
# Shown on the setup screen; nothing is written there unless a key is saved.
CONFIG_PATH = Path("~/.config/wpe-tui/config.toml")

Step = Callable[[Pilot[None], ManualClock], Awaitable[None]]


@dataclass(frozen=True)
class Shot:
    name: str
    keys: tuple[str, ...] = ()
    setup: bool = False  # start with no API key: the first-run screen
    platform: bool = False  # the Hosting Platform API's fake and backend
    after: tuple[Step, ...] = field(default=())


async def finish_deployment(pilot: Pilot[None], clock: ManualClock) -> None:
    """Let the running deployment end, so its log is complete, then refresh."""
    clock.advance(120)
    await pilot.press("r")
    await settle(pilot)
    pilot.app.clear_notifications()


SHOTS = (
    Shot("site-list"),
    Shot("site-list-filter", keys=("slash", "a", "c", "m", "e")),
    Shot("site-detail-overview", keys=("enter",)),
    Shot("site-detail-backups", keys=("enter", "2")),
    Shot("site-detail-deployments", keys=("enter", "3")),
    Shot("deployment-log", keys=("enter", "3", "enter"), after=(finish_deployment,)),
    Shot("restore", keys=("enter", "2", "j", "R")),
    Shot("help", keys=("question_mark",)),
    Shot("setup", setup=True),
    Shot("platform-site-list", platform=True),
    Shot("platform-site-detail-overview", keys=("enter",), platform=True),
    Shot("platform-site-detail-backups", keys=("enter", "2"), platform=True),
    Shot("platform-site-detail-domains", keys=("enter", "4"), platform=True),
    Shot("platform-restore", keys=("enter", "2", "R"), platform=True),
    Shot("platform-purge-cache", keys=("enter", "P"), platform=True),
    Shot("platform-copy-environment", keys=("enter", "C"), platform=True),
)


def build_platform_app(clock: ManualClock) -> WpeApp:
    from wpe_tui.api.platform import PlatformBackend
    from wpe_tui.fake.platform import PlatformAccount, create_platform_app

    fake = create_platform_app(PlatformAccount(sites=120, seed=1, clock=clock))

    def make_backend(secret: str, url: str, user: str | None) -> PlatformBackend:
        return PlatformBackend(user or "", secret, url, transport=httpx.ASGITransport(app=fake))

    settings = Settings(
        profile_name="demo",
        api_key=None,
        base_url=BASE_URL,
        read_only=False,
        ui=UiPrefs(),
        config_path=CONFIG_PATH,
        api="platform",
        api_user="demo",
        api_password=SecretStr("demo"),
        notification_emails=("ops@example.com",),
    )
    return WpeApp(settings, make_backend("demo", BASE_URL, "demo"), make_backend=make_backend)


def build_app(clock: ManualClock, *, setup: bool) -> WpeApp:
    fake = create_app(FakeAccount(sites=120, seed=1, clock=clock))

    def make_client(api_key: str, base_url: str, user: str | None = None) -> WpeClient:
        return WpeClient(api_key, base_url, transport=httpx.ASGITransport(app=fake))

    settings = Settings(
        profile_name="default" if setup else "demo",
        api_key=None if setup else SecretStr("demo"),
        base_url=BASE_URL,
        read_only=False,
        ui=UiPrefs(),
        config_path=CONFIG_PATH,
    )
    client = None if setup else make_client("demo", BASE_URL)
    return WpeApp(settings, client, make_backend=make_client, demo=not setup)


async def take(shot: Shot, out_dir: Path) -> Path:
    clock = ManualClock(START)
    app = build_platform_app(clock) if shot.platform else build_app(clock, setup=shot.setup)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        for key in shot.keys:
            await pilot.press(key)
            await settle(pilot)
        for step in shot.after:
            await step(pilot, clock)
        for box in app.screen.query(Input):
            box.cursor_blink = False
        app.clear_notifications()
        await pilot.pause(0.6)  # the toasts' fade-out is over
        filename = f"{shot.name}.svg"
        app.save_screenshot(filename=filename, path=str(out_dir))
    return out_dir / filename


class _PausedTimerNoise(logging.Filter):
    """Textual 8.2.8 leaves a paused `set_interval` timer of a screen pending when the
    app exits; asyncio then reports "Task was destroyed but it is pending" for it.
    That is harmless here (the app is gone), so only that report is dropped."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        return not (
            message.startswith("Task was destroyed but it is pending")
            and "Timer._run_timer" in message
        )


async def take_all(out_dir: Path) -> list[Path]:
    return [await take(shot, out_dir) for shot in SHOTS]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.screenshots", description=__doc__)
    parser.add_argument("--out", type=Path, default=OUT_DIR, help="directory for the SVG files")
    args = parser.parse_args(argv)

    def fixed_now() -> datetime:
        return START

    # Timestamps in UTC, whatever the machine's zone, as in the tests.
    os.environ["TZ"] = "UTC"
    time.tzset()
    # Short dates say "this year" relative to the fake's start, so the pictures do not age.
    wpe_tui.text.now = fixed_now
    logging.getLogger("asyncio").addFilter(_PausedTimerNoise())
    args.out.mkdir(parents=True, exist_ok=True)
    for path in asyncio.run(take_all(args.out)):
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
