"""A streaming XLSX writer: SpreadsheetML parts written straight into a zip, sheets row by row.

A cell's XML is made once per value by the caller (`number_cell`, `text_cell`) and remembered,
with ROW standing in for its row number, so writing a row is one join and one replace. Rows go
into the sheet's zip entry a batch at a time, compressed as they go: memory stays flat whatever
the number of rows. The parts are the ones xlsxwriter writes in its constant-memory mode (its
theme left out): inline strings, so a text such as '=1+1' or '#N/A' can never become a formula
or an error (a shared-strings table would hold every distinct text, a receipt number a sale,
until the file ends); a frozen header pane; column widths; a filter over a given range, with
the hidden `_xlnm._FilterDatabase` name Excel keeps for it. There is no `<dimension>` (it would
come before the rows): each row ends in its last column's cell, empty if need be, so readers
that go by rows (openpyxl's read-only mode) see whole rows.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Sequence
from datetime import UTC, date, datetime
from pathlib import Path
from typing import IO

#: stands for the row number in a cell's XML (no cell text holds it: it is a control character)
ROW = "\x00"
#: rows compressed into the zip at a time (some 50 kB of XML)
ROWS_PER_WRITE = 100
#: deflate level 1 writes sales lines about 1.5 times as fast as 6, for a file a third larger
COMPRESSLEVEL = 1
#: what Excel refuses in a sheet's name
SHEET_NAME_REFUSES = re.compile(r"[\[\]:*?/\\]")
#: text Excel reads as an escaped character ('_x0041_' is 'A'): its underscore is escaped in turn
EXCEL_ESCAPE = re.compile(r"(_x[0-9A-Fa-f]{4}_)")

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELATIONS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE = "http://schemas.openxmlformats.org/package/2006"
OFFICE = "application/vnd.openxmlformats-officedocument"
HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
#: Excel's serial days count from 1899-12-31, and count a 29 February 1900 that never was
EPOCH = datetime(1899, 12, 31)


def escape(text: str, quote: bool = False) -> str:
    """Return text safe in XML content (and in a double-quoted attribute when `quote`)."""
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return text.replace('"', "&quot;") if quote else text


def column_letters(index: int) -> str:
    """Return a column's letters from its index (0 → 'A', 26 → 'AA')."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def excel_serial(moment: date | datetime) -> float:
    """Return a day or a naive moment as Excel's serial days (as xlsxwriter reckons them)."""
    if not isinstance(moment, datetime):
        moment = datetime.fromordinal(moment.toordinal())
    delta = moment - EPOCH
    serial = delta.days + (delta.seconds + delta.microseconds / 1e6) / 86400
    return serial + 1 if serial > 59 else serial


def style_attribute(style: int) -> str:
    """Return a cell's style attribute (none for the default style)."""
    return f' s="{style}"' if style else ""


def number_cell(letters: str, style: int, number: float) -> str:
    """Return a number cell's XML (16 significant digits, as xlsxwriter writes them)."""
    return f'<c r="{letters}{ROW}"{style_attribute(style)}><v>{number:.16G}</v></c>'


def text_cell(letters: str, style: int, text: str) -> str:
    """Return an inline text cell's XML; the text must hold no control characters."""
    if "_x" in text:
        text = EXCEL_ESCAPE.sub(r"_x005F\1", text)
    space = ' xml:space="preserve"' if text[:1].isspace() or text[-1:].isspace() else ""
    return (
        f'<c r="{letters}{ROW}"{style_attribute(style)} t="inlineStr">'
        f"<is><t{space}>{escape(text)}</t></is></c>"
    )


def empty_cell(letters: str) -> str:
    """Return an empty cell's XML."""
    return f'<c r="{letters}{ROW}"/>'


