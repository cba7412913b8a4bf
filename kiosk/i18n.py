"""Languages: Dutch first (the msgids are Dutch), English as a complete second language."""

from __future__ import annotations

import io
import tempfile
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from flask import Flask, has_request_context, session
from flask_babel import get_locale

from kiosk.decimal_text import rate_text
from kiosk.extensions import babel
from kiosk.models.rules import basis_points_to_rate
from kiosk.money import euro_text
from kiosk.payment_methods import method_label

CATALOGS = Path(__file__).parent / "translations"


def register_babel(app: Flask) -> None:
    """Compile the message catalogs into the instance folder and bind Flask-Babel."""
    compiled = Path(app.instance_path) / "translations"
    compile_catalogs(CATALOGS, compiled)
    app.config["BABEL_TRANSLATION_DIRECTORIES"] = str(compiled)
    babel.init_app(app, locale_selector=select_locale)
    app.jinja_env.globals["get_locale"] = get_locale
    app.jinja_env.filters["euro"] = euro_text
    app.jinja_env.filters["method_label"] = method_label
    app.jinja_env.filters["vat_rate"] = vat_rate_text
    app.jinja_env.filters["change_percent"] = change_percent


def vat_rate_text(basis_points: int) -> str:
    """Show a VAT rate kept in basis points as the percentage people know ("6", "21")."""
    return rate_text(basis_points_to_rate(basis_points))


def change_percent(now: int, then: int) -> str:
    """Show how much `now` differs from `then` in whole percent ("+12 %"), or "–" without `then`."""
    if not then:
        return "–"
    percent = (200 * (now - then) + abs(then)) // (2 * abs(then))  # rounded half up
    return f"{percent:+d} %"


def select_locale() -> str:
    """Use the language chosen in this browser; Dutch otherwise (never the browser's guess)."""
    if not has_request_context():  # the CLI and background threads speak Dutch
        return "nl"
    return session.get("language", "nl")


#: compiled catalogs by (.po path, modification time, size): an app built again in the same
#: process (the tests build one per test) writes the bytes instead of parsing the .po again
_COMPILED: dict[tuple[str, int, int], bytes] = {}


def compile_catalogs(source: Path, target: Path) -> None:
    """Write a .mo for every .po that changed; generated files stay out of the repository."""
    for po_path in source.glob("*/LC_MESSAGES/messages.po"):
        mo_path = target / po_path.relative_to(source).with_suffix(".mo")
        if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            continue
        mo_path.parent.mkdir(parents=True, exist_ok=True)
        # a unique temporary name: several server processes may start at once
        with tempfile.NamedTemporaryFile(dir=mo_path.parent, delete=False) as mo_file:
            mo_file.write(compiled_catalog(po_path))
        Path(mo_file.name).replace(mo_path)


def compiled_catalog(po_path: Path) -> bytes:
    """Return the .mo bytes of a .po file, compiled once per version of the file."""
    status = po_path.stat()
    key = (str(po_path), status.st_mtime_ns, status.st_size)
    if key not in _COMPILED:
        with po_path.open("rb") as po_file:
            catalog = read_po(po_file)
        buffer = io.BytesIO()
        write_mo(buffer, catalog)
        _COMPILED[key] = buffer.getvalue()
    return _COMPILED[key]
