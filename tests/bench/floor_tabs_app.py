"""The floor of a tab switch: the least a Textual app does to show a site's three tabs.

A title line, a header, Textual's TabbedContent with an overview and two DataTables of
50 rows (backups and deployments, as the site detail shows them); no footer, so it
does less than a site detail does.
`1`, `2` and `3` switch tabs and focus the tab's table, as in wpe-tui. Its rows are
made here: the tab switch, not the network, is what is measured.
"""

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.widgets import DataTable, Static, TabbedContent, TabPane

ROWS = 50


class FloorTabs(App[None]):
    BINDINGS = [
        Binding("1", "tab('overview')", "Overview"),
        Binding("2", "tab('backups')", "Backups"),
        Binding("3", "tab('deployments')", "Deployments"),
        Binding("ctrl+q", "quit", "Quit"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.animation_level = "none"  # as wpe-tui: the tabs' underline slides no frames

    def compose(self) -> ComposeResult:
        yield Static("floor · sites › Acme Corp Blog")
        yield Static("Acme Corp Blog  active  https://acmecorpblog.example.test\nPHP 8.2")
        with TabbedContent(id="tabs"):
            with TabPane("1 Overview", id="overview"):
                yield Static("Environments\n  production  PHP 8.2\n  staging  PHP 8.2")
            with TabPane("2 Backups", id="backups"):
                yield DataTable(id="backup-table", cursor_type="row")
            with TabPane("3 Deployments", id="deployments"):
                yield DataTable(id="deployment-table", cursor_type="row")

    def on_mount(self) -> None:
        backups = self.query_one("#backup-table", DataTable)
        backups.add_columns("ID", "Description", "Type", "Status", "Created", "Size")
        backups.add_rows(
            (
                f"backup_{n:08}",
                f"Nightly {n}",
                "automatic",
                "completed",
                "2026-11-28 14:03",
                "1.2 GB",
            )
            for n in range(ROWS)
        )
        deployments = self.query_one("#deployment-table", DataTable)
        deployments.add_columns("ID", "Source", "Env", "Status", "Started", "Duration")
        deployments.add_rows(
            (f"deploy_{n:08}", f"git main@{n:07x}", "production", "completed", "2026-11-28", "42 s")
            for n in range(ROWS)
        )

    def action_tab(self, tab: str) -> None:
        self.query_one("#tabs", TabbedContent).active = tab
        if tab != "overview":
            self.query_one(f"#{tab[:-1]}-table", DataTable).focus()


if __name__ == "__main__":
    FloorTabs().run()
