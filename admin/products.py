"""Products: list, create, edit, deactivate; pictogram picker and photo."""

from __future__ import annotations

from admin.blueprint import bp  # noqa: F401 (the routes of this module go on it)
