"""The Hosting Platform API's actions on an environment (install): purge its cache,
copy it onto another."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, ClassVar

from rich.text import Text
from textual import on
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.widget import Widget
from textual.widgets import Input, Label, RadioSet, Static

from wpe_tui.api import Environment, Site
from wpe_tui.modals.confirm_name import ConfirmName
from wpe_tui.modals.form import FieldError, FormModal, Problems
from wpe_tui.modals.restore import PRODUCTION, email_problem, parse_emails, site_label
from wpe_tui.text import clean
from wpe_tui.widgets.toggles import Choice, Flag

PURGE_TYPES = ("all", "page", "cdn", "object")


def installs(site: Site) -> list[Environment]:
    return [env for env in site.environments if env.install_id]


def install_label(env: Environment) -> str:
    """ "production (acmeprod)": the environment and the install's own name."""
    name = clean(env.install_name or "")
    kind = clean(env.name or "")
    if kind and name:
        return f"{kind} ({name})"
    return kind or name or (env.install_id or "—")


class PurgeCacheModal(FormModal[str]):
    TITLE = "Purge a cache"
    SUBMIT_LABEL = "Purge"
    HELP_TITLE = "Purge a cache"
    HELP_TEXT = (
        "Purges one cache (all, page, CDN or object) of the environment you choose. "
        "The API allows one object-cache purge per environment a minute."
    )

    def __init__(self, site: Site, send: Any, **options: Any) -> None:
        super().__init__(send, id="purge-modal", **options)
        self.site = site
        self.installs = installs(site)
        if not self.installs:
            self.blocked = "This site has no environment to purge. Nothing will be sent."

    def title_text(self) -> Text:
        return Text.assemble(("Purge a cache of ", "bold"), site_label(self.site))

    def fields(self) -> Iterable[Widget]:
        yield Label("Environment")
        with RadioSet(id="environment"):
            for n, env in enumerate(self.installs):
                yield Choice(Text(install_label(env)), value=n == 0, name=env.install_id)
        yield FieldError("environment")
        yield Label("Cache")
        with RadioSet(id="type"):
            for n, kind in enumerate(PURGE_TYPES):
                yield Choice(kind, value=n == 0, name=kind)
        yield FieldError("type")
        yield Static(
            Text(
                "The API allows one object-cache purge (object or all) per environment a "
                "minute; a second one is refused, and is not sent again by itself.",
                style="dim",
            ),
            classes="form-question",
        )

    def first_field(self) -> Widget:
        return self.query_one("#environment", RadioSet)

    def _pressed(self, radio: str) -> str | None:
        pressed = self.query_one(f"#{radio}", RadioSet).pressed_button
        return pressed.name if pressed is not None else None

    def check(self) -> Problems:
        if self._pressed("environment") is None:
            return {"environment": "Choose the environment."}
        return {}

    def arguments(self) -> dict[str, Any]:
        return {"install_id": self._pressed("environment"), "type": self._pressed("type")}


class CopyEnvironmentModal(FormModal[tuple[str, str]]):
    SUBMIT_LABEL = "Copy"
    SUBMIT_VARIANT = "warning"
    HELP_TITLE = "Copy an environment"
    AUTO_FOCUS = ""  # nothing typed by accident: 1-2 toggle, tab goes to the fields
    HELP_TEXT = (
        "Copies one environment's files, database or both onto another, which is "
        "overwritten. Copying onto production asks for its install's name first."
    )
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("1", "toggle_flag('files')", "Contents", key_display="1-2"),
        Binding("2", "toggle_flag('database')", "Toggle database", show=False),
    ]

    def __init__(self, site: Site, send: Any, emails: Sequence[str] = (), **options: Any) -> None:
        super().__init__(send, id="copy-modal", **options)
        self.site = site
        self.installs = installs(site)
        self.emails = list(emails)
        if len(self.installs) < 2:
            self.blocked = "This site has one environment: nothing to copy it onto."

    def title_text(self) -> Text:
        return Text.assemble(("Copy an environment of ", "bold"), site_label(self.site))

    def fields(self) -> Iterable[Widget]:
        staging = next((e for e in self.installs if e.name == "staging"), None)
        source = staging or (self.installs[0] if self.installs else None)
        yield Label("From")
        with RadioSet(id="source"):
            for env in self.installs:
                yield Choice(Text(install_label(env)), value=env is source, name=env.install_id)
        yield Label("Onto (it is overwritten)")
        with RadioSet(id="destination"):
            for env in self.installs:
                # No destination is chosen for the user: overwriting one is their call.
                yield Choice(Text(install_label(env)), name=env.install_id)
        yield FieldError("destination")
        yield Label("Contents (1-2 toggle)")
        with Horizontal(id="contents", classes="checkbox-row"):
            for n, what in enumerate(("files", "database"), start=1):
                toggle = Flag(f"{n} {what}", True, id=f"flag-{what}", compact=True)
                toggle.can_focus = False
                yield toggle
        yield FieldError("contents")
        yield Label("Tell when done (comma-separated)")
        yield Input(", ".join(self.emails), id="emails")
        yield FieldError("notification_emails")
        yield ConfirmName()

    def first_field(self) -> Widget:
        return self.query_one("#destination", RadioSet)

    def _env(self, radio: str) -> Environment | None:
        pressed = self.query_one(f"#{radio}", RadioSet).pressed_button
        name = pressed.name if pressed is not None else None
        return next((e for e in self.installs if e.install_id == name), None)

    def action_toggle_flag(self, what: str) -> None:
        self.query_one(f"#flag-{what}", Flag).toggle()

    @on(RadioSet.Changed, "#destination")
    def _destination_changed(self) -> None:
        destination = self._env("destination")
        production = destination is not None and destination.name == PRODUCTION
        name = clean(destination.install_name or "") if destination and production else None
        self.query_one(ConfirmName).ask(name or None, "to overwrite production")
        self.query_one("#error-destination", FieldError).show(None)

    @on(RadioSet.Changed, "#source")
    def _source_changed(self) -> None:
        # "cannot be copied onto itself" is fixed from either side.
        source, destination = self._env("source"), self._env("destination")
        if source is not None and destination is not None and source is not destination:
            self.field_changed(self.query_one("#destination", RadioSet))

    def check(self) -> Problems:
        problems: Problems = {}
        source, destination = self._env("source"), self._env("destination")
        if destination is None:
            problems["destination"] = "Choose the environment to copy onto."
        elif source is not None and source.install_id == destination.install_id:
            problems["destination"] = "An environment cannot be copied onto itself."
        if not (self._flag("files") or self._flag("database")):
            problems["contents"] = "Copy the files, the database, or both."
        problem = email_problem(parse_emails(self.query_one("#emails", Input).value))
        if problem:
            problems["notification_emails"] = problem
        problem = self.query_one(ConfirmName).problem("to overwrite production")
        if problem:
            problems["confirm_name"] = problem
        return problems

    def _flag(self, what: str) -> bool:
        return self.query_one(f"#flag-{what}", Flag).value

    def arguments(self) -> dict[str, Any]:
        source, destination = self._env("source"), self._env("destination")
        return {
            "source_install_id": source.install_id if source else "",
            "destination_install_id": destination.install_id if destination else "",
            "files": self._flag("files"),
            "database": self._flag("database"),
            "notification_emails": parse_emails(self.query_one("#emails", Input).value),
        }

    def _focus_field(self, field: str) -> None:
        if field == "confirm_name":
            self.query_one(ConfirmName).focus_field()
        elif field == "notification_emails":
            self.query_one("#emails", Input).focus()
        else:
            self.query_one("#destination", RadioSet).focus()
