"""The TLS context made ahead of time still checks certificates and host names."""

from __future__ import annotations

import ssl

from wpe_tui import tls


def test_the_context_made_in_the_background_verifies_the_server() -> None:
    tls.prepare()
    context = tls.context()
    assert context.verify_mode == ssl.CERT_REQUIRED
    assert context.check_hostname
    assert context.get_ca_certs(), "a CA bundle is loaded"
    assert tls.context() is context, "made once, shared"
