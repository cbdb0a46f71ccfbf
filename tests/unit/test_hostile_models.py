"""Hostile text and sparse answers, before they reach a screen.

`clean` is what stands between the API and the user's terminal; the row builders
are what every table shows. Each hostile kind is checked on them directly, and
every optional field of the spec's examples is nulled or removed to show that
what comes out is a dash, never a crash.
"""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from rich.text import Text

from wpe_tui.api import Backup, Deployment, Page, Site, is_final
from wpe_tui.fake import FakeAccount
from wpe_tui.fake.account import ListParams
from wpe_tui.fake.records import OMIT
from wpe_tui.kinds.backup import backup_row
from wpe_tui.kinds.cells import status_text
from wpe_tui.kinds.deployment import deployment_row
from wpe_tui.kinds.site import site_row
from wpe_tui.text import MAX_CHARS, clean, dash

FIXTURES = Path(__file__).parent / "fixtures"
STEERING = re.compile(r"[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def example(name: str) -> Any:
    return json.loads((FIXTURES / f"{name}.json").read_text())


# -- clean: what may reach the terminal --------------------------------------------


@pytest.mark.parametrize(
    ("hostile", "shown"),
    [
        pytest.param("\x1b[1;31mred\x1b[0m", "red", id="csi-colour"),
        pytest.param("a\x1b[2J\x1b[Hb", "ab", id="csi-clear-screen"),
        pytest.param("\x1b]0;pwned\x07title", "title", id="osc-title-bel"),
        pytest.param("\x1b]0;pwned\x1b\\title", "title", id="osc-title-st"),
        pytest.param("x\x1b]52;c;cHduZWQ=\x07y", "xy", id="osc52-clipboard"),
        pytest.param("\x1b]8;;https://evil.example\x07link\x1b]8;;\x07", "link", id="osc8-link"),
        pytest.param("\x1bP+q544e\x1b\\ok", "ok", id="dcs"),
        pytest.param("\x1b_apc payload\x1b\\ok", "ok", id="apc"),
        pytest.param("\x1b^pm payload\x1b\\ok", "ok", id="pm"),
        pytest.param("a\x9b2Jb", "ab", id="8-bit-csi"),
        pytest.param("a\x1b7b\x1b8c", "abc", id="save-restore-cursor"),
        pytest.param("\x1b(0lqqk\x1b(B", "lqqk", id="line-drawing-charset"),
        pytest.param("\x1bcreset", "reset", id="full-reset"),
        pytest.param("unterminated \x1b]0;pwned", "unterminated ", id="osc-unterminated"),
        pytest.param("lone \x1b", "lone ", id="lone-esc"),
    ],
)
def test_escape_sequences_are_removed_with_their_payload(hostile: str, shown: str) -> None:
    assert clean(hostile) == shown
    assert clean(hostile, keep_newlines=True) == shown


def test_control_characters_become_spaces_and_the_text_stays_on_one_line() -> None:
    assert clean("a\x00b\x07c\x08d\re\nf\x7fg\x85h\ti") == "a b c d e f g h    i"


def test_bidi_overrides_go_but_right_to_left_letters_and_emoji_stay() -> None:
    assert clean("\u202eexe.txt\u202c") == "exe.txt"  # no "Trojan Source" reordering
    assert clean("\u2067שלום\u2069 مرحبا 🚀 e\u0301") == "שלום مرحبا 🚀 e\u0301"


def test_a_10kb_value_is_cut_to_a_screenful_with_an_ellipsis() -> None:
    shown = clean("x" * 10_000)
    assert len(shown) == MAX_CHARS
    assert shown.endswith("…")
    assert clean("x" * MAX_CHARS) == "x" * MAX_CHARS  # a value that fits is left whole


def test_a_log_keeps_its_lines_and_shows_what_a_carriage_return_left() -> None:
    log = "\n".join(
        [
            "\x1b[32mstep 1\x1b[0m\r",
            "Receiving:  10%\rReceiving:  50%\rReceiving: 100%",
            "abcdef\rXY",
            "bell\x07 tab\there",
            "x" * 10_000,
        ]
    )
    assert clean(log, keep_newlines=True).split("\n") == [
        "step 1",
        "Receiving: 100%",
        "XYcdef",  # as a terminal would show it
        "bell tab    here",
        "x" * 10_000,  # logs are never cut
    ]


@given(st.text())
def test_nothing_that_steers_a_terminal_survives_clean(text: str) -> None:
    shown = clean(text)
    assert STEERING.search(shown) is None
    assert len(shown) <= MAX_CHARS
    assert clean(shown) == shown
    for line in clean(text, keep_newlines=True).split("\n"):
        assert STEERING.search(line) is None


@given(st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cc",)), max_size=40))
def test_markup_like_text_is_kept_verbatim(text: str) -> None:
    # Square brackets are data: clean never escapes or drops them.
    assert clean(f"[bold]{text}[/]").startswith("[bold]")
    assert clean(f"[bold]{text}[/]").endswith("[/]")


# -- null and missing optional fields --------------------------------------------


def null_everything(value: Any, keep: frozenset[str] = frozenset({"id"})) -> Any:
    """Every field below the envelope set to null, except the required IDs."""
    if isinstance(value, dict):
        return {k: (v if k in keep else None) for k, v in value.items()}
    return value


def drop_everything(value: Any, keep: frozenset[str] = frozenset({"id"})) -> Any:
    if isinstance(value, dict):
        return {k: v for k, v in value.items() if k in keep}
    return value


def sparse_pages(name: str, sparsen: Any) -> Any:
    payload = copy.deepcopy(example(name))
    payload["results"] = [sparsen(item) for item in payload["results"]]
    return payload


ROW_BUILDERS = [
    pytest.param("list_sites", Site, site_row, id="sites"),
    pytest.param("list_backups", Backup, backup_row, id="backups"),
    pytest.param("list_deployments", Deployment, deployment_row, id="deployments"),
]


def plain(cell: str | Text) -> str:
    return cell.plain if isinstance(cell, Text) else cell


@pytest.mark.parametrize("sparsen", [null_everything, drop_everything], ids=["null", "missing"])
@pytest.mark.parametrize(("name", "model", "row"), ROW_BUILDERS)
def test_a_row_of_nothing_but_an_id_reads_as_dashes(
    name: str, model: type[Any], row: Any, sparsen: Any
) -> None:
    page = Page[model].model_validate(sparse_pages(name, sparsen))  # type: ignore[valid-type]
    assert len(page.results) == 2
    for item in page.results:
        cells = [plain(cell) for cell in row(item).cells]
        id_cells = [cell for cell in cells if cell == item.id]
        assert all(cell == "—" for cell in cells if cell != item.id), cells
        assert len(id_cells) + cells.count("—") == len(cells)


@pytest.mark.parametrize(
    ("name", "model"),
    [("get_site", Site), ("get_backup", Backup), ("get_deployment", Deployment)],
)
def test_nested_objects_full_of_nulls_parse(name: str, model: type[Any]) -> None:
    payload = example(name)
    for key, value in payload.items():
        if isinstance(value, dict):
            payload[key] = dict.fromkeys(value)
        elif isinstance(value, list):
            payload[key] = [dict.fromkeys(item) for item in value]
    item = model.model_validate(payload)
    assert item.id == payload["id"]


def test_a_null_content_flag_reads_as_a_missing_one() -> None:
    backup = Backup.model_validate({"id": "b", "contents": {"database": None, "files": False}})
    assert backup.contents is not None
    assert backup.contents.selected() == ["database", "plugins", "themes"]


def test_null_pagination_and_results_are_an_empty_page() -> None:
    page = Page[Site].model_validate({"results": None, "pagination": None})
    assert page.results == [] and page.pagination.total == 0


# -- statuses nobody told us about ------------------------------------------------


@pytest.mark.parametrize("status", ["exploding", "ROLLING_BACK", "[/]", "\x1b[5mblink"])
def test_an_unknown_status_reads_as_text_and_stays_live(status: str) -> None:
    shown = status_text(status)
    assert shown.plain == "? " + clean(status).replace("_", " ")  # marked as not one we know
    assert shown.plain  # never dropped
    assert not is_final(status)  # refreshed until it becomes one we know is final
    site = Site.model_validate({"id": "s", "status": status})
    assert plain(site_row(site).cells[1]) == shown.plain


def test_a_status_with_no_value_reads_as_a_dash() -> None:
    assert status_text(None).plain == "—" and status_text("").plain == "—"
    assert dash(None) == "—" and dash("") == "—"


# -- the fake can serve all of it ---------------------------------------------------


def test_the_fake_serves_null_missing_and_odd_fields_on_request() -> None:
    account = FakeAccount(sites=3, seed=1)
    site_id = account.site_id(0)
    account.site_record(site_id).overrides = {"url": None, "status": "exploding", "name": OMIT}
    listed = account.list_sites(ListParams(per_page=3))["results"][0]
    detail = account.get_site(site_id)
    for body in (listed, detail):
        assert body["url"] is None and body["status"] == "exploding" and "name" not in body
    backup = next(iter(account.backup_records(site_id).values()))
    backup.overrides = {"description": None, "contents": OMIT}
    assert account.get_backup(site_id, backup.id)["description"] is None
    assert "contents" not in account.get_backup(site_id, backup.id)
    deployment = next(iter(account.deployment_records(site_id).values()))
    deployment.overrides = {"logs": "\x1b[31mred\x1b[0m"}
    assert account.get_deployment(site_id, deployment.id)["logs"] == "\x1b[31mred\x1b[0m"
