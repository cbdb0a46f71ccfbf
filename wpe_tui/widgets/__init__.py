"""Reusable widgets. They know nothing of the API client."""

from wpe_tui.widgets.disk_usage_bar import DiskUsageBar
from wpe_tui.widgets.footer import Footer
from wpe_tui.widgets.offline_banner import OfflineBanner
from wpe_tui.widgets.paged_table import Column, PagedTable, PageResult, Row
from wpe_tui.widgets.tab_bar import TabBar
from wpe_tui.widgets.title_bar import Part, TitleBar

__all__ = [
    "Column",
    "DiskUsageBar",
    "Footer",
    "OfflineBanner",
    "PageResult",
    "PagedTable",
    "Part",
    "Row",
    "TabBar",
    "TitleBar",
]
