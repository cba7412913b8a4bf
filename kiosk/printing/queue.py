"""Printers and the print queue: jobs are added in the sale's transaction and printed later."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, cast

from flask_babel import lazy_gettext as _l
from sqlalchemy import Table, bindparam, func, select

from kiosk.catalog.labels import label_payload
from kiosk.driver_sql import Inserts, RowsInsert
from kiosk.errors import OperationError
from kiosk.extensions import db
from kiosk.models import Printer, PrintJob, Sale
from kiosk.organisation.places import point_of_sale_by_code
from printers import PrinterError, paper_format, parse_printer_url
from printers.labels import MAX_COPIES, Label

ROLES = ("receipt", "kitchen", "bar")
LEASE = timedelta(seconds=60)
MAX_BACKOFF_SECONDS = 300


def add_printer(
    name: str,
    url: str,
    *,
    profile: str,
    point_of_sale_code: str | None,
    role: str = "receipt",
    paper_width_mm: int = 80,
) -> Printer:
    """Add a printer after checking its URL, profile, width and role."""
    name = name.strip()
    if not name or len(name) > 60:
        raise OperationError(422, "invalid_name", _l("Geef een naam van 1 tot 60 tekens."))
    if db.session.scalar(select(Printer.id).where(Printer.name == name)):
        raise OperationError(409, "name_taken", _l("Er is al een printer %(name)s.", name=name))
    printer = Printer(name=name)
    configure_printer(printer, url, profile, point_of_sale_code, role, paper_width_mm)
    db.session.add(printer)
    db.session.flush()
    return printer


def configure_printer(
    printer: Printer,
    url: str,
    profile: str,
    point_of_sale_code: str | None,
    role: str,
    paper_width_mm: int,
) -> None:
    """Check and set a printer's connection and paper."""
    try:
        address = parse_printer_url(url.strip())
        paper_format(profile, paper_width_mm)
    except PrinterError as error:
        raise OperationError(422, "invalid_printer", str(error)) from error
    if role not in ROLES:
        raise OperationError(422, "invalid_role", _l("Kies de rol kasticket, keuken of bar."))
    point_of_sale = None
    if point_of_sale_code:
        point_of_sale = point_of_sale_by_code(point_of_sale_code)
    printer.url = address.url
    printer.profile = profile
    printer.paper_width_mm = paper_width_mm
    printer.role = role
    printer.point_of_sale = point_of_sale


#: built once: every sale reads it
RECEIPT_PRINTERS = select(Printer).where(
    Printer.point_of_sale_id == bindparam("point_of_sale_id"),
    Printer.role == "receipt",
    Printer.active.is_(True),
)


def receipt_printers(point_of_sale_id: int) -> list[Printer]:
    """Return the active receipt printers of a point of sale."""
    return list(db.session.scalars(RECEIPT_PRINTERS, {"point_of_sale_id": point_of_sale_id}))


def enqueue(
    printer: Printer, kind: str, now: datetime, *, sale: Sale | None = None, **payload: Any
) -> PrintJob:
    """Add a print job; it is printed after the transaction commits."""
    job = PrintJob(
        printer=printer,
        kind=kind,
        sale=sale,
        payload=json.dumps(payload),
        state="pending",
        next_attempt_at=now,
        created_at=now,
    )
    db.session.add(job)
    return job


def enqueue_receipt(sale: Sale, now: datetime, *, duplicate: bool = False) -> list[PrintJob]:
    """Queue the receipt on the point of sale's receipt printers; cash opens the drawer."""
    cash = any(payment.method == "cash" for payment in sale.payments)
    return [
        enqueue(printer, "receipt", now, sale=sale, **receipt_payload(cash, duplicate))
        for printer in receipt_printers(sale.point_of_sale_id)
    ]


def receipt_payload(cash: bool, duplicate: bool) -> dict[str, bool]:
    """Return what a receipt job asks: a duplicate or not, and whether the drawer opens."""
    return {"duplicate": duplicate, "open_drawer": cash and not duplicate}


#: built once: every sale queues its receipt
JOB_INSERT = RowsInsert(
    cast(Table, PrintJob.__table__),
    (
        "printer_id",
        "kind",
        "sale_id",
        "payload",
        "state",
        "attempts",
        "next_attempt_at",
        "created_at",
    ),
)


