"""`Overview`: the site detail's first tab — environments, disk usage, bandwidth."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Static

from wpe_tui.api import Site
from wpe_tui.kinds.cells import status_text
from wpe_tui.text import clean, dash, when
from wpe_tui.widgets import DiskUsageBar

HEADER_NAME_WIDTH = 28  # status and a wpengine.com URL still fit at 80 columns


class Overview(Vertical):
    def compose(self) -> ComposeResult:
        yield Static(id="environments")
        yield Static("Disk usage", classes="section-title", id="disk-title")
        yield DiskUsageBar(id="disk")
        yield Static(id="bandwidth")

    @staticmethod
    def header(site: Site) -> Text:
        # The header's rows do not wrap (CSS): a long name leaves room for status and URL.
        header = Text()
        name = Text(clean(site.name) or site.id, style="bold")
        name.truncate(HEADER_NAME_WIDTH, overflow="ellipsis")
        header.append_text(name)
        header.append("  ")
        header.append_text(status_text(site.status))
        header.append(f"  {dash(site.url)}\n")
        facts = [f"PHP {dash(site.php_version)}", f"WordPress {dash(site.wordpress_version)}"]
        if site.account_name:
            facts = [f"account {clean(site.account_name)}", *facts]
        facts += [f"created {when(site.created_at)}", f"updated {when(site.updated_at)}"]
        header.append(" · ".join(facts), style="dim")
        return header

    def show(self, site: Site) -> None:
        self.query_one("#environments", Static).update(self._environments(site))
        disk = site.disk_usage
        bar = self.query_one("#disk", DiskUsageBar)
        bar.set_usage(
            disk.used if disk else None, disk.total if disk else None, disk.unit if disk else None
        )
        title = "Disk usage"
        if disk is not None and disk.scope:
            title += f" (share of the {clean(disk.scope)})"
        if disk is not None and disk.used is None and disk.scope:
            title += ": not measured yet"
        elif "disk usage" in site.not_read:
            title += ": not read, r to retry"
        self.query_one("#disk-title", Static).update(title)
        self.query_one("#bandwidth", Static).update(self._bandwidth(site))

    def gone(self) -> None:
        self.screen.query_one("#site-header", Static).update(
            Text("This site no longer exists (404). esc to go back.", style="bold red")
        )

    @staticmethod
    def _environments(site: Site) -> Table:
        installs = any(env.install_id for env in site.environments)
        rows: list[list[Text]] = []
        for env in site.environments:
            cells = [Text(dash(env.name), style="bold")]
            if installs:
                cells += [
                    Text(dash(env.install_name)),
                    status_text(env.status),
                    Text(dash(env.php_version)),
                ]
            # The scheme says nothing here (the header has the whole URL, y copies it).
            cells.append(Text(dash(env.url).removeprefix("https://")))
            rows.append(cells)
        if not rows:
            rows.append([Text("—") for _ in range(5 if installs else 2)])
        headers = ["Environment", "Install", "Status", "PHP"] if installs else ["Environment"]
        table = Table(title=None, box=None, padding=(0, 2, 0, 0), show_edge=False)
        # Every column but the URL keeps its whole width: a narrow terminal cuts the URL.
        for index, header in enumerate(headers):
            widest = max([len(header), *(row[index].cell_len for row in rows)])
            table.add_column(header, no_wrap=True, min_width=widest)
        table.add_column("URL", overflow="ellipsis", no_wrap=True)
        for row in rows:
            table.add_row(*row)
        return table

    @staticmethod
    def _bandwidth(site: Site) -> Text:
        bandwidth = site.bandwidth
        period = clean(bandwidth.period) if bandwidth and bandwidth.period else "this month"
        amount = "—"
        if bandwidth is not None and bandwidth.current_month is not None:
            amount = f"{bandwidth.current_month:,.1f} {clean(bandwidth.unit or '')}".strip()
            if bandwidth.limit:
                share = 100 * bandwidth.current_month / bandwidth.limit
                amount += (
                    f" of {bandwidth.limit:,.0f} {clean(bandwidth.unit or '')} ({share:.0f} %)"
                )
        return Text.assemble((f"Bandwidth {period} ", "bold"), amount)