class XlsxSheet:
    """One sheet's XML, streamed into its zip entry: the head, the rows, then the filter."""

    def __init__(
        self, archive: zipfile.ZipFile, number: int, title: str, widths: Sequence[float]
    ) -> None:
        self.number, self.title = number, title
        # no force_zip64: Python then writes ZIP64 fields in the local header only, which the
        # central directory contradicts, and strict readers (Excel) may take for damage; a sheet
        # of more than 4 GiB of XML is refused when it closes (RuntimeError) instead
        self.stream = archive.open(f"xl/worksheets/sheet{number}.xml", "w")
        self.rows = 0
        self.batch: list[str] = []
        #: the filter's range ('A1:W100'), set before the sheet closes
        self.filter_ref: str | None = None
        selected = ' tabSelected="1"' if number == 1 else ""
        cols = "".join(
            f'<col min="{n}" max="{n}" width="{width + 0.7109375}" customWidth="1"/>'
            for n, width in enumerate(widths, start=1)
        )
        self.stream.write(
            f'{HEAD}<worksheet xmlns="{MAIN}" xmlns:r="{RELATIONS}"><sheetViews>'
            f'<sheetView{selected} workbookViewId="0"><pane ySplit="1" topLeftCell="A2" '
            'activePane="bottomLeft" state="frozen"/><selection pane="bottomLeft"/></sheetView>'
            f'</sheetViews><sheetFormatPr defaultRowHeight="15"/><cols>{cols}</cols>'
            "<sheetData>".encode()
        )

    def add_row(self, cells: list[str]) -> None:
        """Add the next row from its cells' XML."""
        self.rows += 1
        line = str(self.rows)
        self.batch.append(f'<row r="{line}">{"".join(cells).replace(ROW, line)}</row>')
        if len(self.batch) >= ROWS_PER_WRITE:
            self.flush()

    def flush(self) -> None:
        """Compress the rows added so far into the zip."""
        self.stream.write("".join(self.batch).encode())
        self.batch.clear()

    def autofilter(self, rows: int, columns: int) -> None:
        """Put the filter on the first `rows` rows of the first `columns` columns."""
        self.filter_ref = f"A1:{column_letters(columns - 1)}{rows}"

    def close(self) -> None:
        """End the sheet's XML (once)."""
        if self.stream.closed:
            return
        self.flush()
        filtered = f'<autoFilter ref="{self.filter_ref}"/>' if self.filter_ref else ""
        self.stream.write(
            f'</sheetData>{filtered}<pageMargins left="0.7" right="0.7" top="0.75" '
            'bottom="0.75" header="0.3" footer="0.3"/></worksheet>'.encode()
        )
        self.stream.close()


class XlsxBook:
    """An XLSX file being written: its sheets one after another, then the workbook's parts.

    Styles: 0 plain, 1 bold, then for each number format a plain and a bold one (`style`).
    """

    def __init__(self, target: Path | IO[bytes], number_formats: Sequence[str]) -> None:
        self.number_formats = list(number_formats)
        self.archive = zipfile.ZipFile(
            target, "w", zipfile.ZIP_DEFLATED, compresslevel=COMPRESSLEVEL
        )
        self.sheets: list[XlsxSheet] = []

    def style(self, number_format: str | None, bold: bool) -> int:
        """Return the style of a cell with this number format (None: General), bold or not."""
        base = 0 if number_format is None else 2 + 2 * self.number_formats.index(number_format)
        return base + bold

    def add_sheet(self, title: str, widths: Sequence[float]) -> XlsxSheet:
        """Close the sheet being written and start the next, its columns `widths` wide."""
        names = {sheet.title.lower() for sheet in self.sheets}
        refused = SHEET_NAME_REFUSES.search(title) or title.startswith("'") or title.endswith("'")
        if refused or not 0 < len(title) <= 31 or title.lower() in names:
            raise ValueError(f"Excel refuses the sheet name {title!r}")
        if self.sheets:
            self.sheets[-1].close()
        sheet = XlsxSheet(self.archive, len(self.sheets) + 1, title, widths)
        self.sheets.append(sheet)
        return sheet

    def close(self) -> None:
        """Close the last sheet and write the workbook's other parts."""
        for sheet in self.sheets:
            sheet.close()
        for name, xml in self.parts().items():
            self.archive.writestr(name, HEAD + xml)
        self.archive.close()

    def abandon(self) -> None:
        """Close the file after a failure without finishing it."""
        for sheet in self.sheets:
            sheet.close()
        self.archive.close()

    def parts(self) -> dict[str, str]:
        """Return the XML of every part but the sheets, by name."""
        sheets = self.sheets
        kinds = {
            "/docProps/app.xml": f"{OFFICE}.extended-properties+xml",
            "/docProps/core.xml": "application/vnd.openxmlformats-package.core-properties+xml",
            "/xl/styles.xml": f"{OFFICE}.spreadsheetml.styles+xml",
            "/xl/workbook.xml": f"{OFFICE}.spreadsheetml.sheet.main+xml",
        }
        for sheet in sheets:
            kinds[f"/xl/worksheets/sheet{sheet.number}.xml"] = (
                f"{OFFICE}.spreadsheetml.worksheet+xml"
            )
        now = datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
        return {
            "[Content_Types].xml": CONTENT_TYPES.format(
                "".join(f'<Override PartName="{n}" ContentType="{t}"/>' for n, t in kinds.items())
            ),
            "_rels/.rels": PACKAGE_RELATIONS,
            "docProps/app.xml": APP.format(
                count=len(sheets),
                titles="".join(f"<vt:lpstr>{escape(sheet.title)}</vt:lpstr>" for sheet in sheets),
            ),
            "docProps/core.xml": CORE.format(now=now),
            "xl/workbook.xml": WORKBOOK.format(
                sheets="".join(
                    f'<sheet name="{escape(sheet.title, quote=True)}" sheetId="{sheet.number}" '
                    f'r:id="rId{sheet.number}"/>'
                    for sheet in sheets
                ),
                names=defined_names(
                    [
                        f'<definedName name="_xlnm._FilterDatabase" hidden="1" '
                        f'localSheetId="{sheet.number - 1}">{escape(quoted(sheet.title))}!'
                        f"{absolute(sheet.filter_ref)}</definedName>"
                        for sheet in sheets
                        if sheet.filter_ref
                    ]
                ),
            ),
            "xl/_rels/workbook.xml.rels": WORKBOOK_RELATIONS.format(
                "".join(
                    f'<Relationship Id="rId{sheet.number}" Type="{RELATIONS}/worksheet" '
                    f'Target="worksheets/sheet{sheet.number}.xml"/>'
                    for sheet in sheets
                )
                + f'<Relationship Id="rId{len(sheets) + 1}" Type="{RELATIONS}/styles" '
                'Target="styles.xml"/>'
            ),
            "xl/styles.xml": self.styles(),
        }

    def styles(self) -> str:
        """Return the styles part: General and each number format, plain and bold."""
        formats = "".join(
            f'<numFmt numFmtId="{164 + n}" formatCode="{escape(code, quote=True)}"/>'
            for n, code in enumerate(self.number_formats)
        )
        cells = [(0, 0), (0, 1)] + [
            (164 + n, bold) for n in range(len(self.number_formats)) for bold in (0, 1)
        ]
        xfs = "".join(
            f'<xf numFmtId="{number}" fontId="{bold}" fillId="0" borderId="0" xfId="0"'
            + (' applyNumberFormat="1"' if number else "")
            + (' applyFont="1"' if bold else "")
            + "/>"
            for number, bold in cells
        )
        return STYLES.format(
            formats_count=len(self.number_formats),
            formats=formats,
            cells_count=len(cells),
            cells=xfs,
        )


