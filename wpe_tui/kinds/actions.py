"""What every change shares: the read-only refusal, and recording what was started.

Each kind's `open_*` functions push its modal with a `send` coroutine over the
session (one write, through the scheduler), and on success record the operation in
the activity, tell the user, and hand the result to the screen so it updates its rows.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

from textual.screen import Screen

from wpe_tui.api import ApiError, Deletion
from wpe_tui.core.activity import Operation
from wpe_tui.core.session import Session
from wpe_tui.text import clean, clock_time


def refuse(host: Screen[Any], session: Session, what: str) -> None:
    host.notify(
        f"Read-only mode ({session.read_only_reason}): {what} is turned off. Nothing was sent.",
        severity="warning",
        timeout=6,
    )


def allowed(host: Screen[Any], session: Session, what: str) -> bool:
    """False (and the user told why) in read-only mode: nothing may be sent."""
    if session.read_only:
        refuse(host, session, what)
        return False
    return True


def record(
    session: Session,
    action: str,
    kind: str,
    item: Any,
    *,
    site_id: str,
    site_name: str,
    default_status: str = "in_progress",
    detail: str = "",
    backup_id: str | None = None,
    followable: bool = True,
) -> Operation:
    """Put what the API just accepted in the activity; it is followed from there."""
    status = getattr(item, "status", None) or default_status
    return session.activity.started(
        Operation(
            action=action,
            kind=kind,
            item_id=str(item.id),
            site_id=site_id,
            site_name=site_name,
            status=status.lower(),
            # When the user sent it, by this machine's clock (the server's may differ).
            started_at=session.activity.now(),
            eta=getattr(item, "estimated_completion_time", None),
            detail=detail,
            backup_id=backup_id,
            followable=followable,
        )
    )


async def notification_emails(session: Session) -> tuple[list[str], str | None]:
    """Who WP Engine tells when an operation is done: the profile's addresses, else the
    current user's (asked once: the backend keeps it); and why there are none, if the
    user's address could not be read."""
    if session.settings.notification_emails:
        return list(session.settings.notification_emails), None
    backend = session.backend
    try:
        email = await session.read(backend.current_user_email)
    except ApiError as error:
        return [], f"Your address could not be read ({error}): type who to tell"
    return ([email] if email else []), None


class FieldNotes(Protocol):
    """A form pushed for the addresses (a `FormModal`): what to say under a field."""

    field_notes: dict[str, str]


def open_with_emails(
    host: Screen[Any], session: Session, push: Callable[[list[str]], FieldNotes]
) -> None:
    """Push a modal that needs the addresses to tell (an API that emails), once known."""
    if not session.capabilities.notification_emails:
        push([])
        return

    # Keys typed ahead wait for the modal, not for the screen underneath (see TypeAhead).
    opening = getattr(host, "opening", None)
    if isinstance(opening, int):
        host.opening = opening + 1  # type: ignore[attr-defined]

    async def fetch_then_push() -> None:
        try:
            emails, problem = await notification_emails(session)
            modal = push(emails)
            if problem is not None:
                # Under the form's empty field: a toast is put away while a form is open.
                modal.field_notes["notification_emails"] = problem
        finally:
            if isinstance(getattr(host, "opening", None), int):
                host.opening -= 1  # type: ignore[attr-defined]

    host.run_worker(fetch_then_push(), group="emails", exclusive=True)


def deleting(item: Any, deletion: Deletion) -> Any:
    """The item as the server now has it: deleting, with its estimate."""
    return item.model_copy(
        update={
            "status": deletion.status or "deleting",
            "estimated_completion_time": deletion.estimated_completion_time,
        }
    )


def deletion_done(
    host: Screen[Any],
    session: Session,
    kind: str,
    item: Any,
    site: Any,
    deleted: Callable[[Any], None],
) -> Callable[[Any], None]:
    """The callback of a delete's confirm modal: the item is shown deleting at once (in
    the store, so every view agrees), the operation goes to the activity, and the user is
    told. None: cancelled. Not a `Deletion`: the check found it deleting, or gone."""

    def done(deletion: Any) -> None:
        if deletion is None:
            return
        if not isinstance(deletion, Deletion):
            deletion = Deletion(id=item.id, status="deleting")
        now_deleting = deleting(item, deletion)
        session.store.put(kind, now_deleting, fetched_at=session.now())
        record(
            session, "delete", kind, deletion, site_id=site.id, site_name=site.name,
            default_status="deleting",
        )  # fmt: skip
        host.notify(f"{kind.capitalize()} {clean(deletion.id)} is being deleted")
        deleted(now_deleting)

    return done


class PendingWrite:
    """The activity's line for a write whose outcome is not known yet: "unknown,
    checking", then what the check found. An applied one gives way to the operation
    recorded for what it made."""

    def __init__(self, session: Session, title: str, site_id: str, site_name: str) -> None:
        self.session = session
        self.title = title
        self.site_id = site_id
        self.site_name = site_name
        self.op: Operation | None = None

    def __call__(self, status: str) -> None:
        activity = self.session.activity
        if self.op is None:
            if status == "applied":
                return
            sent = clock_time(activity.now())
            self.op = activity.started(
                Operation(
                    action="sent",
                    kind="site",  # followed never: there is nothing known to ask for
                    item_id=f"{self.title} (sent {sent})",
                    site_id=self.site_id,
                    site_name=self.site_name,
                    status=status,
                    started_at=activity.now(),
                    followable=False,
                )
            )
            return
        if status == "applied":
            activity.forget(self.op)
            self.op = None
        else:
            activity.set_status(self.op, status, final=status == "not applied")
