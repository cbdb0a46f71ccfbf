"""Restores: listed in the activity only (no table shows them)."""

from __future__ import annotations

from typing import Any

from wpe_tui.api import Restore
from wpe_tui.kinds.base import Fact, KindUI
from wpe_tui.kinds.cells import status_text
from wpe_tui.text import dash, when


class RestoreUI(KindUI):
    name = "restore"

    def facts(self, item: Any) -> list[Fact]:
        restore: Restore = item
        return [
            ("ID", dash(restore.id)),
            ("Backup", dash(restore.backup_id)),
            ("Into", dash(restore.environment)),
            ("Status", status_text(restore.status)),
            ("Started", when(restore.created_at)),
            ("Done by", when(restore.estimated_completion_time)),
        ]