CONTENT_TYPES = (
    f'<Types xmlns="{PACKAGE}/content-types"><Default Extension="rels" '
    'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>{}</Types>'
)
PACKAGE_RELATIONS = (
    f'<Relationships xmlns="{PACKAGE}/relationships">'
    f'<Relationship Id="rId1" Type="{RELATIONS}/officeDocument" Target="xl/workbook.xml"/>'
    f'<Relationship Id="rId2" Type="{PACKAGE}/relationships/metadata/core-properties" '
    'Target="docProps/core.xml"/>'
    f'<Relationship Id="rId3" Type="{RELATIONS}/extended-properties" Target="docProps/app.xml"/>'
    "</Relationships>"
)
WORKBOOK_RELATIONS = f'<Relationships xmlns="{PACKAGE}/relationships">{{}}</Relationships>'
APP = (
    '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"'
    ' xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
    "<Application>PlusKassa</Application><HeadingPairs>"
    '<vt:vector size="2" baseType="variant"><vt:variant><vt:lpstr>Worksheets</vt:lpstr>'
    "</vt:variant><vt:variant><vt:i4>{count}</vt:i4></vt:variant></vt:vector></HeadingPairs>"
    '<TitlesOfParts><vt:vector size="{count}" baseType="lpstr">{titles}</vt:vector>'
    "</TitlesOfParts></Properties>"
)
CORE = (
    f'<cp:coreProperties xmlns:cp="{PACKAGE}/metadata/core-properties" '
    'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
    'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
    '<dcterms:created xsi:type="dcterms:W3CDTF">{now}</dcterms:created>'
    '<dcterms:modified xsi:type="dcterms:W3CDTF">{now}</dcterms:modified></cp:coreProperties>'
)
WORKBOOK = (
    f'<workbook xmlns="{MAIN}" xmlns:r="{RELATIONS}"><bookViews><workbookView/></bookViews>'
    "<sheets>{sheets}</sheets>{names}</workbook>"
)
FONT = '<sz val="11"/><name val="Calibri"/><family val="2"/>'
STYLES = (
    f'<styleSheet xmlns="{MAIN}"><numFmts count="{{formats_count}}">{{formats}}</numFmts>'
    f'<fonts count="2"><font>{FONT}</font><font><b/>{FONT}</font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="{cells_count}">{cells}</cellXfs>'
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    "</styleSheet>"
)


def defined_names(names: list[str]) -> str:
    """Return the workbook's defined names (none: no element)."""
    return f"<definedNames>{''.join(names)}</definedNames>" if names else ""


def quoted(title: str) -> str:
    """Return a sheet's name as a formula names it ('Blad1 (2)' → "'Blad1 (2)'")."""
    return "'" + title.replace("'", "''") + "'"


def absolute(ref: str | None) -> str:
    """Return a range with absolute references ('A1:W9' → '$A$1:$W$9')."""
    return ":".join(re.sub(r"([A-Z]+)(\d+)", r"$\1$\2", cell) for cell in (ref or "").split(":"))
