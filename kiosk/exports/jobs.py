"""Exports made in the background for the back office, with their progress kept beside the file.

A job writes into the instance folder's `exports/` (never anywhere else) and keeps a small JSON
file with how far it is, so any server process can show the progress and offer the download.
"""

from __future__ import annotations

import json
import os
import re
import threading
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from flask import Flask
from sqlalchemy import func, select

from kiosk.audit import log as audit
from kiosk.exports.accounting import (
    DAY_BOOK,
    JOURNAL,
    SALE_LINES,
    Export,
    day_book_export,
    sale_lines_export,
)
from kiosk.exports.files import FORMATS, ExportRefused, write_export
from kiosk.exports.journal import journal_export
from kiosk.exports.spreadsheets import BELGIAN_CSV, PLAIN_CSV, Row
from kiosk.extensions import db
from kiosk.models import AuditEntry, Sale, SaleLine
from kiosk.reports.day_figures import SalesScope

JOB_ID = re.compile(r"^[0-9a-f]{32}$")
#: write the progress file after this many rows
PROGRESS_EVERY = 1000


@dataclass(frozen=True)
class ExportKind:
    """An export the back office offers, and how to count its rows beforehand."""

    make: Callable[[date, date], Export]
    #: counts the rows beforehand, where one query can
    count: Callable[[date, date], int] | None = None


def record_export(
    what: str,
    first_day: date | None = None,
    last_day: date | None = None,
    *,
    file_format: str = "",
    where: str = "",
) -> AuditEntry:
    """Log one export: what, which business days, the format and where it went."""
    period = ""
    if first_day is not None and last_day is not None:
        period = f" van {first_day.isoformat()} tot en met {last_day.isoformat()}"
    details: dict[str, object] = {"what": what, "format": file_format}
    if first_day is not None and last_day is not None:
        details.update(first_day=first_day.isoformat(), last_day=last_day.isoformat())
    if where:
        details["where"] = where
    return audit.record(
        "export",
        subject=f"export:{what}",
        summary=f"Export {what}{period} ({file_format or 'bestand'}).",
        after=details,
    )


def count_sale_lines(first_day: date, last_day: date) -> int:
    """Return how many sale lines the business days hold."""
    query = SalesScope(first_day, last_day).where(
        select(func.count(SaleLine.id)).join(Sale, Sale.id == SaleLine.sale_id)
    )
    return int(db.session.scalar(query) or 0)


KINDS = {
    SALE_LINES: ExportKind(sale_lines_export, count_sale_lines),
    DAY_BOOK: ExportKind(day_book_export),
    JOURNAL: ExportKind(journal_export),
}


def export_folder(app: Flask) -> Path:
    """Return the folder that holds the back office's exports, made when missing."""
    folder = Path(app.instance_path) / "exports"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def job_paths(app: Flask, job_id: str) -> tuple[Path, Path]:
    """Return a job's progress file and the folder of its export, refusing any other name."""
    if not JOB_ID.match(job_id):
        raise ExportRefused("Deze export bestaat niet.")
    folder = export_folder(app)
    return folder / f"{job_id}.json", folder


def read_job(app: Flask, job_id: str) -> dict[str, object] | None:
    """Return a job's state (kind, file, rows written, total, done, error), or None."""
    progress, _folder = job_paths(app, job_id)
    try:
        return json.loads(progress.read_text("utf-8"))  # type: ignore[no-any-return]
    except (FileNotFoundError, json.JSONDecodeError):
        return None


def write_job(progress: Path, state: dict[str, object]) -> None:
    """Replace a job's progress file in one step, so a reader never sees half of it."""
    temporary = progress.with_suffix(".tmp")
    temporary.write_text(json.dumps(state), "utf-8")
    os.replace(temporary, progress)


def start_export(
    app: Flask, kind: str, first_day: date, last_day: date, file_format: str, plain: bool
) -> str:
    """Start writing an export in a background thread; return the job's id."""
    job_id = uuid.uuid4().hex
    progress, folder = job_paths(app, job_id)
    export_kind = KINDS[kind]
    file_name = f"{kind}-{first_day.isoformat()}-{last_day.isoformat()}.{file_format}"
    state: dict[str, object] = {
        "kind": kind,
        "file": file_name,
        "rows": 0,
        "total": export_kind.count(first_day, last_day) if export_kind.count else None,
        "done": False,
        "error": None,
    }
    write_job(progress, state)

    def run() -> None:
        with app.app_context():
            try:
                export = export_kind.make(first_day, last_day)
                counted = Export(
                    export.name, export.columns, counting(export.rows, progress, state)
                )
                rows = write_export(
                    counted,
                    folder / f"{job_id}.{file_format}",
                    file_format,
                    PLAIN_CSV if plain else BELGIAN_CSV,
                )
                state.update(rows=rows, done=True)
            except Exception as error:  # the page must say the export failed, whatever broke
                app.logger.exception("export %s failed", job_id)
                state.update(done=True, error=str(error))
            finally:
                db.session.remove()
            write_job(progress, state)

    threading.Thread(target=run, name=f"export-{job_id}", daemon=True).start()
    return job_id


def counting(rows: Iterator[Row], progress: Path, state: dict[str, object]) -> Iterator[Row]:
    """Pass rows on, writing down every so often how many went by."""
    for number, row in enumerate(rows, start=1):
        if number % PROGRESS_EVERY == 0:
            state["rows"] = number
            write_job(progress, state)
        yield row


def job_file(app: Flask, job_id: str) -> tuple[Path, str] | None:
    """Return a finished job's file and the name to download it as, or None."""
    state = read_job(app, job_id)
    if not state or not state.get("done") or state.get("error"):
        return None
    _progress, folder = job_paths(app, job_id)
    name = Path(str(state["file"])).name  # the progress file is ours; still, a name, never a path
    file_format = name.rsplit(".", 1)[-1]
    if file_format not in FORMATS:
        return None
    path = confined_file(folder, f"{job_id}.{file_format}")
    return (path, name) if path else None


def confined_file(folder: Path, name: str) -> Path | None:
    """Return folder/name when it is a plain file inside the folder: no "..", no link out of it."""
    if not name or Path(name).name != name or name in (".", ".."):
        return None
    path = folder / name
    if path.is_symlink() or not path.is_file():
        return None
    return path if path.resolve().is_relative_to(folder.resolve()) else None
