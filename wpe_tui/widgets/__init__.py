"""Reusable widgets. They know nothing of the API client."""

from wpe_tui.widgets.disk_usage_bar import DiskUsageBar
from wpe_tui.widgets.paged_table import Column, PagedTable, PageResult, Row

__all__ = ["Column", "DiskUsageBar", "PageResult", "PagedTable", "Row"]
