"""Text from the API is data: these make it safe to put on a terminal."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime

# CSI, OSC (ended by BEL or ST), and other two-byte escapes; then any C0/C1
# control character left over. A name must never move the cursor, set the
# title or write to the clipboard of the user's terminal.
_ESCAPES = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]"  # CSI ... final byte
    r"|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?"  # OSC ... BEL or ST
    r"|\x1b[PX^_][^\x1b]*(?:\x1b\\)?"  # DCS, SOS, PM, APC
    r"|\x1b[ -/]*[0-~]?"  # other escapes (charset, keypad, reset, save cursor...), lone ESC
    r"|\x9b[0-?]*[ -/]*[@-~]"  # 8-bit CSI
)
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_CONTROLS_AND_NEWLINES = re.compile(r"[\x00-\x1f\x7f-\x9f]")
# Bidirectional embeddings, overrides and isolates ("Trojan Source"): inside a name
# they would reorder the columns drawn after it.
_BIDI = re.compile(r"[\u202a-\u202e\u2066-\u2069]")

# More than any name, URL or description needs; a 10 KB one still leaves room for
# the rest of a screen (logs, which keep their newlines, are not cut).
MAX_CHARS = 500


def clean(text: str | None, *, keep_newlines: bool = False) -> str:
    """`text` without escape sequences or control characters (tabs become spaces)."""
    if not text:
        return ""
    text = _BIDI.sub("", _ESCAPES.sub("", text)).replace("\t", "    ")
    if keep_newlines:
        lines = text.replace("\r\n", "\n").split("\n")
        return "\n".join(_CONTROLS.sub("", _overwritten(line)) for line in lines)
    text = _CONTROLS_AND_NEWLINES.sub(" ", text)
    return text if len(text) <= MAX_CHARS else text[: MAX_CHARS - 1] + "…"


def _overwritten(line: str) -> str:
    """What a terminal shows of a line that returns the carriage, as a progress bar
    does: each part is written over the start of what was there."""
    if "\r" not in line:
        return line
    shown = ""
    for part in line.split("\r"):
        shown = part + shown[len(part) :]
    return shown


def as_markup(text: str) -> str:
    """`text` as markup that shows it as it is, where Textual reads markup (the palette's
    prompts and help). Every `[` is escaped: Textual's own `escape` leaves an unclosed
    one ("a[/"), which its markup parser then fails on."""
    return text.replace("[", "\\[")


def without_scheme(url: str) -> str:
    """``https://a.example/x`` -> ``a.example/x``: what site search texts keep of a URL,
    and what a needle pasted with its scheme is cut to, so the two still meet."""
    return url.split("://", 1)[1] if "://" in url else url


def dash(value: object) -> str:
    """A value for display, or "—" when it is missing."""
    if value is None or value == "":
        return "—"
    if isinstance(value, datetime):
        return when(value)
    return clean(str(value))


def when(moment: datetime | None) -> str:
    """A full timestamp as the user reads it: local time to the minute, with its zone
    (the one date format of the app: year-month-day)."""
    if moment is None:
        return "—"
    return f"{when_short(moment)} {zone(moment.astimezone())}"


def zone(moment: datetime) -> str:
    """The time zone's short name ("CET", "UTC"), or its offset when it has none."""
    name = moment.tzname() or ""
    if name and not name.startswith(("+", "-")):
        return name
    return moment.strftime("UTC%z")


# What "today" is for `clock_time`; tests set it so that snapshots do not age.
now: Callable[[], datetime] = datetime.now


def clock_time(moment: datetime | None) -> str:
    """A time of day for today ("14:03"), else the short date."""
    if moment is None:
        return "—"
    local = moment.astimezone()
    if local.date() == now().astimezone().date():
        return local.strftime("%H:%M")
    return day(moment)


def when_short(moment: datetime | None) -> str:
    """A timestamp for a column: `when` without its zone, "2026-11-28 14:03" (local time;
    the zone is in the detail screen). One width and one order for every row, whatever
    the year: "2021-12-26" beside "04-11 10:18" read as two formats."""
    if moment is None:
        return "—"
    return f"{moment.astimezone():%Y-%m-%d %H:%M}"


def day(moment: datetime | None) -> str:
    """A date for a column where the time of day tells nothing (a site's creation)."""
    if moment is None:
        return "—"
    return f"{moment.astimezone():%Y-%m-%d}"


def freshness(moment: datetime | None, refreshing: bool) -> str:
    """A view's header part: "updated 14:03:10", and while a refresh is out (offline, it
    may be out for long) "updated 14:03:10 · refreshing…", so the age stays in sight."""
    if not refreshing:
        return updated(moment)
    return "refreshing…" if moment is None else f"{updated(moment)} · refreshing…"


def updated(moment: datetime | None) -> str:
    """How fresh a view's data is: "updated 14:03:10"."""
    if moment is None:
        return "not loaded yet"
    return f"updated {moment.astimezone():%H:%M:%S}"
