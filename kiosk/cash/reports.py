"""X and Z reports: a till's day read back from its drawer's JSON, for the pages and the paper.

An X report is made from the live drawer, a Z report from the JSON its row froze when the day was
closed; both go through :func:`cash_report`, so a Z shows exactly what the X showed at that
moment. On paper they are the printers library's :class:`~printers.TextReport`, which a print job
of kind "report" carries whole in its payload (see :func:`report_payload`).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from kiosk.decimal_text import rate_text
from kiosk.models import Till, ZReport
from kiosk.models.rules import basis_points_to_rate
from kiosk.payment_methods import method_name
from kiosk.reports.day_figures import Figures, GroupTotal, LateSale, TillTickets, VatTotal
from kiosk.sales.receipts import VAT_CODES
from printers import TextReport
from printers.formatting import columns_row, format_amount, format_rate, paper_text, rule, wrap


@dataclass(frozen=True)
class CashReport:
    """A till's day as an X or Z report shows it: the sales' figures and the cash drawer."""

    till_code: str
    business_day: date
    figures: Figures
    opening_float_cents: int
    movements_cents: int
    expected_cents: int
    counted_cents: int | None
    difference_cents: int | None
    difference_reason: str | None = None
    next_float_cents: int | None = None
    to_bank_cents: int | None = None
    #: a vending machine's till: no drawer (its cash is counted at each emptying)
    machine: bool = False

    @property
    def cash_received_cents(self) -> int:
        """Return the cash the sales took in, change taken off."""
        return self.figures.payments.get("cash", 0)

    @property
    def tickets(self) -> TillTickets | None:
        """Return the till's first and last ticket of the day, if it sold anything."""
        return self.figures.tickets[0] if self.figures.tickets else None

    def vat_lines(self) -> list[tuple[str, str, VatTotal]]:
        """Return each VAT rate's letter code, percentage and totals, lowest rate first."""
        return [
            (vat_code(total.rate_basis_points), rate_percent(total.rate_basis_points), total)
            for total in self.figures.vat
        ]


def figures_from_json(data: dict[str, Any]) -> Figures:
    """Read figures back from their JSON (as `Figures.as_json` wrote them)."""
    return Figures(
        first_day=date.fromisoformat(data["first_day"]),
        last_day=date.fromisoformat(data["last_day"]),
        sales_count=data["sales_count"],
        refunds_count=data["refunds_count"],
        turnover_cents=data["turnover_cents"],
        refunds_cents=data["refunds_cents"],
        rounding_cents=data["rounding_cents"],
        change_cents=data["change_cents"],
        vat=[VatTotal(**total) for total in data["vat"]],
        payments=dict(data["payments"]),
        categories=[GroupTotal(**group) for group in data["categories"]],
        operators=[GroupTotal(**group) for group in data["operators"]],
        tickets=[TillTickets(**tickets) for tickets in data["tickets"]],
        late=[LateSale(**sale) for sale in data.get("late", [])],  # Z reports before late sales
    )


def cash_report(data: dict[str, Any]) -> CashReport:
    """Read a drawer's JSON (`Drawer.as_json`, or a Z report's frozen figures) as a report."""
    return CashReport(
        till_code=data["till_code"],
        business_day=date.fromisoformat(data["business_day"]),
        figures=figures_from_json(data["figures"]),
        opening_float_cents=data["opening_float_cents"],
        movements_cents=data["movements_cents"],
        expected_cents=data["expected_cents"],
        counted_cents=data["counted_cents"],
        difference_cents=data["difference_cents"],
        # Z reports made before the reason, the next float and the bank were recorded lack them
        difference_reason=data.get("difference_reason"),
        next_float_cents=data.get("next_float_cents"),
        to_bank_cents=data.get("to_bank_cents"),
        machine=data.get("machine", False),
    )


def checksum_holds(report: ZReport) -> bool:
    """Return whether a Z report's figures still match the checksum made when it was closed."""
    return hashlib.sha256(report.figures.encode()).hexdigest() == report.checksum


def vat_code(rate_basis_points: int) -> str:
    """Return the letter a rate has on receipts (A=21, B=12, C=6, D=0), or "" for another."""
    return VAT_CODES.get(rate_text(basis_points_to_rate(rate_basis_points)), "")


def rate_percent(rate_basis_points: int) -> str:
    """Write a rate as a percentage with a decimal comma: "21%", "5,5%"."""
    return format_rate(rate_text(basis_points_to_rate(rate_basis_points)))


def difference_word(difference_cents: int | None) -> str:
    """Name a count's outcome on paper: TEKORT, TEVEEL or KLOPT ("" before a count)."""
    if difference_cents is None:
        return ""
    return "TEKORT" if difference_cents < 0 else "TEVEEL" if difference_cents > 0 else "KLOPT"


def x_report_document(report: CashReport, till: Till, now: datetime, columns: int) -> TextReport:
    """Lay an X (interim) report out for paper `columns` wide."""
    return TextReport(
        title="X-RAPPORT",
        rows=day_rows(report, till),
        lines=tuple(report_lines(report, columns)),
        created_at=now,
        footer_text="Tussentijds rapport: de dag is niet afgesloten.",
    )


