"""`FormModal`: the guard rails every modal that changes something shares.

- The first field has focus when it opens; `ctrl+s` submits, `escape` cancels.
- The modal does not know the client: the screen gives it a `send` coroutine.
- The submit button is disabled while the request is in flight and a second
  `ctrl+s` is ignored, so one confirmed action is one request.
- A validation error is shown beside its field; any error keeps the modal open
  with everything typed still there.
- A write whose outcome is unknown (a timeout, a dropped connection, a gateway's 5xx)
  is never called "nothing changed": the modal checks whether it was applied and says
  what it found; while it cannot tell, ctrl+s asks before sending it again.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable
from typing import Any, ClassVar, Generic, TypeVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Button, Input, Static

from wpe_tui.api import ApiError, OutcomeUnknownError, ValidationError
from wpe_tui.core.outcome import Uncheckable, Verdict, WriteCheck

R = TypeVar("R")

Problems = dict[str, str]


def error_id(field: str) -> str:
    """The id of the line showing a field's error: "source.branch" → "error-source-branch"."""
    return "error-" + field.replace(".", "-").replace("_", "-")


class FieldError(Static):
    """The line under a field; empty (and taking no room) until there is an error."""

    def __init__(self, field: str) -> None:
        super().__init__("", id=error_id(field), classes="field-error", markup=False)
        self.field = field
        self.display = False

    def show(self, message: str | None) -> None:
        self.update(message or "")
        self.display = bool(message)


