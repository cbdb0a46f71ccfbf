"""`WpeApp`: the Textual application."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import partial
from pathlib import Path, PurePath
from typing import ClassVar

from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.screen import Screen

from wpe_tui.api import WpeClient
from wpe_tui.commands import SiteJumpProvider
from wpe_tui.config import Settings

STYLE_FILES = ("app.tcss", "site_list.tcss", "site_detail.tcss", "modals.tcss")

MakeClient = Callable[[str, str], WpeClient]


def styles_dir() -> Path:
    """Styles ship inside the wheel as wpe_tui/styles; in a checkout they are at the top."""
    packaged = Path(__file__).parent / "styles"
    return packaged if packaged.is_dir() else Path(__file__).parent.parent / "styles"


class WpeApp(App[None]):
    TITLE = "wpe-tui"
    CSS_PATH: ClassVar[list[str | PurePath]] = [styles_dir() / name for name in STYLE_FILES]
    COMMANDS = App.COMMANDS | {SiteJumpProvider}
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+q", "quit", "Quit", show=False, priority=True),
        Binding("question_mark", "help", "Help"),
    ]

    def __init__(
        self,
        settings: Settings,
        client: WpeClient | None,
        *,
        make_client: MakeClient | None = None,
        demo: bool = False,
    ) -> None:
        super().__init__()
        self.settings = settings
        self._client = client
        self.make_client = make_client
        self.demo = demo
        self.read_only = settings.read_only
        self.page_size = settings.ui.page_size
        self.refresh_interval = settings.ui.refresh_interval

    @property
    def client(self) -> WpeClient:
        if self._client is None:
            raise RuntimeError("no API client yet: the setup screen comes first")
        return self._client

    @property
    def account_label(self) -> str:
        return "demo account" if self.demo else f"profile {self.settings.profile_name}"

    def on_mount(self) -> None:
        if self.settings.ui.theme in self.available_themes:
            self.theme = self.settings.ui.theme
        for warning in self.settings.warnings:
            self.notify(warning, severity="warning", timeout=10)
        if self._client is None:
            from wpe_tui.screens.setup import SetupScreen

            self.push_screen(SetupScreen())
        else:
            self.show_sites()

    def use_client(self, client: WpeClient) -> None:
        self._client = client

    def show_sites(self) -> None:
        from wpe_tui.screens.site_list import SiteListScreen

        self.push_screen(SiteListScreen())

    async def on_unmount(self) -> None:
        if self._client is not None:
            await self._client.aclose()

    def action_help(self) -> None:
        from wpe_tui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.screen))

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        yield from super().get_system_commands(screen)
        # Every key of the current view is also a command, so nothing needs remembering.
        seen: set[str] = set()
        for key, active in screen.active_bindings.items():
            binding = active.binding
            if not binding.description or binding.action in seen or not active.enabled:
                continue
            if binding.action in ("quit", "app.quit", "command_palette", "help"):
                continue
            seen.add(binding.action)
            run = partial(self.run_action, binding.action, active.node)
            yield SystemCommand(binding.description, f"key: {key}", run)

    def copy(self, text: str) -> None:
        """Copy through OSC 52, which travels over SSH and tmux to the user's terminal."""
        self.copy_to_clipboard(text)
        self.notify(f"Copied {text}", timeout=3)
