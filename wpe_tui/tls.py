"""The TLS context for the API, made in a thread while the app imports.

Loading the CA bundle takes 50-90 ms on the way to the first rows, and OpenSSL
lets go of the GIL while it reads it, so `prepare()` at start-up makes it on the
other core. The context is the one httpx would make by default: SSL_CERT_FILE,
else SSL_CERT_DIR, else certifi's bundle. Standard library only, so that
importing this starts nothing heavy.
"""

from __future__ import annotations

import os
import ssl
import threading
from concurrent.futures import Future

_made: Future[ssl.SSLContext] | None = None
_lock = threading.Lock()


def _make() -> ssl.SSLContext:
    if os.environ.get("SSL_CERT_FILE"):
        return ssl.create_default_context(cafile=os.environ["SSL_CERT_FILE"])
    if os.environ.get("SSL_CERT_DIR"):
        return ssl.create_default_context(capath=os.environ["SSL_CERT_DIR"])
    import certifi

    return ssl.create_default_context(cafile=certifi.where())


def _run(future: Future[ssl.SSLContext]) -> None:
    try:
        future.set_result(_make())
    except BaseException as error:  # told to whoever asks for the context
        future.set_exception(error)


def prepare() -> None:
    """Start making the context in the background (once)."""
    global _made
    with _lock:
        if _made is not None:
            return
        _made = Future()
        threading.Thread(target=_run, args=(_made,), name="tls-context", daemon=True).start()


def context() -> ssl.SSLContext:
    """The context: the one `prepare()` started, or made now. A failure (a missing
    SSL_CERT_FILE) is raised here, as httpx would raise it."""
    prepare()
    assert _made is not None
    return _made.result()
