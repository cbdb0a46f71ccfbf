"""`CrashScreen`: an unexpected error, with a report to copy or save; the session goes on."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import Static

from wpe_tui.crash_report import CrashReport, save_report
from wpe_tui.widgets import Footer

MESSAGE = "Something went wrong inside wpe-tui. Your session is still open; nothing was sent."
HINT = (
    "y copies the report below, s saves it to a file: please add it to a bug report. "
    "esc goes back to where you were."
)


class CrashScreen(Screen[None]):
    """One or more unexpected errors since it opened, newest last; the key is shown as ***."""

    HELP_TITLE = "the error report"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "copy_report", "Copy report"),
        Binding("s", "save_report", "Save to file"),
        Binding("escape,q", "back", "Back"),
        Binding("ctrl+q", "app.quit", "Quit"),
    ]

    def __init__(self, report: CrashReport) -> None:
        super().__init__(id="crash")
        self.reports = [report]
        self.saved_to: str | None = None

    @property
    def report_text(self) -> str:
        """What `y` copies and `s` saves: every report, already redacted."""
        return "\n\n".join(report.text for report in self.reports) + "\n"

    def compose(self) -> ComposeResult:
        yield Static(self._title(), id="title-bar")
        yield Static(MESSAGE, id="crash-message", markup=False)
        yield Static(HINT, id="crash-hint", markup=False)
        with VerticalScroll(id="crash-report-box"):
            yield Static(Text(self.report_text.rstrip()), id="crash-report")
        yield Static("", id="crash-saved", classes="hidden", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#crash-report-box").focus()  # arrows and PgUp/PgDn scroll the report

    def _title(self) -> Text:
        count = len(self.reports)
        errors = "an unexpected error" if count == 1 else f"{count} unexpected errors"
        return Text(f"wpe-tui · {errors} · {self.reports[-1].summary}", no_wrap=True)

    def add(self, report: CrashReport) -> None:
        """Another error while this screen is open: it joins the report."""
        self.reports.append(report)
        self.query_one("#title-bar", Static).update(self._title())
        self.query_one("#crash-report", Static).update(Text(self.report_text.rstrip()))

    def action_copy_report(self) -> None:
        # OSC 52: travels over SSH and tmux to the user's own clipboard.
        self.app.copy_to_clipboard(self.report_text)
        self.notify("Copied the error report (the API key is shown as ***)", timeout=4)

    def action_save_report(self) -> None:
        try:
            path = save_report(self.report_text)
        except OSError as error:
            self.notify(
                f"Could not save the report: {error.strerror or error}",
                severity="error",
                markup=False,
            )
            return
        self.saved_to = str(path)
        saved = self.query_one("#crash-saved", Static)
        saved.update(f"Saved to {path} (readable by you only)")
        saved.remove_class("hidden")
        self.notify(f"Saved the report to {path}", timeout=6, markup=False)

    def action_back(self) -> None:
        self.dismiss()
