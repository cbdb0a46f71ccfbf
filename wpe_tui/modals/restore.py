"""`RestoreModal`: quick restore of a backup, the app's most urgent path.

Customer API: the environment selector has focus (arrows, then space); `1`-`4` toggle
database, files, plugins and themes; `ctrl+s` restores. Choosing production asks at
once for the site's name, on a line of its own (`tab` goes there; `1`-`4` keep
toggling until then).

Hosting Platform API: a backup restores into its own environment (install). `1`
toggles "restore the database" and `2` "create a checkpoint first" (both on); the
addresses to tell when it is done are filled in. A production install's name is typed.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, ClassVar

from rich.table import Table
from rich.text import Text
from textual import on
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.widget import Widget
from textual.widgets import Input, Label, RadioSet, Static

from wpe_tui.api import Backup, BackupContents, Restore, Site
from wpe_tui.api.capabilities import Capabilities
from wpe_tui.api.models import CONTENT_FLAGS
from wpe_tui.modals.confirm_name import ConfirmName
from wpe_tui.modals.form import FieldError, FormModal, Problems
from wpe_tui.text import clean, dash, when
from wpe_tui.widgets.toggles import Choice, Flag

PRODUCTION = "production"
PLATFORM_FLAGS = ("restore_database", "create_checkpoint")
PLATFORM_LABELS = {"restore_database": "restore database", "create_checkpoint": "checkpoint first"}


def site_label(site: Site) -> str:
    """What the user types to confirm: the name as shown, or the ID when it has none."""
    return clean(site.name).strip() or site.id


def environment_names(site: Site) -> list[str]:
    names = [clean(env.name) for env in site.environments if clean(env.name)]
    if not names and site.environment:
        names = [clean(site.environment)]
    return names or [PRODUCTION]


def parse_emails(text: str) -> list[str]:
    return [part.strip() for part in text.replace(";", ",").split(",") if part.strip()]


def email_problem(emails: Sequence[str]) -> str | None:
    bad = [e for e in emails if "@" not in e or e.startswith("@") or e.endswith("@")]
    if bad:
        return f"{clean(bad[0])} is not an email address."
    if not emails:
        return "Give at least one address: WP Engine emails when it is done."
    return None


class RestoreModal(FormModal[Restore | None]):
    SUBMIT_LABEL = "Restore"
    SUBMIT_VARIANT = "warning"
    HELP_TITLE = "Quick restore"
    AUTO_FOCUS = ""  # the first field is chosen below: never a text field by accident
    HELP_TEXT = (
        "Restores this backup into the environment you choose, with the contents you "
        "tick. Restoring into production asks for the site's name first. The restore "
        "is followed in the activity panel until it ends."
    )
    # The number toggles, one footer entry each API: 1-4 (Customer), 1-2 (Platform).
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("1", "toggle_content(0)", "Contents", key_display="1-4"),
        *(
            Binding(str(n), f"toggle_content({n - 1})", f"Toggle {n}", show=False)
            for n in range(2, 5)
        ),
        Binding("1", "toggle_option(0)", "Options", key_display="1-2"),
        Binding("2", "toggle_option(1)", "Toggle 2", show=False),
    ]

    def __init__(
        self,
        site: Site,
        backup: Backup,
        send: Any,
        capabilities: Capabilities,
        emails: Sequence[str] = (),
        **options: Any,
    ) -> None:
        super().__init__(send, id="restore-modal", **options)
        self.site = site
        self.backup = backup
        self.in_place = not capabilities.restore_environment_choice
        self.flags: tuple[str, ...] = PLATFORM_FLAGS if self.in_place else CONTENT_FLAGS
        self.emails = list(emails)
        self.environments = environment_names(site)
        self.wants_emails = capabilities.notification_emails
        if (backup.status or "").lower() != "completed":
            status = (backup.status or "unknown").replace("_", " ")
            self.blocked = (
                f"Only a completed backup can be restored; this one is {status}. "
                "Nothing will be sent."
            )

    @property
    def target(self) -> str:
        """Where it goes, as the user calls it."""
        if self.in_place:
            return clean(self.backup.environment or "") or "its own environment"
        return self.environment or "—"

    def _install_name(self) -> str:
        for env in self.site.environments:
            if self.backup.install_id and env.install_id == self.backup.install_id:
                return clean(env.install_name or "") or env.label
        return clean(self.backup.environment or "") or site_label(self.site)

    def title_text(self) -> Text:
        title = Text("Restore backup ", style="bold")
        title.append(clean(self.backup.id))
        title.append(f" of {site_label(self.site)}", style="bold")
        return title

    def fields(self) -> Iterable[Widget]:
        backup = self.backup
        facts = Table.grid(padding=(0, 1))
        facts.add_column(style="bold", no_wrap=True)
        facts.add_column(overflow="ellipsis", no_wrap=True, max_width=28)
        facts.add_column(style="bold", no_wrap=True)
        facts.add_column(no_wrap=True)
        facts.add_row(
            "Description", Text(dash(backup.description)), "Created", when(backup.created_at)
        )
        if backup.type or backup.size:
            facts.add_row("Type", Text(dash(backup.type)), "Size", dash(backup.size))
        else:  # an API that gives neither (the platform's): what it does give
            facts.add_row(
                "Environment", Text(dash(backup.environment)), "Done", when(backup.completed_at)
            )
        yield Static(facts, classes="form-facts")
        if self.in_place:
            yield Label("Restore into")
            yield Static(
                Text.assemble(
                    (self.target, "bold"),
                    f" (install {self._install_name()}): a backup restores into its own",
                    " environment on this API",
                ),
                id="restore-target",
            )
            yield Label("Options (1-2 toggle)")
        else:
            yield Label("Restore into")
            with RadioSet(id="environment"):
                for name in self.environments:
                    yield Choice(Text(name), name=name)
            yield FieldError("environment")
            yield Label("Contents (1-4 toggle)")
        with Horizontal(id="contents", classes="checkbox-row"):
            for n, flag in enumerate(self.flags, start=1):
                label = PLATFORM_LABELS.get(flag, flag)
                toggle = Flag(f"{n} {label}", True, id=f"flag-{flag}", compact=True)
                toggle.can_focus = False  # toggled by its number: tab goes to the next field
                yield toggle
        yield FieldError("contents")
        if self.wants_emails:
            yield Label("Tell when done (comma-separated)")
            yield Input(", ".join(self.emails), id="emails")
            yield FieldError("notification_emails")
        yield ConfirmName()

    def on_mount(self) -> None:
        if self.in_place and self._production():
            self.query_one(ConfirmName).ask(self._install_name(), "to restore into production")

    def first_field(self) -> Widget | None:
        if self.in_place:
            if self._production():  # the name to type is the one thing to do first
                return self.query_one("#confirm-name", Input)
            return None  # no choice to make first: 1-2 toggle, ctrl+s restores
        return self.query_one("#environment", RadioSet)

    def _production(self) -> bool:
        if self.in_place:
            return (self.backup.environment or "").lower() == PRODUCTION
        return self.environment == PRODUCTION

    @property
    def environment(self) -> str | None:
        if self.in_place:
            return None
        pressed = self.query_one("#environment", RadioSet).pressed_button
        return pressed.name if pressed is not None else None

    def _flag(self, name: str) -> bool:
        return self.query_one(f"#flag-{name}", Flag).value

    @property
    def contents(self) -> BackupContents:
        return BackupContents(**{f: self._flag(f) for f in CONTENT_FLAGS})

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "toggle_content" and self.in_place:
            return False
        if action == "toggle_option" and not self.in_place:
            return False
        return super().check_action(action, parameters)

    def help_text(self) -> str:
        if self.in_place:
            return (
                "Restores this backup into its own environment (install), the only "
                "choice on this API; a checkpoint is taken first unless you untick it. "
                "A production install's name is typed first."
            )
        return self.HELP_TEXT

    def action_toggle_content(self, index: int) -> None:
        self._toggle(index)

    def action_toggle_option(self, index: int) -> None:
        self._toggle(index)

    def _toggle(self, index: int) -> None:
        if index < len(self.flags):
            self.query_one(f"#flag-{self.flags[index]}", Flag).toggle()

    @on(RadioSet.Changed, "#environment")
    def _environment_changed(self) -> None:
        confirm = self.query_one(ConfirmName)
        name = site_label(self.site) if self._production() else None
        confirm.ask(name, "to restore into production")
        self.query_one("#error-environment", FieldError).show(None)

    def check(self) -> Problems:
        problems: Problems = {}
        if not self.in_place and self.environment is None:
            problems["environment"] = "Choose the environment to restore into."
        if not self.in_place and not self.contents.selected():
            problems["contents"] = "Choose at least one of database, files, plugins and themes."
        if self.wants_emails:
            problem = email_problem(self._emails())
            if problem:
                problems["notification_emails"] = problem
        problem = self.query_one(ConfirmName).problem("to restore into production")
        if problem:
            problems["confirm_name"] = problem
        return problems

    def _emails(self) -> list[str]:
        return parse_emails(self.query_one("#emails", Input).value)

    def arguments(self) -> dict[str, Any]:
        if self.in_place:
            arguments: dict[str, Any] = {f: self._flag(f) for f in PLATFORM_FLAGS}
        else:
            arguments = {"environment": self.environment, "contents": self.contents}
        if self.wants_emails:
            arguments["notification_emails"] = self._emails()
        return arguments

    def _focus_field(self, field: str) -> None:
        if field == "confirm_name":
            self.query_one(ConfirmName).focus_field()
        elif field == "notification_emails":
            self.query_one("#emails", Input).focus()
        elif field == "environment":
            self.query_one("#environment", RadioSet).focus()
