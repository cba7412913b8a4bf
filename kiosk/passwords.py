"""How passwords and PINs are stored: one salted, slow hash (werkzeug's scrypt), checked in time.

`HASH_METHOD` is werkzeug's method string. The shipped cost, scrypt with N = 32768, takes about
0.1 s on a small PC: slow for whoever guesses from a stolen database, quick enough for a login.
A stored hash names its own method and cost, so hashes made at another cost keep working.
"""

from __future__ import annotations

from werkzeug.security import check_password_hash, generate_password_hash

#: werkzeug's method and cost for new hashes (the test suite lowers the cost, never the method)
HASH_METHOD = "scrypt:32768:8:1"


def hash_secret(secret: str) -> str:
    """Return a salted hash of a password or PIN to store."""
    return generate_password_hash(secret, method=HASH_METHOD)


def secret_matches(stored_hash: str, secret: str) -> bool:
    """Return whether a password or PIN is the one a stored hash was made from."""
    return check_password_hash(stored_hash, secret)