class FormModal(ModalScreen[R | None], Generic[R]):
    """Subclasses give `fields()`, `check()` and `send()`; `dismiss(result)` on success."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "submit", "Submit", priority=True),
        Binding("escape", "cancel", "Cancel"),
    ]

    TITLE: ClassVar[str] = ""
    SUBMIT_LABEL: ClassVar[str] = "Submit"
    SUBMIT_VARIANT: ClassVar[str] = "primary"
    HELP_TITLE = "this form"

    def __init__(
        self,
        send: Callable[..., Awaitable[R]],
        *,
        check: WriteCheck | None = None,
        on_outcome: Callable[[str], None] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self._send = send
        self.check_write = check or Uncheckable()
        self.on_outcome = on_outcome  # the activity hears "unknown, checking" and after
        self.sending = False
        self.unsure: str | None = None  # the last attempt may have been applied: why
        self.blocked: str | None = None  # a reason nothing may be sent at all

    # -- to be filled in by each form -----------------------------------------

    def title_text(self) -> str | Text:
        return self.TITLE

    def fields(self) -> Iterable[Widget]:
        """The widgets between the title and the buttons."""
        return ()

    def check(self) -> Problems:
        """Problems found before sending, by field; empty when the form may be sent."""
        return {}

    def arguments(self) -> dict[str, Any]:
        """The keyword arguments of `send`, read from the fields."""
        return {}

    def first_field(self) -> Widget | None:
        return None

    # -- shared ---------------------------------------------------------------

    def compose(self) -> ComposeResult:
        with Vertical(id="form-box", classes="form-box"):
            yield Static(self.title_text(), classes="form-title")
            yield from self.fields()
            yield FieldError("form")
            with Horizontal(classes="form-buttons"):
                yield Button(
                    f"{self.SUBMIT_LABEL} (ctrl+s)",
                    id="submit",
                    variant=self.SUBMIT_VARIANT,  # type: ignore[arg-type]
                    compact=True,
                )
                yield Button("Cancel (esc)", id="cancel", compact=True)

    def on_mount(self) -> None:
        if self.blocked is not None:
            self.query_one("#submit", Button).disabled = True
            self.show_error("form", self.blocked)
            self.query_one("#cancel", Button).focus()
            return
        first = self.first_field()
        if first is not None:
            first.focus()

    @on(Button.Pressed, "#submit")
    @on(Input.Submitted)
    def _submit_pressed(self) -> None:
        self.action_submit()

    @on(Button.Pressed, "#cancel")
    def _cancel_pressed(self) -> None:
        self.action_cancel()

    def action_cancel(self) -> None:
        # A request already sent cannot be taken back; closing only stops waiting for it.
        self.workers.cancel_node(self)
        self.dismiss(None)

    def action_submit(self) -> None:
        if self.sending:
            return  # the request is on its way: a second ctrl+s must not send it again
        if self.blocked is not None:
            self.show_error("form", self.blocked)
            return
        self.clear_errors()
        problems = self.check()
        if problems:
            for field, message in problems.items():
                self.show_error(field, message)
            self._focus_field(next(iter(problems)))
            return
        if self.unsure is not None:
            self._ask_before_resending()
            return
        self._start_sending()

    def _ask_before_resending(self) -> None:
        from wpe_tui.modals.confirm import ConfirmModal

        async def yes() -> bool:
            return True

        question = Text.assemble(
            "The last attempt may have been applied: ",
            (self.unsure or "", "bold"),
            ". Sending it again could do it twice. Send it again?",
        )
        modal: ConfirmModal[bool] = ConfirmModal("Send again?", question, "Send again", yes)

        def answered(again: bool | None) -> None:
            if again:
                self.unsure = None
                self._start_sending()

        self.app.push_screen(modal, callback=answered)

    def _start_sending(self) -> None:
        self.sending = True
        self.query_one("#submit", Button).disabled = True
        self.show_error("form", "Sending…")
        self.run_worker(self._send_once(), group="submit")

    async def _send_once(self) -> None:
        arguments = self.arguments()
        await self.check_write.before()  # what is there now, to tell a new one from
        try:
            result = await self._send(**arguments)
        except OutcomeUnknownError as error:
            await self._unknown(error)
            return
        except ValidationError as error:
            self._failed()
            shown = False
            for field, messages in error.fields.items():
                shown = self.show_error(field, "; ".join(messages)) or shown
            if not shown or not error.fields:
                self.show_error("form", str(error))
            else:
                self.show_error("form", "The API refused this: see the fields above.")
            return
        except ApiError as error:
            self._failed()
            self.show_error("form", f"{error}. Nothing changed; ctrl+s to try again.")
            return
        self.sending = False
        self.dismiss(result)

    async def _unknown(self, error: OutcomeUnknownError) -> None:
        """Sent, with no answer to say whether it was done: find out before anything."""
        self._tell_outcome("unknown, checking")
        self.show_error(
            "form", f"{error}. The outcome is unknown: checking whether it was applied…"
        )
        outcome = await self.check_write.after()
        self._failed()
        if outcome.verdict is Verdict.APPLIED:
            self._tell_outcome("applied")
            self.notify("The request timed out, but it was applied.", timeout=6)
            self.dismiss(outcome.found)
            return
        if outcome.verdict is Verdict.NOT_APPLIED:
            self._tell_outcome("not applied")
            self.show_error("form", f"{error}. It was not applied: ctrl+s sends it again.")
            return
        self.unsure = (
            "sent, and no answer came"
            if outcome.verdict is Verdict.UNKNOWN
            else ("sent, and this API gives no way to check")
        )
        self._tell_outcome("unknown")
        if outcome.verdict is Verdict.UNCHECKABLE:
            said = "The request was sent, and the outcome cannot be checked on this API"
        else:
            said = "Still unknown: the check could not read it back"
        self.show_error("form", f"{error}. {said}; ctrl+s asks before sending it again.")

    def _tell_outcome(self, status: str) -> None:
        if self.on_outcome is not None:
            self.on_outcome(status)

    def _failed(self) -> None:
        self.sending = False
        self.query_one("#submit", Button).disabled = False

    def clear_errors(self) -> None:
        for line in self.query(FieldError):
            line.show(None)

    def show_error(self, field: str, message: str) -> bool:
        """Show `message` under `field` (or under the form); False if there is no such field."""
        lines = self.query(f"#{error_id(field)}")
        if not lines:
            # A nested field ("contents.database") falls back to its parent ("contents").
            parent = field.rsplit(".", 1)[0] if "." in field else None
            if parent is not None:
                return self.show_error(parent, message)
            if field != "form":
                self.show_error("form", f"{field}: {message}")
            return False
        line = lines.first(FieldError)
        line.show(message)
        return True

    def _focus_field(self, field: str) -> None:
        target = self.query(f"#{field.replace('.', '-').replace('_', '-')}")
        if target and target.first().focusable:
            target.first().focus()
