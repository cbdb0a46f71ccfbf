"""`TokenWrap`: a long ID or URL broken into lines after its separators, for the width
it is drawn at.

Rich wraps at spaces only, and folds a long word wherever the width ends: a URL broke in
the middle of the ID it carries. Invisible break characters are no answer either: they
are not spaces to Rich, and they go along when the value is copied. This draws the value
itself, characters unchanged, line by line, and is laid out again at each new width.
"""

from __future__ import annotations

from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, RenderResult
from rich.measure import Measurement
from rich.segment import Segment
from rich.style import Style

# "_" joins the parts of one ID ("backup_10001020"): not a place to break. A "-" or "."
# may be inside one too (a UUID, a host), so a "/" or a query's separator is preferred.
STRONG = frozenset("/?&=#")
SEPARATORS = STRONG | frozenset("-.:")


def token_lines(text: str, width: int) -> list[str]:
    """``text`` in lines of at most ``width`` cells, each broken after the last separator
    that fits; a run with no separator that is longer than the width is folded."""
    width = max(1, width)
    lines: list[str] = []
    start = 0
    while cell_len(text[start:]) > width:
        end, used, last_break, last_strong = start, 0, -1, -1
        while end < len(text) and used + cell_len(text[end]) <= width:
            used += cell_len(text[end])
            end += 1
            if text[end - 1] in SEPARATORS:
                last_break = end
            if text[end - 1] in STRONG:
                last_strong = end
        if last_strong - start > width // 2:
            last_break = last_strong  # a whole path part, if it does not waste the line
        cut = last_break if last_break > start else max(end, start + 1)
        lines.append(text[start:cut])
        start = cut
    lines.append(text[start:])
    return lines


class TokenWrap:
    """A Rich renderable: ``text`` broken at token ends for the width it is given."""

    def __init__(self, text: str, style: str | Style = "") -> None:
        self.text = text
        self.style = Style.parse(style) if isinstance(style, str) else style

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        tokens = [cell_len(token) for token in _tokens(self.text)]
        return Measurement(min(max(tokens, default=1), 20), cell_len(self.text))

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        for line in token_lines(self.text, options.max_width):
            yield Segment(line, self.style)
            yield Segment.line()


def _tokens(text: str) -> list[str]:
    tokens, start = [], 0
    for i, char in enumerate(text):
        if char in SEPARATORS:
            tokens.append(text[start : i + 1])
            start = i + 1
    tokens.append(text[start:])
    return tokens
