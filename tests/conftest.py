"""Shared by every test: timestamps render in UTC, whatever the machine's zone, and
no test reads or writes the real user's config."""

import os
import time
from collections.abc import Iterator

import pytest

os.environ["TZ"] = "UTC"
time.tzset()


@pytest.fixture(autouse=True)
def private_home(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Iterator[None]:
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    monkeypatch.setenv("XDG_STATE_HOME", str(home / ".state"))
    for name in ("WPE_API_KEY", "WPE_API_URL", "WPE_PROFILE"):
        monkeypatch.delenv(name, raising=False)
    yield
