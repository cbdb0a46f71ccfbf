"""The wheel a user installs works on its own: styles inside, the app starts in demo mode.

The project is built as a real (non-editable) wheel, installed into a scratch
directory, and run from there in a fresh interpreter: the dependencies come from
this venv, `wpe_tui` from the wheel, so a file left out of the wheel fails here
even though the checkout has it.
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

import wpe_tui

ROOT = Path(__file__).resolve().parents[2]

# Runs in the installed wheel: prints what it checked, exits non-zero on any failure.
CHECK_INSTALLED = """
import asyncio
import sys
from pathlib import Path

target = Path(sys.argv[1]).resolve()
config_file = Path(sys.argv[2])

import wpe_tui

package = Path(wpe_tui.__file__).resolve().parent
assert package.parent == target, f"wpe_tui imported from {package}, not from the wheel"

from wpe_tui.app import STYLE_FILES, WpeApp, styles_dir

assert styles_dir() == package / "styles", styles_dir()
for name in STYLE_FILES:
    assert (package / "styles" / name).is_file(), f"styles/{name} missing from the wheel"

from wpe_tui.config import load_config, resolve_settings
from wpe_tui.launch import demo_backend
from wpe_tui.widgets import PagedTable

settings = resolve_settings(load_config(config_file), env={}, config_path=config_file)
app = WpeApp(settings, demo_backend(), demo=True)


async def main() -> int:
    async with app.run_test(size=(80, 24)) as pilot:
        for _ in range(4):
            await app.workers.wait_for_complete()
            await pilot.pause()
        table = app.screen.query_one("#sites", PagedTable)
        assert table.row_count > 0, "no sites shown"
        return table.row_count


print(f"rows={asyncio.run(main())}")
"""


def run(args: list[str], *, cwd: Path, env: dict[str, str] | None = None) -> str:
    result = subprocess.run(
        args, cwd=cwd, env=env, capture_output=True, text=True, timeout=120, check=False
    )
    assert result.returncode == 0, f"{args[:4]} failed:\n{result.stdout}\n{result.stderr}"
    return result.stdout


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """(the wheel file, the directory it is installed in)."""
    base = tmp_path_factory.mktemp("wheel")
    dist, target = base / "dist", base / "site"
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "--no-input"]
    # With hatchling in this venv the build needs no network; without it pip fetches
    # the build backend from the package index into an isolated environment.
    offline = importlib.util.find_spec("hatchling") is not None
    build_flags = ["--no-build-isolation", "--no-index"] if offline else []
    run([*pip, "wheel", "--no-deps", *build_flags, "-w", str(dist), str(ROOT)], cwd=base)
    (wheel,) = dist.glob("wpe_tui-*.whl")
    run([*pip, "install", "--no-deps", "--no-index", "--target", str(target), str(wheel)], cwd=base)
    return wheel, target


def test_wheel_holds_the_package_and_its_styles_only(installed: tuple[Path, Path]) -> None:
    wheel, _ = installed
    assert wheel.name.startswith(f"wpe_tui-{wpe_tui.__version__}-")
    names = zipfile.ZipFile(wheel).namelist()
    for name in ("app.tcss", "site_list.tcss", "site_detail.tcss", "modals.tcss"):
        assert f"wpe_tui/styles/{name}" in names
    assert "wpe_tui/py.typed" in names
    assert not [n for n in names if n.startswith(("tests/", "styles/", ".venv/"))]


def test_installed_wheel_starts_in_demo_mode(installed: tuple[Path, Path], tmp_path: Path) -> None:
    _, target = installed
    env = {
        **os.environ,
        "PYTHONPATH": str(target),
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
        "TERM": "xterm-256color",
    }
    env.pop("WPE_API_KEY", None)
    # cwd is not the checkout, so `import wpe_tui` cannot find the source tree.
    out = run(
        [sys.executable, "-c", CHECK_INSTALLED, str(target), str(tmp_path / "config.toml")],
        cwd=tmp_path,
        env=env,
    )
    rows = int(out.strip().rsplit("rows=", 1)[1])
    assert rows > 0

    version = run([sys.executable, "-m", "wpe_tui", "--version"], cwd=tmp_path, env=env)
    assert version.strip() == f"wpe-tui {wpe_tui.__version__}"
