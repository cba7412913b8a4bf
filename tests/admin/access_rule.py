"""One row of the access table: who may use an endpoint, and what a granted request gets."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Rule:
    """Who may use an endpoint, a real URL for it, and the status when access is granted."""

    access: str  # public, till, staff or manager
    path: str  # {names} are filled in with ids made by the factories
    granted: dict[str, int | str]  # method → status, or the outcome by name
