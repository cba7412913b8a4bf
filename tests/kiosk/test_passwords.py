"""Passwords and PINs are stored as salted scrypt hashes at the shipped cost."""

from __future__ import annotations

import subprocess
import sys

from kiosk import passwords
from tests.conftest import TEST_HASH_METHOD


def test_the_shipped_cost_is_scrypt_at_32768_and_the_suite_only_lowers_it() -> None:
    """The product, started on its own (not under the suite's lower cost), hashes at N = 32768."""
    made = subprocess.run(
        [
            sys.executable,
            "-c",
            "from kiosk.passwords import hash_secret; print(hash_secret('1357'))",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    assert made.startswith("scrypt:32768:8:1$")
    assert passwords.secret_matches(made, "1357")  # a hash names its own cost
    assert not passwords.secret_matches(made, "1358")
    assert passwords.HASH_METHOD == TEST_HASH_METHOD
    assert passwords.hash_secret("1357").startswith("scrypt:1024:8:1$")
