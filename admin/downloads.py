"""Spreadsheet downloads of back-office reports: CSV streamed as it is written, XLSX via a file."""

from __future__ import annotations

import re
import tempfile
import unicodedata
from collections.abc import Iterable, Sequence

from flask import Response, send_file, stream_with_context

from kiosk.exports.spreadsheets import BELGIAN_CSV, PLAIN_CSV, Column, Row, iter_csv, write_xlsx

XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def file_stem(*parts: str) -> str:
    """Make a plain ASCII file name from words ('Hoeve Één', '2026-01' → 'hoeve-een-2026-01')."""
    text = unicodedata.normalize("NFKD", "-".join(parts)).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "export"


def spreadsheet_download(
    columns: Sequence[Column],
    rows: Iterable[Row],
    file_format: str,
    stem: str,
    *,
    plain: bool = False,
    sheet_title: str = "Blad1",
) -> Response:
    """Answer a report as a CSV (Belgian, or plain) or XLSX attachment."""
    if file_format == "xlsx":
        # the rows stream into a zip on disk (memory stays flat); the file is sent from there
        handle = tempfile.TemporaryFile()  # noqa: SIM115 (the response closes it once sent)
        write_xlsx(handle, columns, rows, sheet_title)
        handle.seek(0)
        return send_file(
            handle, mimetype=XLSX_MIMETYPE, as_attachment=True, download_name=f"{stem}.xlsx"
        )
    lines = iter_csv(columns, rows, PLAIN_CSV if plain else BELGIAN_CSV)
    # the rows may read the database lazily: keep the request's context while streaming
    body = stream_with_context(line.encode("utf-8") for line in lines)
    response = Response(body, mimetype="text/csv")
    response.headers["Content-Disposition"] = f'attachment; filename="{stem}.csv"'
    return response
