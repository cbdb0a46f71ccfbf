"""The WP Engine Hosting Platform API adapter: its wire models, `PlatformClient` and
`PlatformBackend` (the app's `Backend` on this API). Never imports Textual or the core."""

from wpe_tui.api.platform.backend import PlatformBackend
from wpe_tui.api.platform.client import MAX_LIMIT, PLATFORM_BASE_URL, PlatformClient
from wpe_tui.api.platform.mapping import orphan_install_id, orphan_site_id
from wpe_tui.api.platform.session import PLATFORM_CAPABILITIES

__all__ = [
    "MAX_LIMIT",
    "PLATFORM_BASE_URL",
    "PLATFORM_CAPABILITIES",
    "PlatformBackend",
    "PlatformClient",
    "orphan_install_id",
    "orphan_site_id",
]
