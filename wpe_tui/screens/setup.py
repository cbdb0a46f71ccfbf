"""`SetupScreen`: the first run, or credentials that were refused.

It asks for the API key (Customer API) or the API user and password (Hosting Platform
API) and the base URL, checks them with one request, and saves them in the profile.
It never saves what the next start would not use: credentials that came from the
environment are the environment's to fix, and a base URL given only on the command
line stays out of the file.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar

from pydantic import SecretStr
from rich.markup import escape
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Button, Input, Label, Static

from wpe_tui.api import ApiError, AuthError, NetworkError
from wpe_tui.config import ConfigError, Profile, Settings, save_profile
from wpe_tui.core.backend import Backend
from wpe_tui.widgets import Footer

MakeBackend = Callable[[str, str, str | None], Backend]
UseBackend = Callable[[Backend], None]

CREDENTIAL_PAGE = "https://my.wpengine.com/api_access"


class SetupScreen(Screen[bool]):
    """With a `reason` it was opened because the credentials in use were refused: on
    success it goes back to the screen below instead of opening a new site list."""

    HELP_TITLE = "First-run setup"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Check and save", priority=True),
        Binding("escape", "app.quit", "Quit"),
    ]

    def __init__(
        self,
        settings: Settings,
        make_backend: MakeBackend | None,
        use_backend: UseBackend,
        reason: str | None = None,
    ) -> None:
        super().__init__()
        self.settings = settings
        self.make_backend = make_backend
        self.use_backend = use_backend
        self.reason = reason
        self.platform = settings.api == "platform"

    def _from_environment(self) -> tuple[str, ...]:
        return self.settings.credentials_from_environment

    def compose(self) -> ComposeResult:
        settings = self.settings
        what = "API user and password" if self.platform else "API key"
        intro = f"No {what} for profile [b]{escape(settings.profile_name)}[/b] yet."
        if self.reason is not None:
            intro = escape(self.reason)
        where = f"saved (readable by you only) in {escape(str(settings.config_path))}"
        variables = self._from_environment()
        if variables and self.reason is not None:
            names = " and ".join(variables)
            where = (
                f"not saved: they came from {escape(names)}, which would override the file at "
                f"the next start. Unset or correct {escape(names)} too"
            )
        if self.platform:
            intro += (
                f" Create them on the API access page of the WP Engine portal ({CREDENTIAL_PAGE})."
            )
        with Vertical(id="setup-box"):
            yield Static("[b]Welcome to wpe-tui[/b]", id="setup-title")
            yield Static(
                f"{intro} They are checked with one request, then {where}.",
                id="setup-intro",
                markup=True,
            )
            if self.platform:
                yield Label("API user")
                yield Input(settings.api_user or "", placeholder="API user ID", id="api-user")
                yield Label("API password")
                yield Input(password=True, placeholder="API password", id="api-key")
            else:
                yield Label("API key")
                yield Input(password=True, placeholder="your WP Engine API key", id="api-key")
            yield Label("Base URL")
            yield Input(settings.base_url, id="base-url")
            yield Static("", id="setup-error")
            yield Button("Check and save (ctrl+s)", id="save", variant="primary")
        yield Footer()

    def on_mount(self) -> None:
        first = "#api-user" if self.platform and not self.settings.api_user else "#api-key"
        self.query_one(first, Input).focus()

    @on(Button.Pressed, "#save")
    @on(Input.Submitted)
    def action_save(self) -> None:
        key = self.query_one("#api-key", Input).value.strip()
        url = self.query_one("#base-url", Input).value.strip()
        user = self.query_one("#api-user", Input).value.strip() if self.platform else None
        if self.platform and not user:
            self._error("Type the API user first.")
            return
        if not key:
            self._error(
                "Type the API password first." if self.platform else "Type the API key first."
            )
            return
        self.query_one("#save", Button).disabled = True
        self._error("Checking…")
        self.run_worker(self._check(key, url, user), group="setup", exclusive=True)

    async def _check(self, key: str, url: str, user: str | None) -> None:
        if self.make_backend is None:
            self._failed("This app cannot check credentials (no way to reach an API).")
            return
        try:
            backend = self.make_backend(key, url, user)
        except ApiError as error:
            self._failed(str(error))
            return
        try:
            await backend.list_sites(per_page=1)
        except AuthError:
            await backend.aclose()
            what = "user and password were" if self.platform else "key was"
            self._failed(f"That {what} refused by the API. Check and try again.")
            return
        except NetworkError as error:
            await backend.aclose()
            self._failed(f"Could not reach {url}: {error}")
            return
        except ApiError as error:
            await backend.aclose()
            self._failed(f"The API answered with an error: {error}")
            return
        self._save(key, url, user)
        self.use_backend(backend)
        if self.reason is not None:
            self.dismiss(True)

    def _save(self, key: str, url: str, user: str | None) -> None:
        """Save only what the next start will read from the file."""
        if self._from_environment():
            self.notify(
                "These credentials work, but they were not saved: the environment "
                f"({' and '.join(self._from_environment())}) would override them.",
                severity="warning",
                timeout=10,
            )
            return
        settings = self.settings
        fields: dict[str, object] = {}
        if self.platform:
            fields["api"] = "platform"
            fields["api_user"] = user
            fields["api_password"] = SecretStr(key)
        else:
            fields["api_key"] = SecretStr(key)
        if url != settings.base_url or settings.base_url_source == "file":
            fields["base_url"] = url  # typed here (or already in the file): the user's
        try:
            save_profile(settings.profile_name, Profile(**fields), settings.config_path)
        except (ConfigError, OSError) as error:
            self.notify(f"They work but could not be saved: {error}", severity="warning")

    def _failed(self, message: str) -> None:
        self._error(message)
        self.query_one("#save", Button).disabled = False

    def _error(self, message: str) -> None:
        self.query_one("#setup-error", Static).update(message)
