"""A form's row of choices stacks one under another when they do not fit.

Textual's horizontal layout clips what overflows, so "development
(acmecorpblodev)" lost its end at 80 columns; a stacked RadioSet shows every
choice whole. Styles: styles/modals.tcss, RadioSet.-stacked.
"""

from __future__ import annotations

from textual.widget import Widget
from textual.widgets import RadioButton, RadioSet

STACKED = "-stacked"


def needed_width(choices: RadioSet) -> int:
    """The width the choices take side by side, margins included."""
    return sum(
        button.outer_size.width + button.styles.margin.left + button.styles.margin.right
        for button in choices.query_children(RadioButton)
    )


def fit_choices(root: Widget) -> None:
    """Stack each RadioSet under `root` whose choices overflow its width."""
    for choices in root.query(RadioSet):
        room = choices.content_size.width
        if room <= 0:
            continue  # not laid out yet
        choices.set_class(needed_width(choices) > room, STACKED)
