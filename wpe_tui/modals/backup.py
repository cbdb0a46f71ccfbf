"""`NewBackupModal`: what to back up, then one POST.

Customer API: a description and a type (full or database). Hosting Platform API: the
environment (install) to back up, a description (it requires one) and the addresses
to tell when it is done.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from rich.text import Text
from textual.widget import Widget
from textual.widgets import Input, Label, RadioSet

from wpe_tui.api import Backup, Site
from wpe_tui.api.capabilities import Capabilities
from wpe_tui.modals.form import FieldError, FormModal, Problems
from wpe_tui.modals.restore import email_problem, parse_emails, site_label
from wpe_tui.text import clean
from wpe_tui.widgets.toggles import Choice


class NewBackupModal(FormModal[Backup]):
    SUBMIT_LABEL = "Create backup"
    HELP_TITLE = "New backup"
    HELP_TEXT = (
        "Starts a backup of this site now. It is followed in the activity panel until "
        "it completes, and then it can be restored."
    )

    def __init__(
        self,
        site: Site,
        send: Any,
        capabilities: Capabilities,
        emails: Sequence[str] = (),
        **options: Any,
    ) -> None:
        super().__init__(send, id="new-backup-modal", **options)
        self.site = site
        self.types = capabilities.backup_types
        self.per_environment = capabilities.backup_needs_environment
        self.wants_emails = capabilities.notification_emails
        self.emails = list(emails)
        # (key the API takes, what the user reads): installs on the platform API.
        self.environments = [
            (env.install_id or env.name, env.label)
            for env in site.environments
            if env.install_id or env.name
        ]

    def title_text(self) -> Text:
        return Text.assemble(("New backup of ", "bold"), site_label(self.site))

    def fields(self) -> Iterable[Widget]:
        if self.per_environment:
            yield Label("Environment")
            with RadioSet(id="environment"):
                for n, (key, label) in enumerate(self.environments):
                    yield Choice(Text(clean(label)), value=n == 0, name=key)
            yield FieldError("environment")
        yield Label("Description" + (" (required)" if self.per_environment else ""))
        yield Input(placeholder="e.g. before the plugin update", id="description")
        yield FieldError("description")
        if self.types:
            yield Label("Type")
            with RadioSet(id="type"):
                for n, kind in enumerate(self.types):
                    yield Choice(kind, value=n == 0, name=kind)
            yield FieldError("type")
        if self.wants_emails:
            yield Label("Tell when done (comma-separated)")
            yield Input(", ".join(self.emails), id="emails")
            yield FieldError("notification_emails")

    def first_field(self) -> Widget:
        return self.query_one("#description", Input)

    def _pressed(self, radio: str) -> str | None:
        found = self.query(f"#{radio}")
        if not found:
            return None
        pressed = found.first(RadioSet).pressed_button
        return pressed.name if pressed is not None else None

    def check(self) -> Problems:
        problems: Problems = {}
        description = self.query_one("#description", Input).value.strip()
        if self.per_environment and self._pressed("environment") is None:
            problems["environment"] = "Choose the environment to back up."
        if self.per_environment and not description:
            problems["description"] = "The Hosting Platform API needs a description."
        if self.wants_emails:
            problem = email_problem(parse_emails(self.query_one("#emails", Input).value))
            if problem:
                problems["notification_emails"] = problem
        return problems

    def arguments(self) -> dict[str, Any]:
        description = self.query_one("#description", Input).value.strip()
        arguments: dict[str, Any] = {"description": description or None}
        if self.types:
            arguments["type"] = self._pressed("type") or self.types[0]
        if self.per_environment:
            arguments["environment"] = self._pressed("environment")
        if self.wants_emails:
            arguments["notification_emails"] = parse_emails(self.query_one("#emails", Input).value)
        return arguments
