"""`FormModal`: the guard rails every modal that changes something shares.

- The first field has focus when it opens; `ctrl+s` submits, `escape` cancels.
- Its own footer shows its own keys (`tab`, `space` on a choice, the number toggles as
  one entry, `ctrl+s` with its verb, `esc`, `F1`); the app's keys (`r`, `a`, `?`) do
  nothing inside a modal and are not shown. `F1`, or `?` outside a text field, opens
  its help: its keys and a sentence of what it does (`HELP_TITLE`, `HELP_TEXT`).
- Every field has a label. A field's error goes as soon as the field changes (and the
  form's error with it, when it was about that field). Errors have one style; a note
  ("Sending…", "checking…") is plain.
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
from textual.widgets import Button, Checkbox, Input, Label, RadioButton, RadioSet, Static

from wpe_tui.api import ApiError, OutcomeUnknownError, ValidationError
from wpe_tui.core.outcome import Uncheckable, Verdict, WriteCheck
from wpe_tui.modals.help import HelpEntry
from wpe_tui.widgets import Footer
from wpe_tui.widgets.choices import fit_choices
from wpe_tui.widgets.footer import ShownKey, Signature

R = TypeVar("R")

Problems = dict[str, str]

ANY_FIELD = "*"  # the form's error is about the form as a whole: any change clears it


def _normal(name: str) -> str:
    """ "source.zip_url" and "source-zip-url" alike: "source-zip-url"."""
    return name.replace(".", "-").replace("_", "-")


def error_id(field: str) -> str:
    """The id of the line showing a field's error: "source.branch" → "error-source-branch"."""
    return "error-" + field.replace(".", "-").replace("_", "-")


def sentence(message: str) -> str:
    """An error in the form's one style, whoever wrote it: the API's "must be one of:
    7.4, 8.0" reads "Must be one of: 7.4, 8.0." beside our own sentences."""
    message = message.strip()
    if message[:1].islower():
        message = message[0].upper() + message[1:]
    if message and (message[-1].isalnum() or message[-1] in ")\"'"):
        message += "."
    return message


class FieldError(Static):
    """The line under a field, or under the form; empty (and taking no room) until used.

    An error has the one error style (`field-error`); a note ("Sending…") is plain
    (`form-note`)."""

    def __init__(self, field: str) -> None:
        super().__init__("", id=error_id(field), classes="field-error", markup=False)
        self.field = field
        self.display = False

    def show(self, message: str | None, *, note: bool = False) -> None:
        if message and not note:
            message = sentence(message)
        self.update(message or "")
        self.display = bool(message)
        self.set_class(not note, "field-error")
        self.set_class(note, "form-note")

    @property
    def is_error(self) -> bool:
        return self.display and self.has_class("field-error")


CHOICES = (RadioSet, RadioButton, Checkbox)  # where `space` chooses
FOOTER_ORDER = ("tab", "space", "ctrl+s", "escape", "f1")  # other keys (toggles) after space


class ModalFooter(Footer):
    """The form's own keys: `ctrl+s` says the form's verb, `space` shows on a choice."""

    def signature(self) -> Signature:
        form = self.screen
        shown = list(super().signature())
        if isinstance(form, FormModal):
            shown = [
                key._replace(description=form.submit_verb) if key.key == "ctrl+s" else key
                for key in shown
            ]
        focused = self.screen.focused
        if isinstance(focused, CHOICES) and focused.can_focus:
            shown.append(ShownKey("space", "space", "Choose", True))

        def rank(key: ShownKey) -> int:
            if key.key in FOOTER_ORDER:
                position = FOOTER_ORDER.index(key.key)
                return position if position < 2 else position + 1
            return 2

        return tuple(sorted(shown, key=rank))