def receipt_inserts(printer_ids: Sequence[int], sale_id: int, cash: bool, now: datetime) -> Inserts:
    """Return a new sale's receipt jobs on these printers, for the sale to write.

    The sale writes them with its stock moves (kiosk.driver_sql.insert_together): no ORM, no flush.
    """
    if not printer_ids:
        return []
    payload = json.dumps(receipt_payload(cash, duplicate=False))
    row = {
        "kind": "receipt",
        "sale_id": sale_id,
        "payload": payload,
        "state": "pending",
        "attempts": 0,
        "next_attempt_at": now,
        "created_at": now,
    }
    return [(JOB_INSERT, [{**row, "printer_id": printer} for printer in printer_ids])]


def enqueue_labels(
    printer: Printer, label: Label, copies: int, now: datetime, *, product_id: int
) -> PrintJob:
    """Queue copies of a product label on an active printer that can print barcodes."""
    if not printer.active:
        raise OperationError(
            422, "printer_inactive", _l("Printer %(printer)s staat uit.", printer=printer.name)
        )
    if type(copies) is not int or not 1 <= copies <= MAX_COPIES:
        raise OperationError(
            422,
            "invalid_copies",
            _l("Kies 1 tot %(max_copies)s etiketten per printopdracht.", max_copies=MAX_COPIES),
        )
    paper = paper_format(printer.profile, printer.paper_width_mm)
    if not (paper.hardware_barcode or paper.software_barcode):
        raise OperationError(
            422,
            "no_barcodes",
            _l(
                "Printer %(printer)s (%(profile)s) kan geen streepjescodes afdrukken.",
                printer=printer.name,
                profile=printer.profile,
            ),
        )
    return enqueue(printer, "label", now, **label_payload(label, copies, product_id))


def claim_next_job(now: datetime) -> PrintJob | None:
    """Take the oldest due job for printing, so no other worker prints it too."""
    job = db.session.scalar(
        select(PrintJob)
        .where(
            ((PrintJob.state == "pending") & (PrintJob.next_attempt_at <= now))
            | ((PrintJob.state == "printing") & (PrintJob.claimed_until < now))
        )
        .order_by(PrintJob.next_attempt_at, PrintJob.id)
        .limit(1)
        .with_for_update(skip_locked=True)
    )
    if job is not None:
        job.state = "printing"
        job.claimed_until = now + LEASE
        job.attempts += 1
    return job


def job_printed(job: PrintJob, now: datetime) -> None:
    """Record that a job was printed."""
    job.state = "printed"
    job.printed_at = now
    job.claimed_until = None
    job.last_error = None


def job_failed(job: PrintJob, now: datetime, message: str) -> None:
    """Put a job back in the queue with a growing wait (2, 4, 8 … seconds, at most 5 minutes)."""
    job.state = "pending"
    job.claimed_until = None
    job.last_error = message
    job.next_attempt_at = now + timedelta(seconds=min(2**job.attempts, MAX_BACKOFF_SECONDS))


def retry_now(job: PrintJob, now: datetime) -> None:
    """Make a waiting job due at once (the till's "try again")."""
    if job.state == "pending":
        job.next_attempt_at = now


def cancel_job(job: PrintJob) -> None:
    """Stop trying to print a job."""
    if job.state in ("pending", "printing"):
        job.state = "cancelled"
        job.claimed_until = None


@dataclass(frozen=True)
class PrinterTrouble:
    """A printer whose jobs fail: how many wait after a failed attempt, and the last error."""

    name: str
    point_of_sale_id: int | None
    failing_jobs: int
    last_error: str


def get_printers_in_trouble() -> list[PrinterTrouble]:
    """Return the printers with jobs still waiting after a failed attempt (offline, no paper)."""
    rows = db.session.execute(
        select(Printer, func.count(PrintJob.id), func.max(PrintJob.id))
        .join(PrintJob, PrintJob.printer_id == Printer.id)
        .where(PrintJob.state.in_(("pending", "printing")), PrintJob.last_error.is_not(None))
        .group_by(Printer.id)
        .order_by(Printer.name)
    ).all()
    return [
        PrinterTrouble(
            printer.name,
            printer.point_of_sale_id,
            int(count),
            db.session.get_one(PrintJob, last_job_id).last_error or "",
        )
        for printer, count, last_job_id in rows
    ]
