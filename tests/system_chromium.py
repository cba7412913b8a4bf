"""The system Chromium the browser tests drive: found, installed from Debian, or asked for.

PlusKassa never downloads a browser of its own. On a fresh Debian or Ubuntu machine the test
command installs the distribution's `chromium` package when it runs as root; otherwise it stops
before any test starts with one sentence that says which command to run.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

CHROMIUM = "/usr/bin/chromium"
INSTALL = ["apt-get", "install", "-y", "-qq", "chromium"]


def missing_message(path: str) -> str:
    """Say in one sentence that Chromium is missing and which command installs it."""
    return (
        f"The browser tests need the system Chromium at {path}: install it with "
        f"`sudo apt-get update && sudo {' '.join(INSTALL)}` (or run the tests as root, "
        "which installs it), or leave the browser tests out with `-m 'not browser'`."
    )


def install_from_distribution(say: Callable[[str], None]) -> bool:
    """Install the distribution's Chromium with apt-get; return whether that worked."""
    say("Chromium is missing: installing the distribution's package (apt-get install chromium)…")
    environment = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    for command in (["apt-get", "update", "-qq"], INSTALL):
        if subprocess.run(command, env=environment, check=False).returncode != 0:
            return False
    return True


def ensure_chromium(
    path: str = CHROMIUM,
    *,
    as_root: bool | None = None,
    say: Callable[[str], None] = print,
) -> str | None:
    """Make sure Chromium is at `path`; return a sentence saying why not, or None when it is."""
    if Path(path).exists():
        return None
    root = os.geteuid() == 0 if as_root is None else as_root
    installed = root and shutil.which("apt-get") and install_from_distribution(say)
    return None if installed and Path(path).exists() else missing_message(path)