class FormModal(ModalScreen[R | None], Generic[R]):
    """Subclasses give `fields()`, `check()` and `send()`; `dismiss(result)` on success."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("tab", "app.focus_next", "Next field"),
        Binding("shift+tab", "app.focus_previous", "Previous field", show=False),
        Binding("ctrl+s", "submit", "Submit", priority=True),
        Binding("escape", "cancel", "Cancel"),
        Binding("f1", "help", "Help", key_display="F1"),
        # In a text field `?` is a character: the field takes it before this binding.
        # It also shadows the app's `?`, as nothing of the app's is reached from a modal.
        Binding("question_mark", "help", "Help", show=False),
    ]

    TITLE: ClassVar[str] = ""
    SUBMIT_LABEL: ClassVar[str] = "Submit"
    SUBMIT_VARIANT: ClassVar[str] = "primary"
    HELP_TITLE = "this form"
    HELP_TEXT: ClassVar[str] = ""  # a sentence of what the form does, for its help

    def __init__(
        self,
        send: Callable[..., Awaitable[R]],
        *,
        check: WriteCheck | None = None,
        on_outcome: Callable[[str], None] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        # Said under a field as the form opens (why it is empty), until the field changes.
        self.field_notes: dict[str, str] = {}
        self._send = send
        self.check_write = check or Uncheckable()
        self.on_outcome = on_outcome  # the activity hears "unknown, checking" and after
        self.sending = False
        self.unsure: str | None = None  # the last attempt may have been applied: why
        self.blocked: str | None = None  # a reason nothing may be sent at all
        self._form_about: set[str] = set()  # the fields the form's error is about

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

    def help_text(self) -> str:
        """What the form does, in a sentence or two (its help says it above its keys)."""
        return self.HELP_TEXT

    # -- shared ---------------------------------------------------------------

    @property
    def submit_verb(self) -> str:
        """What ctrl+s does here: "Restore", "Create backup", "Delete"..."""
        return self.SUBMIT_LABEL

    def compose(self) -> ComposeResult:
        yield ModalFooter(show_command_palette=False)
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
        self.call_after_refresh(fit_choices, self)
        for field in self.query(Input):
            # A prefilled field reached with tab keeps its text: selected, the next key
            # (a space meant for a toggle) would replace the addresses it holds.
            field.select_on_focus = False
        for name, message in self.field_notes.items():
            self.show_error(name, message)
        if self.blocked is not None:
            self.query_one("#submit", Button).disabled = True
            self.show_error("form", self.blocked)
            self.query_one("#cancel", Button).focus()
            return
        first = self.first_field()
        if first is not None:
            first.focus()

    def on_resize(self) -> None:
        self.call_after_refresh(fit_choices, self)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "submit" and (self.sending or self.blocked is not None):
            return None  # shown dimmed: nothing may be sent now
        return True

    def action_help(self) -> None:
        from wpe_tui.modals.help import FormHelp, KeysHelp

        if not isinstance(self.app.screen, KeysHelp):
            self.app.push_screen(FormHelp(self))

    def help_keys(self) -> list[HelpEntry]:
        """The form's keys, as its help lists them."""
        keys = [HelpEntry("tab", "Next field"), HelpEntry("shift+tab", "Previous field")]
        if self.query(RadioSet):
            keys.append(HelpEntry("↑ ↓ ← →", "Move between the choices"))
        if any(choice.can_focus for choice in self.query(RadioSet)) or any(
            box.can_focus for box in self.query(Checkbox)
        ):
            keys.append(HelpEntry("space", "Choose"))
        toggles = [box for box in self.query(Checkbox) if not box.can_focus]
        if toggles:
            names = [box.label.plain.split(" ", 1)[-1] for box in toggles]
            keys.append(HelpEntry(f"1-{len(toggles)}", "Toggle " + ", ".join(names)))
        enabled = not self.sending and self.blocked is None
        keys.append(HelpEntry("ctrl+s", self.submit_verb, enabled))
        keys.append(HelpEntry("esc", "Cancel: close without sending"))
        keys.append(HelpEntry("F1 ?", "This help (in a text field, ? is typed)"))
        return keys

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
                if field == "form":
                    self._form_about = {ANY_FIELD}  # about the form as a whole: any change
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
        self.show_note("Sending…")
        self.refresh_bindings()  # ctrl+s dims in the footer while the request is out
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
            shown: set[str] = set()
            for field, messages in error.fields.items():
                if self.show_error(field, "; ".join(messages)):
                    shown.add(field)
            if not shown or not error.fields:
                self.show_error("form", str(error))
            else:
                self.show_error("form", "The API refused this: see the fields above.")
                self._form_about = shown  # it goes once those fields are all changed
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
        self.show_note(f"{error}. The outcome is unknown: checking whether it was applied…")
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
        self.refresh_bindings()

    def clear_errors(self) -> None:
        for line in self.query(FieldError):
            line.show(None)
        self._form_about = set()

    def show_note(self, message: str) -> None:
        """A plain line under the form ("Sending…"): not an error, not about a field."""
        self.query_one(f"#{error_id('form')}", FieldError).show(message, note=True)
        self._form_about = set()

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
                self._form_about = {field}
            return False
        line = lines.first(FieldError)
        line.show(message)
        if field == "form":
            self._form_about = set()  # about no field, until the caller says otherwise
        return True

    # -- an error goes as soon as its field changes ---------------------------

    @on(Input.Changed)
    @on(RadioSet.Changed)
    @on(Checkbox.Changed)
    def _field_changed(self, event: Input.Changed | RadioSet.Changed | Checkbox.Changed) -> None:
        self.field_changed(event.control)

    def field_changed(self, widget: Widget) -> None:
        """`widget`'s value changed: its error goes, and the form's if it was about it."""
        names = {_normal(widget.id)} if widget.id else set()
        line = self.error_line_of(widget)
        if line is not None:
            names.add(_normal(line.field))
            if line.field != "form" and line.is_error:
                line.show(None)
        if not self._form_about:
            return
        about = {
            field
            for field in self._form_about
            if field != ANY_FIELD
            and not any(_normal(field) == n or _normal(field).startswith(n + "-") for n in names)
        }
        if about != self._form_about or ANY_FIELD in self._form_about:
            self._form_about = about
            form = self.query_one(f"#{error_id('form')}", FieldError)
            if not about and form.is_error:
                form.show(None)

    def error_line_of(self, widget: Widget) -> FieldError | None:
        """The error line of the field `widget` belongs to: the first line after it (or
        after the row holding it), before the next field's label."""
        node: Widget = widget
        while isinstance(node.parent, Widget) and node.parent is not self:
            siblings = list(node.parent.children)
            for sibling in siblings[siblings.index(node) + 1 :]:
                if isinstance(sibling, FieldError):
                    return sibling if sibling.field != "form" else None
                if isinstance(sibling, Label):
                    return None  # the next field begins: this one has no line of its own
            if node.parent.id == "form-box":
                return None
            node = node.parent
        return None

    def _focus_field(self, field: str) -> None:
        target = self.query(f"#{field.replace('.', '-').replace('_', '-')}")
        if target and target.first().focusable:
            target.first().focus()
