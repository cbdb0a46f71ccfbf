"""`SetupScreen`: the first run, when no API key is configured."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, cast

from pydantic import SecretStr
from rich.markup import escape
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Button, Input, Label, Static

from wpe_tui.api import ApiError, AuthError, NetworkError
from wpe_tui.config import ConfigError, Profile, save_profile
from wpe_tui.widgets import Footer

if TYPE_CHECKING:
    from wpe_tui.app import WpeApp


class SetupScreen(Screen[bool]):
    """Asks for the key and the base URL, checks them with one request, saves them.

    With a `reason` it was opened because the key in use was refused: on success
    it goes back to the screen below instead of opening a new site list.
    """

    HELP_TITLE = "First-run setup"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Check and save", priority=True),
        Binding("escape", "app.quit", "Quit"),
    ]

    def __init__(self, reason: str | None = None) -> None:
        super().__init__()
        self.reason = reason

    def compose(self) -> ComposeResult:
        app = cast("WpeApp", self.app)
        intro = f"No API key for profile [b]{escape(app.settings.profile_name)}[/b] yet."
        if self.reason is not None:
            intro = escape(self.reason)
        with Vertical(id="setup-box"):
            yield Static("[b]Welcome to wpe-tui[/b]", id="setup-title")
            yield Static(
                f"{intro} It is checked with one request, then saved (readable by you "
                f"only) in {escape(str(app.settings.config_path))}.",
                id="setup-intro",
                markup=True,
            )
            yield Label("API key")
            yield Input(password=True, placeholder="your WP Engine API key", id="api-key")
            yield Label("Base URL")
            yield Input(app.settings.base_url, id="base-url")
            yield Static("", id="setup-error")
            yield Button("Check and save (ctrl+s)", id="save", variant="primary")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#api-key", Input).focus()

    @on(Button.Pressed, "#save")
    @on(Input.Submitted)
    def action_save(self) -> None:
        key = self.query_one("#api-key", Input).value.strip()
        url = self.query_one("#base-url", Input).value.strip()
        if not key:
            self._error("Type the API key first.")
            return
        self.query_one("#save", Button).disabled = True
        self._error("Checking…")
        self.run_worker(self._check(key, url), group="setup", exclusive=True, exit_on_error=False)

    async def _check(self, key: str, url: str) -> None:
        app = cast("WpeApp", self.app)
        try:
            if app.make_client is None:
                raise RuntimeError("this app cannot make clients")
            client = app.make_client(key, url)
        except ApiError as error:
            self._failed(str(error))
            return
        try:
            await client.list_sites(per_page=1)
        except AuthError:
            await client.aclose()
            self._failed("That key was refused by the API. Check it and try again.")
            return
        except NetworkError as error:
            await client.aclose()
            self._failed(f"Could not reach {url}: {error}")
            return
        except ApiError as error:
            await client.aclose()
            self._failed(f"The API answered with an error: {error}")
            return
        try:
            save_profile(
                app.settings.profile_name,
                Profile(api_key=SecretStr(key), base_url=url),
                app.settings.config_path,
            )
        except (ConfigError, OSError) as error:
            self.notify(f"Key works but could not be saved: {error}", severity="warning")
        app.use_client(client)
        if self.reason is not None:
            self.dismiss(True)
            return
        from wpe_tui.screens.site_list import SiteListScreen

        # Switch from the app, not from this screen's worker, which the switch removes.
        app.call_later(app.switch_screen, SiteListScreen())

    def _failed(self, message: str) -> None:
        self._error(message)
        self.query_one("#save", Button).disabled = False

    def _error(self, message: str) -> None:
        self.query_one("#setup-error", Static).update(message)
