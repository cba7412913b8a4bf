"""The print worker: takes due jobs from the queue and sends them to the printers.

It runs as a thread in the server process (started by `serve` and `demo`) or on its own
(`pluskassa printer-worker`). A printer that is off never touches a sale: the sale committed
long before, and its job waits with a growing back-off until the printer answers.
"""

from __future__ import annotations

import json
import logging
import threading

from flask import Flask, current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from kiosk.catalog.labels import label_from_payload
from kiosk.errors import OperationError
from kiosk.extensions import db
from kiosk.models import Printer, PrintJob
from kiosk.models.types import utcnow
from kiosk.printing.queue import claim_next_job, job_failed, job_printed
from kiosk.sales.receipts import build_receipt
from printers import (
    PrinterError,
    PrinterUnavailable,
    paper_format,
    parse_printer_url,
    render_receipt,
    render_test_page,
    send,
)
from printers.labels import render_labels

log = logging.getLogger(__name__)


def render_job(job: PrintJob) -> bytes:
    """Render a job's document for its printer."""
    paper = paper_format(job.printer.profile, job.printer.paper_width_mm)
    payload = json.loads(job.payload or "{}")
    if job.kind == "receipt" and job.sale is not None:
        receipt = build_receipt(job.sale, duplicate=bool(payload.get("duplicate")))
        return render_receipt(receipt, paper, open_drawer=bool(payload.get("open_drawer")))
    if job.kind == "test":
        return render_test_page(job.printer.name, paper)
    if job.kind == "report":  # an X or Z report, laid out whole when it was queued
        from kiosk.cash.reports import report_from_payload
        from printers import render_report

        try:
            return render_report(report_from_payload(payload["report"]), paper)
        except (KeyError, TypeError, ValueError) as error:
            raise PrinterError(f"Dit rapport is onleesbaar ({error}).") from error
    if job.kind == "kitchen":  # a kitchen or bar ticket, laid out whole when it was queued
        from kiosk.bistro.kitchen_tickets import kitchen_ticket_from_payload
        from printers import render_kitchen_ticket

        try:
            return render_kitchen_ticket(kitchen_ticket_from_payload(payload), paper)
        except (KeyError, TypeError, ValueError) as error:
            raise PrinterError(f"Dit keukenticket is onleesbaar ({error}).") from error
    if job.kind == "label":
        try:
            label, copies = label_from_payload(payload)
        except PrinterError:
            raise
        except (KeyError, TypeError, ValueError) as error:
            raise PrinterError(f"Deze etiketopdracht is onleesbaar ({error}).") from error
        return render_labels(label, paper, copies=copies)
    raise PrinterError(f"Onbekend soort printopdracht: {job.kind}")


def write_transaction() -> None:
    """Start a short transaction that takes SQLite's write lock at once."""
    db.session.rollback()
    db.session.connection(execution_options={"sqlite_immediate": True})


def claim() -> PrintJob | None:
    """Claim one due job in a short transaction of its own."""
    write_transaction()
    job = claim_next_job(utcnow())
    db.session.commit()
    return job


def print_job(job: PrintJob, timeout: float) -> str | None:
    """Render and send one claimed job; return the Dutch error, or None when it printed."""
    try:
        address = parse_printer_url(job.printer.url)
        data = render_job(job)
    except PrinterError as error:
        return str(error)
    finally:
        db.session.rollback()  # no read transaction stays open while the printer is slow
    try:
        send(address, data, timeout=timeout)
    except PrinterUnavailable as error:
        return error.message
    except PrinterError as error:
        return str(error)
    return None


def record_outcome(job_id: int, error: str | None) -> None:
    """Mark a job printed, or put it back with its error, in a short write transaction."""
    write_transaction()
    job = db.session.get(PrintJob, job_id)
    if job is not None:
        if error is None:
            job_printed(job, utcnow())
        else:
            job_failed(job, utcnow(), error)
    db.session.commit()


def print_due_jobs(limit: int = 50) -> int:
    """Print the jobs that are due now; return how many were printed."""
    printed = 0
    timeout = current_app.config["PRINT_TIMEOUT_SECONDS"]
    for _ in range(limit):
        job = claim()
        if job is None:
            break
        job_id = job.id
        error = print_job(job, timeout)
        record_outcome(job_id, error)
        printed += error is None
    return printed


class PrintWorker:
    """A background thread that prints due jobs and wakes up when a sale adds one."""

    def __init__(self, app: Flask) -> None:
        self.app = app
        self.wake = threading.Event()
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self.run, name="print-worker", daemon=True)

    def start(self) -> None:
        """Start printing in the background."""
        self.app.extensions["print_worker"] = self
        self.thread.start()

    def notify(self) -> None:
        """Tell the worker a job was added."""
        self.wake.set()

    def stop(self) -> None:
        """Stop after the current job."""
        self.stopping.set()
        self.wake.set()
        self.thread.join(timeout=30)

    def run(self) -> None:
        """Print until stopped, polling for jobs other processes added."""
        poll = self.app.config["PRINT_POLL_SECONDS"]
        while not self.stopping.is_set():
            try:
                with self.app.app_context():
                    print_due_jobs()
            except Exception:  # a broken job must not end printing for the whole shop
                log.exception("print worker")
            self.wake.wait(poll)
            self.wake.clear()


def notify_print_worker() -> None:
    """Wake this process's print worker, if it runs one."""
    worker = current_app.extensions.get("print_worker")
    if worker is not None:
        worker.notify()


def describe_printers() -> list[str]:
    """Describe every printer on one line, with the jobs it still has to print."""
    lines = []
    for printer in db.session.scalars(select(Printer).order_by(Printer.name)):
        waiting = db.session.scalar(
            select(func.count(PrintJob.id)).where(
                PrintJob.printer_id == printer.id, PrintJob.state.in_(("pending", "printing"))
            )
        )
        where = printer.point_of_sale.code if printer.point_of_sale else "-"
        state = "actief" if printer.active else "uit"
        lines.append(
            f"{printer.name:<16} {printer.role:<8} {where:<4} {printer.profile:<10} "
            f"{printer.paper_width_mm} mm  {printer.url}  {state}, {waiting} wachtend"
        )
    return lines or ["Er zijn nog geen printers."]


def print_test_page(name: str) -> tuple[bool, str]:
    """Print a test page on the named printer now; return whether it worked and what happened."""
    printer = db.session.scalar(select(Printer).where(Printer.name == name))
    if printer is None:
        raise OperationError(
            404, "unknown_printer", _l("Printer %(name)s bestaat niet.", name=name)
        )
    paper = paper_format(printer.profile, printer.paper_width_mm)
    timeout = current_app.config["PRINT_TIMEOUT_SECONDS"]
    try:
        send(parse_printer_url(printer.url), render_test_page(printer.name, paper), timeout=timeout)
    except PrinterUnavailable as error:
        return False, f"{printer.name}: {error.message}"
    return True, f"{printer.name}: de testpagina is geprint."
