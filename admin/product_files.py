"""The products file: import from CSV or XLSX (with a dry run) and export."""

from __future__ import annotations

import csv
import io
import tempfile
import zipfile
from pathlib import Path
from typing import IO

from flask import current_app, render_template, request, send_file
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField, FileRequired
from openpyxl.utils.exceptions import InvalidFileException
from sqlalchemy.exc import DBAPIError

from admin.blueprint import bp
from admin.forms import BackOfficeForm
from kiosk.catalog.product_file import EXPORT_NAME, ImportReport, export_products, import_products
from kiosk.errors import OperationError
from kiosk.exports.jobs import record_export
from kiosk.extensions import db
from kiosk.models.types import utcnow
from kiosk.periods import business_day

#: a products file of a few thousand rows is far smaller than this
DEFAULT_MAX_BYTES = 2 * 1024 * 1024
MIMETYPES = {
    "csv": "text/csv",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
UNREADABLE = (ValueError, KeyError, OSError, csv.Error, zipfile.BadZipFile, InvalidFileException)


class ProductFileForm(BackOfficeForm):
    """A products file to check or import."""

    file = FileField(
        _l("Productenbestand (CSV of XLSX)"),
        validators=[FileRequired(_l("Kies een bestand."))],
        render_kw={"accept": ".csv,.xlsx,text/csv"},
    )


@bp.route("/products/file", methods=["GET", "POST"])
def product_file() -> ResponseReturnValue:
    """Check a products file (nothing is saved), or import it when every row is valid."""
    form = ProductFileForm()
    dry_run = request.form.get("action") != "import"
    report = None
    if form.validate_on_submit():
        try:
            report = read_products_file(form.file.data.filename, form.file.data.stream, dry_run)
        except OperationError as error:
            form.file.errors = [*form.file.errors, error.message]
    return render_template(
        "admin/product_file.html",
        form=form,
        report=report,
        dry_run=dry_run,
        max_megabytes=max_bytes() // (1024 * 1024),
    )


def max_bytes() -> int:
    """Return the largest products file the page takes."""
    return int(current_app.config.get("PRODUCT_FILE_MAX_BYTES", DEFAULT_MAX_BYTES))


def read_products_file(filename: str, upload: IO[bytes], dry_run: bool) -> ImportReport:
    """Save the upload to a temporary file and check or import it; commit only a clean import."""
    suffix = Path(filename or "").suffix.lower()
    if suffix not in (".csv", ".xlsx"):
        raise OperationError(415, "file_type", _("Kies een bestand dat eindigt op .csv of .xlsx."))
    data = upload.read(max_bytes() + 1)
    if len(data) > max_bytes():
        message = _("Het bestand is te groot (hoogstens %(mb)s MB).", mb=max_bytes() // 1048576)
        raise OperationError(413, "file_too_large", message)
    with tempfile.TemporaryDirectory(prefix="pluskassa-import-") as folder:
        path = Path(folder) / f"producten{suffix}"
        path.write_bytes(data)
        try:
            report = import_products(path, dry_run=dry_run)
            if not dry_run and not report.errors:
                db.session.commit()
        except UNREADABLE as error:
            db.session.rollback()
            message = _("Dit bestand kan niet gelezen worden. Bewaar het als CSV (UTF-8) of XLSX.")
            raise OperationError(422, "unreadable_file", message) from error
        except DBAPIError as error:
            db.session.rollback()
            message = _("Een waarde in het bestand is te lang of te groot. Er is niets bewaard.")
            raise OperationError(422, "value_too_large", message) from error
    return report


@bp.get("/products/export.<any(csv, xlsx):file_format>")
def product_export(file_format: str) -> ResponseReturnValue:
    """Download every product in the import layout, as CSV or XLSX."""
    with tempfile.TemporaryDirectory(prefix="pluskassa-export-") as folder:
        path = Path(folder) / f"producten.{file_format}"
        export_products(path)
        data = path.read_bytes()
    record_export(EXPORT_NAME, file_format=file_format)
    db.session.commit()
    return send_file(
        io.BytesIO(data),
        mimetype=MIMETYPES[file_format],
        as_attachment=True,
        download_name=f"producten-{business_day(utcnow()).isoformat()}.{file_format}",
    )
