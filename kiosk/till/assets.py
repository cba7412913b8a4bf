"""The till's files at versioned URLs (/static/v/<version>/till/…), kept a year by the browser.

The version is a digest of every file under kiosk/static/till, so a release that changes one gives
the till new URLs; the ES modules import each other by relative paths, so every import carries the
version too. The browser keeps these files without asking again (Cache-Control immutable), and
they are sent without the page-level security headers, which a script or a picture does not use.
An old version's URL still answers (with the file as it is now), but is not kept.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from flask import Flask, Response, current_app, url_for

ONE_YEAR = 365 * 24 * 3600
IMMUTABLE = f"public, max-age={ONE_YEAR}, immutable"


def till_files_version() -> str:
    """Return the digest of the till's static files (computed once per process, not in debug)."""
    app = current_app
    version: str | None = app.extensions.get("till_files_version")
    if version is None or app.debug:
        digest = hashlib.blake2b(digest_size=6)
        folder = Path(str(app.static_folder)) / "till"
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                digest.update(path.relative_to(folder).as_posix().encode() + b"\0")
                digest.update(path.read_bytes())
        version = app.extensions["till_files_version"] = digest.hexdigest()
    return version


def till_asset(filename: str) -> str:
    """Return the versioned URL of a file under kiosk/static/till."""
    return url_for("static", filename=f"till/{filename}", version=till_files_version())


def send_static_file(filename: str, version: str | None = None) -> Response:
    """Serve a static file; the till's files at their current version are kept a year.

    Those scripts and styles are sent without their comments (see `lean`), read once per process.
    """
    response = current_app.send_static_file(filename)
    if filename.startswith("till/") and version == till_files_version():
        response.headers["Cache-Control"] = IMMUTABLE
        # never asked about again, so no validators; and no file name for a script
        for needless in ("ETag", "Last-Modified", "Expires", "Content-Disposition"):
            response.headers.pop(needless, None)
        if filename.endswith((".js", ".css")) and response.status_code == 200:
            kept: dict[str, bytes] = current_app.extensions.setdefault("lean_till_files", {})
            response.direct_passthrough = False  # the file is read (once) to leave comments out
            if filename not in kept:
                kept[filename] = lean(filename, response.get_data(as_text=True)).encode()
            response.close()
            response.set_data(kept[filename])
    return response


CSS_COMMENT = re.compile(r"/\*.*?\*/", re.S)


def lean(filename: str, text: str) -> str:
    """Return a script or style sheet without its comments, every line where it was.

    A tablet downloads what it runs, not what the engineers read: a line of a script that is a
    `//` comment (outside a template literal) is sent empty, and a style sheet's `/* … */`
    comments become as many line breaks; line numbers in the browser's messages stay right.
    """
    if filename.endswith(".css"):
        return CSS_COMMENT.sub(lambda comment: "\n" * comment.group().count("\n"), text)
    lines, in_template = [], False
    for line in text.split("\n"):
        if not in_template and line.lstrip().startswith("//"):
            lines.append("")
            continue
        lines.append(line)
        if line.count("`") % 2:  # a template literal opens or closes on this line
            in_template = not in_template
    return "\n".join(lines)


def register_till_assets(app: Flask) -> None:
    """Serve static files at /static/v/<version>/… too, and give templates till_asset()."""
    app.view_functions["static"] = send_static_file
    app.add_url_rule(f"{app.static_url_path}/v/<version>/<path:filename>", endpoint="static")
    app.jinja_env.globals.update(till_asset=till_asset, till_files_version=till_files_version)