def z_report_document(z_report: ZReport, columns: int) -> TextReport:
    """Lay a Z report out from its frozen figures, for paper `columns` wide."""
    report = cash_report(json.loads(z_report.figures))
    rows = (
        ("Z-nummer", str(z_report.number)),
        *day_rows(report, z_report.till),
        ("Afgesloten door", z_report.user.name if z_report.user else "-"),
    )
    return TextReport(
        title=f"Z-RAPPORT {z_report.number}",
        rows=rows,
        lines=tuple(report_lines(report, columns)),
        created_at=z_report.created_at,
        footer_text=f"Controlegetal (SHA-256):\n{z_report.checksum}",
    )


def day_rows(report: CashReport, till: Till) -> tuple[tuple[str, str], ...]:
    """Return the rows that say which till and day a report is about."""
    return (
        ("Kassa", f"{report.till_code} {till.name}"),
        ("Verkooppunt", till.point_of_sale.name),
        ("Dag", report.business_day.strftime("%d-%m-%Y")),
    )


def report_lines(report: CashReport, columns: int) -> list[str]:
    """Return the body of an X or Z report as lines `columns` wide."""
    figures = report.figures

    def row(label: str, cents: int) -> list[str]:
        # paper-safe first, so the columns line up once the printer's characters replace others
        return columns_row(paper_text(label), format_amount(cents), columns)

    lines = ["OMZET PER BTW-TARIEF"]
    for code, percent, total in report.vat_lines():
        lines += row(f"{code} {percent}".strip(), total.gross_cents)
        lines += row("  excl. btw", total.base_cents)
        lines += row("  btw", total.vat_cents)
    lines += row("Totaal incl. btw", figures.turnover_cents)
    lines += row("Totaal excl. btw", figures.base_cents)
    lines += row("Totaal btw", figures.vat_cents)
    lines += [rule(columns), "BETALINGEN"]
    for method, cents in sorted(figures.payments.items()):
        lines += row(method_name(method), cents)
    lines += row("Afronding contant", figures.rounding_cents)
    lines += row("Wisselgeld teruggegeven", figures.change_cents)
    lines += [rule(columns)]
    lines += columns_row("Verkopen", str(figures.sales_count), columns)
    lines += columns_row("Terugbetalingen", str(figures.refunds_count), columns)
    lines += row("Terugbetaald", figures.refunds_cents)
    if report.tickets is not None:
        lines += columns_row("Eerste ticket", str(report.tickets.first_ticket), columns)
        lines += columns_row("Laatste ticket", str(report.tickets.last_ticket), columns)
    lines += row("Gemiddeld ticket", figures.average_basket_cents)
    if figures.late:
        lines += [rule(columns), "LAAT BINNENGEKOMEN (dag al afgesloten)"]
        for sale in figures.late:
            lines += columns_row(paper_text(sale.receipt_number), "laat", columns)
            lines += row(f"  {sale.rung_up_text}", sale.total_cents)
    if figures.operators:
        lines += [rule(columns), "PER MEDEWERKER"]
        for operator in figures.operators:
            lines += row(f"{operator.name} ({operator.count})", operator.gross_cents)
    if report.machine:  # no drawer: the cash is counted when the machine is emptied
        machine = [
            *row("Contant ontvangen", report.cash_received_cents),
            *wrap(MACHINE_NOTE, columns),
        ]
        return [*lines, rule(columns), "AUTOMAAT", *machine]
    return [*lines, rule(columns), "KASLADE", *drawer_lines(report, row, columns)]


#: a vending machine's report says where its cash is counted instead of a drawer
MACHINE_NOTE = "Geen kaslade: het geld wordt geteld bij het leegmaken."


def drawer_lines(
    report: CashReport, row: Callable[[str, int], list[str]], columns: int
) -> list[str]:
    """Return the drawer part of an X or Z report: float, expected, counted, the close."""
    lines = row("Wisselkas", report.opening_float_cents)
    lines += row("Contant ontvangen", report.cash_received_cents)
    lines += row("Geld in en uit", report.movements_cents)
    lines += row("Verwacht in de lade", report.expected_cents)
    if report.counted_cents is None or report.difference_cents is None:
        lines += columns_row("Geteld", "niet geteld", columns)
    else:
        lines += row("Geteld", report.counted_cents)
        word = difference_word(report.difference_cents)
        lines += columns_row(
            "Verschil", f"{format_amount(report.difference_cents)} {word}", columns
        )
        if report.difference_reason:
            lines += wrap(paper_text(f"Reden: {report.difference_reason}"), columns)
    if report.next_float_cents is not None:
        lines += row("Naar de bank", report.to_bank_cents or 0)
        lines += row("Wisselkas voor morgen", report.next_float_cents)
    return lines


def report_payload(document: TextReport) -> dict[str, Any]:
    """Write a text report as JSON values, to travel in a print job's payload."""
    return {
        "title": document.title,
        "rows": [list(pair) for pair in document.rows],
        "lines": list(document.lines),
        "created_at": document.created_at.isoformat() if document.created_at else None,
        "footer_text": document.footer_text,
    }


def report_from_payload(payload: dict[str, Any]) -> TextReport:
    """Read a text report back from a print job's payload."""
    created_at = payload.get("created_at")
    return TextReport(
        title=payload["title"],
        rows=tuple((label, value) for label, value in payload.get("rows", ())),
        lines=tuple(payload.get("lines", ())),
        created_at=datetime.fromisoformat(created_at) if created_at else None,
        footer_text=payload.get("footer_text", ""),
    )
