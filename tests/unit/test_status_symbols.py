"""Statuses read without colour (NO_COLOR): each kind of outcome has its own symbol."""

from __future__ import annotations

from wpe_tui.kinds.cells import status_text


def symbol(status: str) -> str:
    return status_text(status).plain.split(" ")[0]


def test_failed_and_completed_differ_without_colour() -> None:
    assert symbol("failed") != symbol("completed")
    assert symbol("in_progress") not in (symbol("failed"), symbol("completed"))
    assert symbol("deleting") not in (symbol("failed"), symbol("completed"))


def test_an_unknown_status_shows_as_sent_with_a_question_mark() -> None:
    assert status_text("quarantined").plain == "? quarantined"
