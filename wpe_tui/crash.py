"""Kept only while `wpe_tui.launch` imports `redact` from here; nothing else may.

The error report is `wpe_tui.crash_report` (pure), the guard `wpe_tui.crash_guard`.
Delete this file once launch.py reads `from wpe_tui.crash_report import redact`.
"""

from wpe_tui.crash_report import redact

__all__ = ["redact"]
