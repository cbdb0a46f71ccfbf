"""Whether every failure the user had to hear of was told by a toast."""

from __future__ import annotations

from tests.soak.report import CLOSED_WITHIN, SHOWN_WITHIN, FailedLoad, SoakReport, Toast

GONE_WORDS = ("no longer exists", "is gone")


def _quotes(toast: Toast, failed: FailedLoad) -> bool:
    return toast.severity == "error" and failed.message in toast.message


def _tells_gone(toast: Toast, failed: FailedLoad) -> bool:
    return failed.status == 404 and any(words in toast.message for words in GONE_WORDS)


def _match(failures: list[FailedLoad], toasts: list[Toast]) -> dict[int, int]:
    """A toast for as many failures as can have one, each toast told once: a maximum
    matching (augmenting paths), so that a failure never takes the toast another one
    needs while a toast of its own is left over. A toast counts for a failure when it
    comes within SHOWN_WITHIN seconds after it and quotes it (or, for a 404, says the
    item is gone). Returns {failure index: toast index}."""
    candidates = [
        [
            j
            for j, toast in enumerate(toasts)
            if failed.at <= toast.at <= failed.at + SHOWN_WITHIN
            and (_quotes(toast, failed) or _tells_gone(toast, failed))
        ]
        for failed in failures
    ]
    owner: dict[int, int] = {}  # toast: failure

    def assign(i: int, seen: set[int]) -> bool:
        for j in candidates[i]:
            if j in seen:
                continue
            seen.add(j)
            if j not in owner or assign(owner[j], seen):
                owner[j] = i
                return True
        return False

    for i in range(len(failures)):
        assign(i, set())
    return {i: j for j, i in owner.items()}


def check_errors_shown(report: SoakReport) -> None:
    """Each failed load that must be shown has a toast of its own, raised within
    SHOWN_WITHIN seconds after it: an error toast quoting the error, or for a 404 one
    saying in the view's own words that the item is gone. And each page a table reports
    as failed (its LoadFailed message) has an error toast quoting the error."""
    failures = [failed for failed in report.failed_loads if failed.excuse is None]
    matched = _match(failures, report.toasts)
    waiting: list[FailedLoad] = []
    for i, failed in enumerate(failures):
        if i in matched:
            failed.shown_by = report.toasts[matched[i]].message
            continue
        # An item that is gone is said once: one "no longer exists" tells of every
        # request that found it gone (the detail's, its list's, the follower's).
        gone = next(
            (
                toast
                for toast in report.toasts
                if failed.at <= toast.at <= failed.at + SHOWN_WITHIN and _tells_gone(toast, failed)
            ),
            None,
        )
        # One toast may tell of several different failures by quoting each (a site's
        # parts that could not be read, in one line); the same error twice needs two.
        combined = next(
            (
                report.toasts[j]
                for other, j in matched.items()
                if failures[other].message != failed.message
                and failed.at <= report.toasts[j].at <= failed.at + SHOWN_WITHIN
                and _quotes(report.toasts[j], failed)
            ),
            None,
        )
        if gone is not None:
            failed.shown_by = gone.message
        elif combined is not None:
            failed.shown_by = combined.message
        else:
            waiting.append(failed)
    for table_failed in report.tables_failed:
        closed = report.screens_closed.get(table_failed.screen or 0)
        if closed is not None and 0 <= closed - table_failed.at <= CLOSED_WITHIN:
            table_failed.excuse = "a page of a view closing as it failed"
            continue  # its screen's handler never ran: the user had left it
        # A table said one of its pages failed: an error toast must quote it (the same
        # toast may also count above: one failure, seen at both ends).
        if not any(
            _quotes(toast, table_failed) and toast.at >= table_failed.at for toast in report.toasts
        ):
            waiting.append(table_failed)
    for failed in waiting:
        after = [
            f"{t.severity}: {t.message[:70]}"
            for t in report.toasts
            if failed.at <= t.at <= failed.at + 10
        ]
        near = [
            f"{other.method_path} {other.status} [{other.excuse or other.group}]"
            f" -> {(other.shown_by or 'nothing')[:50]}"
            for other in report.failed_loads
            if other is not failed and abs(other.at - failed.at) <= 10
        ]
        after.append(f"failures within 10 s: {near or 'none'}")
        group = f" (worker group {failed.group!r})" if failed.group != "-" else ""
        report.fail(
            f"step {failed.step}: {failed.method_path} failed for {failed.view}{group} "
            f"and no toast said so: {failed.message} "
            f"(toasts in the 10 s after: {after or 'none'})"
        )
