"""The `admin` blueprint: every page needs a logged-in staff member or manager."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from flask import Blueprint, abort, redirect, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from kiosk.models.types import Role

bp = Blueprint("admin", __name__, url_prefix="/admin")

PUBLIC_ENDPOINTS = frozenset({"admin.login"})


@bp.before_request
def require_back_office_user() -> ResponseReturnValue | None:
    """Send anonymous visitors to the login page; refuse care users."""
    if request.endpoint in PUBLIC_ENDPOINTS:
        return None
    if not current_user.is_authenticated:
        return redirect(url_for("admin.login", next=request.full_path.rstrip("?")))
    if not current_user.can_use_back_office:
        abort(403)
    return None


def manager_required(view: Callable[..., Any]) -> Callable[..., Any]:
    """Let only managers open a page."""

    @wraps(view)
    def guarded(*args: Any, **kwargs: Any) -> Any:
        if current_user.role != Role.MANAGER:
            abort(403)
        return view(*args, **kwargs)

    return guarded
