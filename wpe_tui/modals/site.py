"""`NewSiteModal` and `EditSiteModal`."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from rich.text import Text
from textual.widget import Widget
from textual.widgets import Input, Label, RadioSet

from wpe_tui.api import Site
from wpe_tui.modals.form import FieldError, FormModal, Problems
from wpe_tui.modals.restore import site_label
from wpe_tui.widgets.toggles import Choice

NEW_SITE_ENVIRONMENTS = ("production", "staging", "development")
EDITABLE_STATUSES = ("active", "inactive")


class NewSiteModal(FormModal[Site]):
    TITLE = "New site"
    SUBMIT_LABEL = "Create site"
    HELP_TITLE = "New site"
    HELP_TEXT = (
        "Creates a site with one environment. Empty versions take WP Engine's latest "
        "stable; a template starts it with content."
    )

    def __init__(self, send: Any, **options: Any) -> None:
        super().__init__(send, id="new-site-modal", **options)

    def fields(self) -> Iterable[Widget]:
        yield Label("Name")
        yield Input(placeholder="e.g. Acme Corp Blog", id="name")
        yield FieldError("name")
        yield Label("Environment")
        with RadioSet(id="environment"):
            for name in NEW_SITE_ENVIRONMENTS:
                yield Choice(name, value=name == "production", name=name)
        yield FieldError("environment")
        yield Label("PHP version")
        yield Input(placeholder="empty: latest stable, e.g. 8.2", id="php-version")
        yield FieldError("php_version")
        yield Label("WordPress version")
        yield Input(placeholder="empty: latest stable, e.g. 6.7", id="wordpress-version")
        yield FieldError("wordpress_version")
        yield Label("Template (optional)")
        yield Input(placeholder="e.g. blank, woocommerce", id="template")
        yield FieldError("template")

    def first_field(self) -> Widget:
        return self.query_one("#name", Input)

    def _value(self, widget_id: str) -> str | None:
        return self.query_one(f"#{widget_id}", Input).value.strip() or None

    def check(self) -> Problems:
        if self._value("name") is None:
            return {"name": "A site needs a name."}
        return {}

    def arguments(self) -> dict[str, Any]:
        pressed = self.query_one("#environment", RadioSet).pressed_button
        return {
            "name": self._value("name") or "",
            "environment": pressed.name if pressed is not None else None,
            "php_version": self._value("php-version"),
            "wordpress_version": self._value("wordpress-version"),
            "template": self._value("template"),
        }


class EditSiteModal(FormModal[Site]):
    """Sends only what changed, so nothing the user did not touch is rewritten."""

    SUBMIT_LABEL = "Save"
    HELP_TITLE = "Edit site"
    HELP_TEXT = (
        "Changes the site's name, PHP or WordPress version, or status. Only what you "
        "change is sent; a version field left empty is left as it is."
    )

    def __init__(self, site: Site, send: Any, **options: Any) -> None:
        super().__init__(send, id="edit-site-modal", **options)
        self.site = site

    def title_text(self) -> Text:
        return Text.assemble(("Edit ", "bold"), site_label(self.site), f" ({self.site.id})")

    def fields(self) -> Iterable[Widget]:
        site = self.site
        yield Label("Name")
        yield Input(site.name, id="name")
        yield FieldError("name")
        yield Label("PHP version")
        yield Input(site.php_version or "", placeholder="e.g. 8.2", id="php-version")
        yield FieldError("php_version")
        yield Label("WordPress version")
        yield Input(site.wordpress_version or "", placeholder="e.g. 6.7", id="wordpress-version")
        yield FieldError("wordpress_version")
        yield Label("Status")
        with RadioSet(id="status"):
            for status in EDITABLE_STATUSES:
                yield Choice(status, value=status == (site.status or "").lower(), name=status)
        yield FieldError("status")

    def first_field(self) -> Widget:
        return self.query_one("#name", Input)

    def changes(self) -> dict[str, str]:
        site = self.site
        wanted = {
            "name": self.query_one("#name", Input).value.strip(),
            "php_version": self.query_one("#php-version", Input).value.strip(),
            "wordpress_version": self.query_one("#wordpress-version", Input).value.strip(),
        }
        pressed = self.query_one("#status", RadioSet).pressed_button
        if pressed is not None and pressed.name:
            wanted["status"] = pressed.name
        current = {
            "name": site.name,
            "php_version": site.php_version or "",
            "wordpress_version": site.wordpress_version or "",
            "status": (site.status or "").lower(),
        }
        # An emptied version field means "leave it", not "set it to nothing".
        return {k: v for k, v in wanted.items() if v and v != current[k]}

    def check(self) -> Problems:
        if not self.query_one("#name", Input).value.strip():
            return {"name": "A site needs a name."}
        if not self.changes():
            return {"form": "Nothing changed; esc closes."}
        return {}

    def arguments(self) -> dict[str, Any]:
        return self.changes()
