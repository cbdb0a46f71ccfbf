"""`DiskUsageBar`: used of total as a bar, coloured from 80 % and 95 %."""

from __future__ import annotations

from rich.text import Text
from textual.widget import Widget

from wpe_tui.text import clean


def _number(value: float) -> str:
    return f"{value:,.1f}".rstrip("0").rstrip(".") if value % 1 else f"{value:,.0f}"


class DiskUsageBar(Widget):
    """Shows "▇▇▇▇▁▁▁ 2.5 / 10 GB (25 %)"; anything missing reads "—"."""

    DEFAULT_CLASSES = "disk-ok"

    def __init__(
        self,
        used: float | None = None,
        total: float | None = None,
        unit: str | None = None,
        *,
        id: str | None = None,
    ) -> None:
        super().__init__(id=id)
        self.set_usage(used, total, unit)

    def set_usage(self, used: float | None, total: float | None, unit: str | None) -> None:
        self.used, self.total, self.unit = used, total, unit
        percent = self.percent
        self.set_class(percent is not None and percent < 80, "disk-ok")
        self.set_class(percent is not None and 80 <= percent < 95, "disk-warning")
        self.set_class(percent is not None and percent >= 95, "disk-danger")
        self.refresh()

    @property
    def percent(self) -> float | None:
        if self.used is None or self.total is None or self.total <= 0:
            return None
        return 100.0 * self.used / self.total

    def render(self) -> Text:
        unit = f" {clean(self.unit)}" if self.unit else ""
        if self.percent is None or self.used is None or self.total is None:
            used = "—" if self.used is None else _number(self.used)
            total = "—" if self.total is None else _number(self.total)
            return Text(f"{used} / {total}{unit}")
        percent = self.percent
        label = f" {_number(self.used)} / {_number(self.total)}{unit} ({percent:.0f} %)"
        if percent > 100:
            label += f" over quota by {_number(self.used - self.total)}{unit}"
        width = max(10, min(40, self.size.width - len(label)))
        filled = min(width, round(width * percent / 100))
        bar = Text("█" * filled, style="bold")
        bar.append("░" * (width - filled), style="dim")
        return bar + Text(label)
