"""Write exports to files: a chosen path, or one file per day in a folder (the daily cron export).

A day's file in the folder is written again while the day is open, but once every till that
sold that day has its Z report, a file with other numbers is never overwritten: the command
refuses and says so, and the old file stays as the accountant received it.
"""

from __future__ import annotations

import os
import tempfile
from datetime import date
from pathlib import Path

from sqlalchemy import select

from kiosk.exports.accounting import Export, day_book_export
from kiosk.exports.spreadsheets import BELGIAN_CSV, CsvStyle, write_spreadsheet
from kiosk.extensions import db
from kiosk.models import Sale, ZReport
from kiosk.reports.day_figures import SalesScope

FORMATS = ("csv", "xlsx")


class ExportRefused(Exception):
    """The export would overwrite what must stay, or cannot be written."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def write_export(
    export: Export, path: Path, file_format: str, style: CsvStyle = BELGIAN_CSV
) -> int:
    """Write an export to `path` through a temporary file, so no half file is ever left."""
    if file_format not in FORMATS:
        raise ExportRefused(f"Kies het formaat csv of xlsx, niet {file_format}.")
    folder = path.parent
    if not folder.is_dir():
        raise ExportRefused(f"De map {folder} bestaat niet.")
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=folder)
    os.close(handle)
    try:
        count = write_spreadsheet(
            Path(temporary),
            export.columns,
            export.rows,
            file_format=file_format,
            style=style,
            sheet_title=export.name,
        )
        os.replace(temporary, path)
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)
    return count


def is_day_closed(day: date) -> bool:
    """Return whether every till that sold on `day` has its Z report for it (and one did sell)."""
    selling = set(db.session.scalars(SalesScope(day, day).where(select(Sale.till_id).distinct())))
    closed = set(db.session.scalars(select(ZReport.till_id).where(ZReport.business_day == day)))
    return bool(selling) and selling <= closed


def day_file_name(day: date, file_format: str) -> str:
    """Return the name of a day's receipts-book file."""
    return f"dagontvangsten-{day.isoformat()}.{file_format}"


def export_day_to_folder(
    day: date, folder: Path, file_format: str, style: CsvStyle = BELGIAN_CSV
) -> tuple[Path, str]:
    """Write the day's receipts book into `folder`; return its path and what happened.

    What happened is "written", "unchanged" (the file already held these numbers) or
    "rewritten" (the day was still open). A closed day's file with other numbers is refused.
    """
    if not folder.is_dir():
        raise ExportRefused(f"De map {folder} bestaat niet.")
    path = folder / day_file_name(day, file_format)
    if not path.exists():
        write_export(day_book_export(day, day), path, file_format, style)
        return path, "written"
    fresh = folder / f".new-{path.name}"
    try:
        write_export(day_book_export(day, day), fresh, file_format, style)
        if same_content(path, fresh, file_format):
            return path, "unchanged"
        if is_day_closed(day):
            raise ExportRefused(
                f"{path.name} bestaat al met andere cijfers, en {day.isoformat()} is afgesloten. "
                "Het bestand blijft zoals het was; zoek uit wat er veranderd is."
            )
        os.replace(fresh, path)
        return path, "rewritten"
    finally:
        if fresh.exists():
            fresh.unlink()


def same_content(old: Path, new: Path, file_format: str) -> bool:
    """Return whether two export files hold the same cells (XLSX zips differ in their dates)."""
    if file_format == "csv":
        return old.read_bytes() == new.read_bytes()
    from openpyxl import load_workbook

    def cells(path: Path) -> list[tuple[object, ...]]:
        workbook = load_workbook(path, read_only=True)
        try:
            return [tuple(row) for sheet in workbook.worksheets for row in sheet.values]
        finally:
            workbook.close()

    return cells(old) == cells(new)
