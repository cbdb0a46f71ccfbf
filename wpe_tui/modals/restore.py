"""`RestoreModal`: quick restore of a backup, the app's most urgent path.

Keys: the environment selector has focus (arrows, then space); `1`-`4`
toggle database, files, plugins and themes; `ctrl+s` restores. Restoring
into production also asks for the site's name, typed.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, ClassVar

from rich.table import Table
from rich.text import Text
from textual import on
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.widget import Widget
from textual.widgets import Input, Label, RadioSet, Static

from wpe_tui.api import Backup, BackupContents, Restore, Site
from wpe_tui.api.models import CONTENT_FLAGS
from wpe_tui.modals.form import FieldError, FormModal, Problems
from wpe_tui.text import clean, dash, when
from wpe_tui.widgets.toggles import Choice, Flag

PRODUCTION = "production"


def site_label(site: Site) -> str:
    """What the user types to confirm: the name as shown, or the ID when it has none."""
    return clean(site.name).strip() or site.id


def environment_names(site: Site) -> list[str]:
    names = [clean(env.name) for env in site.environments if clean(env.name)]
    if not names and site.environment:
        names = [clean(site.environment)]
    return names or [PRODUCTION]


class RestoreModal(FormModal[Restore]):
    SUBMIT_LABEL = "Restore"
    SUBMIT_VARIANT = "warning"
    HELP_TITLE = "Quick restore"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(str(n), f"toggle_flag({n - 1})", f"Toggle {flag}", show=False)
        for n, flag in enumerate(CONTENT_FLAGS, start=1)
    ]

    def __init__(self, site: Site, backup: Backup, send: Any) -> None:
        super().__init__(send, id="restore-modal")
        self.site = site
        self.backup = backup
        self.environments = environment_names(site)
        if (backup.status or "").lower() != "completed":
            status = (backup.status or "unknown").replace("_", " ")
            self.blocked = (
                f"Only a completed backup can be restored; this one is {status}. "
                "Nothing will be sent."
            )

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
        facts.add_row("Type", Text(dash(backup.type)), "Size", dash(backup.size))
        yield Static(facts, classes="form-facts")
        yield Label("Restore into")
        with RadioSet(id="environment"):
            for name in self.environments:
                yield Choice(Text(name), name=name)
        yield FieldError("environment")
        yield Label("Contents (1-4 toggle)")
        with Horizontal(id="contents", classes="checkbox-row"):
            for n, flag in enumerate(CONTENT_FLAGS, start=1):
                yield Flag(f"{n} {flag}", True, id=f"flag-{flag}", compact=True)
        yield FieldError("contents")
        with Horizontal(id="confirm-row", classes="hidden"):
            yield Label(Text(f"Type {site_label(self.site)} to restore into production "))
            yield Input(placeholder="the site's name", id="confirm-name")
        yield FieldError("confirm_name")

    def first_field(self) -> Widget:
        return self.query_one("#environment", RadioSet)

    @property
    def environment(self) -> str | None:
        pressed = self.query_one("#environment", RadioSet).pressed_button
        return pressed.name if pressed is not None else None

    @property
    def contents(self) -> BackupContents:
        flags = {f: self.query_one(f"#flag-{f}", Flag).value for f in CONTENT_FLAGS}
        return BackupContents(**flags)

    def action_toggle_flag(self, index: int) -> None:
        self.query_one(f"#flag-{CONTENT_FLAGS[index]}", Flag).toggle()

    @on(RadioSet.Changed, "#environment")
    def _environment_changed(self) -> None:
        production = self.environment == PRODUCTION
        self.query_one("#confirm-row").set_class(not production, "hidden")
        self.query_one("#error-environment", FieldError).show(None)

    def check(self) -> Problems:
        problems: Problems = {}
        if self.environment is None:
            problems["environment"] = "Choose the environment to restore into."
        if not self.contents.selected():
            problems["contents"] = "Choose at least one of database, files, plugins and themes."
        if self.environment == PRODUCTION:
            typed = self.query_one("#confirm-name", Input).value.strip()
            if typed != site_label(self.site):
                problems["confirm_name"] = (
                    f"Type {site_label(self.site)} exactly to restore into production."
                )
        return problems

    def arguments(self) -> dict[str, Any]:
        return {"environment": self.environment, "contents": self.contents}

    def _focus_field(self, field: str) -> None:
        targets = {"environment": "#environment", "contents": "#flag-database"}
        self.query_one(targets.get(field, "#confirm-name")).focus()
