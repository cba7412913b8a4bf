"""The `admin` blueprint: every page needs a logged-in staff member or manager."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar, cast

from flask import Blueprint, Response, abort, current_app, redirect, request, url_for
from flask.typing import ResponseReturnValue
from flask_login import current_user

from kiosk.database import get_row
from kiosk.models.types import Role

bp = Blueprint("admin", __name__, url_prefix="/admin")

PUBLIC_ENDPOINTS = frozenset({"admin.login"})

Row = TypeVar("Row")
View = TypeVar("View", bound=Callable[..., Any])


@bp.before_request
def require_back_office_user() -> ResponseReturnValue | None:
    """Send anonymous visitors to the login page; refuse care users."""
    if request.endpoint in PUBLIC_ENDPOINTS:
        return None
    if not current_user.is_authenticated:
        # come back after logging in only to a page: a form post cannot be replayed by a redirect
        back = request.full_path.rstrip("?") if request.method in ("GET", "HEAD") else None
        return redirect(url_for("admin.login", next=back))
    if not current_user.can_use_back_office:
        abort(403)
    if not may_open(request.endpoint or ""):
        abort(403)
    return None


def may_open(endpoint: str) -> bool:
    """Return whether the logged-in user may open a page: the one rule for views and menus.

    Managers-only pages are for managers; a page with its own check (`permission_required`)
    is for whoever that check allows.
    """
    view = current_app.view_functions.get(endpoint)
    if getattr(view, "manager_only", False) and current_user.role != Role.MANAGER:
        return False
    allowed = getattr(view, "allowed", None)
    return allowed is None or bool(allowed(current_user))


@bp.after_request
def forbid_caching(response: Response) -> Response:
    """Keep back-office pages (names, tokens) out of browser and proxy caches."""
    response.headers["Cache-Control"] = "no-store"
    return response


def manager_required(view: View) -> View:
    """Let only managers open a page, whatever the method."""
    # The mark lets require_back_office_user refuse before the view, so the rule also covers
    # OPTIONS (answered without the view) and holds whichever way round this decorator and the
    # route decorator are written; the wrapper guards the view should it be used elsewhere.
    view.manager_only = True  # type: ignore[attr-defined]

    @wraps(view)  # copies the mark
    def guarded(*args: Any, **kwargs: Any) -> Any:
        if current_user.role != Role.MANAGER:
            abort(403)
        return view(*args, **kwargs)

    return cast(View, guarded)


def permission_required(allowed: Callable[[Any], bool]) -> Callable[[View], View]:
    """Let only users the check allows open a page (managers and, by a setting, chosen staff)."""

    def mark(view: View) -> View:
        # marked like manager_required, so the rule holds before the view and for every method
        view.allowed = allowed  # type: ignore[attr-defined]

        @wraps(view)  # copies the mark
        def guarded(*args: Any, **kwargs: Any) -> Any:
            if not allowed(current_user):
                abort(403)
            return view(*args, **kwargs)

        return cast(View, guarded)

    return mark


def get_or_404(model: type[Row], row_id: int) -> Row:
    """Return the row with this id, or answer 404 (also for ids too big for the database)."""
    row = get_row(model, row_id)
    if row is None:
        abort(404)
    return row
