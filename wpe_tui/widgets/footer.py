"""`Footer`: Textual's footer, rebuilt only when the keys it shows change."""

from __future__ import annotations

from typing import Any

from textual.screen import Screen
from textual.widgets import Footer as TextualFooter


class Footer(TextualFooter):
    """Textual's Footer rebuilds all its keys (a widget each) on every bindings signal:
    each focus change, screen push and `refresh_bindings()`. Opening a site sent five
    of them, 15-25 ms each on a small machine, before the answers could be drawn.
    Here the signals of one refresh make one check, and the keys are rebuilt only if
    what they would show changed.
    """

    _pending = False
    _shown: Any = None

    def _signature(self) -> Any:
        bindings = self.screen.active_bindings
        key_display = self.app.get_key_display
        shown = tuple(
            (key_display(binding), binding.action, binding.description, enabled, tooltip)
            for (_, binding, enabled, tooltip) in bindings.values()
            if binding.show
        )
        palette = bindings.get(self.app.COMMAND_PALETTE_BINDING)
        return shown, palette[2] if palette else None, self.compact, self.show_command_palette

    def bindings_changed(self, screen: Screen[Any]) -> None:
        self._bindings_ready = True
        if not screen.app.app_focus:
            return
        if self.is_attached and screen is self.screen and not self._pending:
            self._pending = True
            self.call_after_refresh(self._recompose_if_changed)

    async def _recompose_if_changed(self) -> None:
        self._pending = False
        if not self.is_attached:
            return
        signature = self._signature()
        if signature != self._shown:
            self._shown = signature
            await self.recompose()
