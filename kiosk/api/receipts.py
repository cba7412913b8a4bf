"""GET/POST /api/v1/sales/<id>/receipt: whether the receipt printed, and "try again"."""

from __future__ import annotations

from flask import g
from flask.typing import ResponseReturnValue
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from kiosk.api.blueprint import bp, error_response
from kiosk.extensions import db
from kiosk.models import PrintJob, Sale
from kiosk.models.types import utcnow
from kiosk.printing.queue import retry_now
from kiosk.printing.worker import notify_print_worker
from kiosk.sales.queries import get_sale


def receipt_jobs(sale_id: int) -> tuple[Sale | None, list[PrintJob]]:
    """Return this till's point of sale's sale and its receipt jobs."""
    sale = get_sale(sale_id)
    if sale is None or sale.point_of_sale_id != g.till.point_of_sale_id:
        return None, []
    jobs = db.session.scalars(
        select(PrintJob).where(PrintJob.sale_id == sale.id, PrintJob.kind == "receipt")
    )
    return sale, list(jobs)


def receipt_state(jobs: list[PrintJob]) -> dict[str, object]:
    """Summarise the receipt jobs: none, pending, failed (pending after an error) or printed."""
    if not jobs:
        return {"state": "none", "message": None}
    latest = max(jobs, key=lambda job: job.id)
    if latest.state == "printed":
        return {"state": "printed", "message": None}
    if latest.state in ("pending", "printing") and latest.last_error:
        return {"state": "failed", "message": latest.last_error}
    return {"state": latest.state, "message": latest.last_error}


@bp.get("/sales/<int:sale_id>/receipt")
def receipt_status(sale_id: int) -> ResponseReturnValue:
    """Tell the till whether the sale's receipt was printed."""
    sale, jobs = receipt_jobs(sale_id)
    if sale is None:
        return error_response(404, "not_found", _l("Deze verkoop bestaat niet."))
    return receipt_state(jobs)


@bp.post("/sales/<int:sale_id>/receipt")
def retry_receipt(sale_id: int) -> ResponseReturnValue:
    """Try to print a receipt that is still waiting, now."""
    sale, jobs = receipt_jobs(sale_id)
    if sale is None:
        return error_response(404, "not_found", _l("Deze verkoop bestaat niet."))
    waiting = [job for job in jobs if job.state == "pending"]
    if not waiting:
        return error_response(
            409, "nothing_to_print", _l("Deze bon wacht niet om geprint te worden.")
        )
    for job in waiting:
        retry_now(job, utcnow())
    db.session.commit()
    notify_print_worker()
    return receipt_state(jobs), 202
