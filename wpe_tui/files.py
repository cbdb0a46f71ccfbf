"""Files only the user may read: the config (it can hold the API key) and the state
file (the operations started), written whole or not at all."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def write_private(path: Path, payload: bytes, *, prefix: str) -> None:
    """Replace `path` with `payload` atomically: mode 0600 from the first byte, its
    directory made 0700 if missing, through a symlink (dotfile managers) rather than
    over it. Raises OSError; a failed write leaves no temporary file behind."""
    target = Path(os.path.realpath(path))
    tmp_name: str | None = None
    try:
        target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        # mkstemp creates the file 0600, so it is never readable by others, even briefly.
        fd, tmp_name = tempfile.mkstemp(dir=target.parent, prefix=prefix, suffix=".tmp")
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp_name, target)
        tmp_name = None
    finally:
        if tmp_name is not None:
            Path(tmp_name).unlink(missing_ok=True)


def why(error: OSError) -> str:
    """What went wrong, in a few lower-case words ("permission denied")."""
    return (error.strerror or type(error).__name__).lower()
