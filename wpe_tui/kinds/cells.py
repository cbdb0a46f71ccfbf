"""How values read in a cell: statuses with a colour and a symbol, durations, URLs."""

from __future__ import annotations

from datetime import timedelta

from rich.text import Text

from wpe_tui.text import clean

# Each status has a symbol as well as a colour, so it reads under NO_COLOR too.
_STATUS_STYLES = {
    "active": ("green", "●"),
    "completed": ("green", "✓"),
    "inactive": ("dim", "○"),
    "failed": ("bold red", "✗"),
    "aborted": ("bold red", "✗"),
    "provisioning": ("yellow", "◌"),
    "pending": ("yellow", "◌"),
    "requested": ("yellow", "◌"),
    "initiated": ("yellow", "◌"),
    "in_progress": ("yellow", "◌"),
    "deleting": ("magenta", "✕"),
    "unreadable": ("bold red", "!"),
}
_UNKNOWN = ("", "?")
# Under NO_COLOR Textual draws every colour as a grey of its luminance: red comes out
# grey 237 on 233, next to invisible. A status that needs the eye is reversed instead.
_NO_COLOR_STYLES = {"bold red": "bold reverse"}
_no_color = False


def use_no_color(no_color: bool) -> None:
    """Whether statuses are drawn for a terminal without colour (the app's NO_COLOR)."""
    global _no_color
    _no_color = no_color


def status_text(status: str | None) -> Text:
    """A status in its colour, after its symbol (so it reads under NO_COLOR too: a
    failed backup never looks like a completed one); unknown ones plain, with a "?"."""
    if not status:
        return Text("—")
    label = clean(status).replace("_", " ")
    style, symbol = _STATUS_STYLES.get(status.lower(), _UNKNOWN)
    if _no_color:
        style = _NO_COLOR_STYLES.get(style, style)
    return Text(f"{symbol} {label}", style=style)


def duration(delta: timedelta | None) -> str:
    if delta is None:
        return "—"
    seconds = int(delta.total_seconds())
    if seconds < 0:
        return "—"
    minutes, seconds = divmod(seconds, 60)
    hours, minutes = divmod(minutes, 60)
    if hours >= 48:
        return f"{hours // 24}d"  # an item stuck for weeks: the days are what matter
    if hours:
        return f"{hours}h{minutes:02d}m"
    return f"{minutes}m{seconds:02d}s"


def short_url(url: str | None) -> str:
    """A URL without its https:// (every site has one; the host is what tells them apart)."""
    if not url:
        return "—"
    return clean(url.removeprefix("https://"))
