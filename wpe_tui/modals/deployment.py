"""`NewDeploymentModal`: environment, then a git or zip source with its own fields."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from rich.text import Text
from textual import on
from textual.containers import Vertical
from textual.widget import Widget
from textual.widgets import Input, Label, RadioSet

from wpe_tui.api import Deployment, DeploymentSource, Site
from wpe_tui.modals.confirm_name import ConfirmName
from wpe_tui.modals.form import FieldError, FormModal, Problems
from wpe_tui.modals.restore import PRODUCTION, environment_names, site_label
from wpe_tui.widgets.toggles import Choice


class NewDeploymentModal(FormModal[Deployment]):
    SUBMIT_LABEL = "Deploy"
    HELP_TITLE = "New deployment"
    HELP_TEXT = (
        "Deploys a git branch (at its latest commit, or the one you give) or a zip file "
        "to the environment you choose. Deploying to production asks for the site's "
        "name first."
    )

    def __init__(self, site: Site, send: Any, **options: Any) -> None:
        super().__init__(send, id="new-deployment-modal", **options)
        self.site = site
        self.environments = environment_names(site)

    def title_text(self) -> Text:
        return Text.assemble(("New deployment to ", "bold"), site_label(self.site))

    def fields(self) -> Iterable[Widget]:
        yield Label("Environment")
        with RadioSet(id="environment"):
            for name in self.environments:
                yield Choice(Text(name), name=name)
        yield FieldError("environment")
        yield Label("Source")
        with RadioSet(id="source-type"):
            yield Choice("git", value=True, name="git")
            yield Choice("zip", name="zip")
        yield FieldError("source.type")
        with Vertical(id="git-fields"):
            yield Label("Repository")
            yield Input(placeholder="e.g. github.com/acme/site", id="source-repository")
            yield FieldError("source.repository")
            yield Label("Branch")
            yield Input(placeholder="e.g. main", id="source-branch")
            yield FieldError("source.branch")
            yield Label("Commit (optional)")
            yield Input(placeholder="empty: the branch's latest", id="source-commit")
            yield FieldError("source.commit")
        with Vertical(id="zip-fields", classes="hidden"):
            yield Label("Zip URL")
            yield Input(placeholder="e.g. https://…/site.zip", id="source-zip-url")
            yield FieldError("source.zip_url")
        yield ConfirmName()

    def first_field(self) -> Widget:
        return self.query_one("#environment", RadioSet)

    @property
    def source_type(self) -> str:
        pressed = self.query_one("#source-type", RadioSet).pressed_button
        return pressed.name if pressed is not None and pressed.name else "git"

    @property
    def environment(self) -> str | None:
        pressed = self.query_one("#environment", RadioSet).pressed_button
        return pressed.name if pressed is not None else None

    @on(RadioSet.Changed, "#environment")
    def _environment_changed(self) -> None:
        production = self.environment == PRODUCTION
        name = site_label(self.site) if production else None
        self.query_one(ConfirmName).ask(name, "to deploy to production")
        self.query_one("#error-environment", FieldError).show(None)

    @on(RadioSet.Changed, "#source-type")
    def _type_changed(self) -> None:
        git = self.source_type == "git"
        self.query_one("#git-fields").set_class(not git, "hidden")
        self.query_one("#zip-fields").set_class(git, "hidden")

    def _value(self, widget_id: str) -> str | None:
        return self.query_one(f"#{widget_id}", Input).value.strip() or None

    def source(self) -> DeploymentSource:
        if self.source_type == "zip":
            return DeploymentSource(type="zip", zip_url=self._value("source-zip-url"))
        return DeploymentSource(
            type="git",
            repository=self._value("source-repository"),
            branch=self._value("source-branch"),
            commit=self._value("source-commit"),
        )

    def check(self) -> Problems:
        # The same rules the client applies, shown beside the fields before anything is sent.
        missing = self.source().missing_fields()
        problems = {field: messages[0] for field, messages in missing.items()}
        if self.environment is None:
            problems = {"environment": "Choose the environment to deploy to.", **problems}
        confirm = self.query_one(ConfirmName).problem("to deploy to production")
        if confirm:
            problems["confirm_name"] = confirm
        return problems

    def _focus_field(self, field: str) -> None:
        if field == "confirm_name":
            self.query_one(ConfirmName).focus_field()
        else:
            super()._focus_field(field)

    def arguments(self) -> dict[str, Any]:
        return {"environment": self.environment, "source": self.source()}
