"""The figures of a run of business days: turnover per VAT rate, payment method, category, operator.

Every figure is added up from what the sales stored (their lines, payments and the VAT per rate
their receipts show), so the day summary, the X and Z reports and the exports agree to the cent.
A business day is a calendar day in Europe/Brussels; the database keeps UTC. A sale's day is
the day the till rang it up (`Sale.rung_up_at`), not when the server received it; a till's X and
Z reports count by `Sale.closing_day`, which differs for a late sale (one that arrived after its
day's Z report: it counts in the till's next Z, marked late).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Any, TypeVar, cast

from sqlalchemy import Select, func, select

from kiosk.extensions import db
from kiosk.models import Category, Payment, Product, Sale, SaleLine, SaleVat, Till, User
from kiosk.periods import BRUSSELS
from kiosk.reports.line_vat import LEAD, allocated, line_select, sold_units_milli, whole_units

AnySelect = TypeVar("AnySelect", bound=Select)  # type: ignore[type-arg]


@dataclass(frozen=True)
class SalesScope:
    """Which sales to add up: business days from first to last, for one till or point of sale.

    `closing` counts by the day whose Z report holds a sale (a till's X and Z) rather than the
    day it was rung up (turnover, exports).
    """

    first_day: date
    last_day: date
    till_id: int | None = None
    point_of_sale_id: int | None = None
    closing: bool = False
    #: a cut-off moment: only sales rung up before it (a day "so far"); not for `closing`
    until: datetime | None = None

    def utc_bounds(self) -> tuple[datetime, datetime]:
        """Return the UTC moments where the first day begins and the day after the last begins."""
        end = day_start(self.last_day + timedelta(days=1))
        return day_start(self.first_day), end if self.until is None else min(end, self.until)

    def where(self, query: AnySelect) -> AnySelect:
        """Limit a query over `Sale` to this scope."""
        if self.closing:
            limited = cast(Any, query).where(
                Sale.closing_day >= self.first_day, Sale.closing_day <= self.last_day
            )
        else:
            start, end = self.utc_bounds()
            limited = cast(Any, query).where(Sale.rung_up_at >= start, Sale.rung_up_at < end)
        if self.till_id is not None:
            limited = limited.where(Sale.till_id == self.till_id)
        if self.point_of_sale_id is not None:
            limited = limited.where(Sale.point_of_sale_id == self.point_of_sale_id)
        return cast(AnySelect, limited)


def day_start(day: date) -> datetime:
    """Return the UTC moment a Brussels business day begins (23 or 25 hours on DST days)."""
    return datetime.combine(day, time(), BRUSSELS).astimezone(UTC)


def within_days(
    query: AnySelect, moment: Any, first_day: date | None, last_day: date | None
) -> AnySelect:
    """Keep the rows whose `moment` falls on the Brussels business days given (None: open)."""
    if first_day is not None:
        query = query.where(moment >= day_start(first_day))
    if last_day is not None:
        query = query.where(moment < day_start(last_day + timedelta(days=1)))
    return query


@dataclass(frozen=True)
class VatTotal:
    """Turnover at one VAT rate: gross (incl. VAT), VAT and base."""

    rate_basis_points: int
    gross_cents: int
    vat_cents: int

    @property
    def base_cents(self) -> int:
        """Return the turnover without VAT."""
        return self.gross_cents - self.vat_cents


@dataclass(frozen=True)
class GroupTotal:
    """Turnover of one group (a category, an operator, a till): sales, incl. and excl. VAT."""

    name: str
    count: int
    gross_cents: int
    base_cents: int


@dataclass(frozen=True)
class TillTickets:
    """The first and last ticket number a till used in the scope."""

    till_code: str
    first_ticket: int
    last_ticket: int
    count: int


@dataclass(frozen=True)
class LateSale:
    """A sale that reached the server after its day's Z report: it counts in a later one."""

    receipt_number: str
    #: Brussels local time with its offset, ISO 8601
    rung_up_at: str
    total_cents: int

    @property
    def rung_up_text(self) -> str:
        """Return when it was rung up as the shop writes it: "05-12-2026 23:58"."""
        return datetime.fromisoformat(self.rung_up_at).strftime("%d-%m-%Y %H:%M")


@dataclass(frozen=True)
class Figures:
    """Everything a day summary, X or Z report shows; all money in cents."""

    first_day: date
    last_day: date
    sales_count: int
    refunds_count: int
    turnover_cents: int
    refunds_cents: int
    rounding_cents: int
    change_cents: int
    vat: list[VatTotal] = field(default_factory=list)
    #: what each method took in; change is already taken off cash
    payments: dict[str, int] = field(default_factory=dict)
    categories: list[GroupTotal] = field(default_factory=list)
    operators: list[GroupTotal] = field(default_factory=list)
    tickets: list[TillTickets] = field(default_factory=list)
    #: sales rung up on an earlier day whose Z was made before they arrived (X and Z only)
    late: list[LateSale] = field(default_factory=list)

    @property
    def vat_cents(self) -> int:
        """Return the VAT of every rate together."""
        return sum(total.vat_cents for total in self.vat)

    @property
    def base_cents(self) -> int:
        """Return the turnover without VAT."""
        return self.turnover_cents - self.vat_cents

    @property
    def received_cents(self) -> int:
        """Return what was paid, change taken off: the turnover plus the cash rounding."""
        return sum(self.payments.values())

    @property
    def average_basket_cents(self) -> int:
        """Return the average sale (refunds left out), rounded half up; 0 without sales."""
        if not self.sales_count:
            return 0
        sales = self.turnover_cents - self.refunds_cents
        return (2 * sales + self.sales_count) // (2 * self.sales_count)

    def as_json(self) -> dict[str, Any]:
        """Return the figures as plain JSON values (dates as ISO text)."""
        data = asdict(self)
        data["first_day"] = self.first_day.isoformat()
        data["last_day"] = self.last_day.isoformat()
        return data


def get_figures(scope: SalesScope) -> Figures:
    """Add up the sales in `scope`."""
    counts = db.session.execute(
        scope.where(
            select(
                func.count(Sale.id).filter(Sale.refund_of_id.is_(None)),
                func.count(Sale.id).filter(Sale.refund_of_id.is_not(None)),
                func.coalesce(func.sum(Sale.total_cents), 0),
                func.coalesce(func.sum(Sale.total_cents).filter(Sale.refund_of_id.is_not(None)), 0),
                func.coalesce(func.sum(Sale.rounding_cents), 0),
                func.coalesce(func.sum(Sale.change_cents), 0),
            )
        )
    ).one()
    sales_count, refunds_count, turnover, refunds, rounding, change = (int(n) for n in counts)
    return Figures(
        first_day=scope.first_day,
        last_day=scope.last_day,
        sales_count=sales_count,
        refunds_count=refunds_count,
        turnover_cents=turnover,
        refunds_cents=refunds,
        rounding_cents=rounding,
        change_cents=change,
        vat=get_vat_totals(scope),
        payments=get_payment_totals(scope, change),
        categories=get_category_totals(scope),
        operators=get_operator_totals(scope),
        tickets=get_ticket_ranges(scope),
        late=get_late_sales(scope) if scope.closing else [],
    )


def get_late_sales(scope: SalesScope) -> list[LateSale]:
    """Return the late sales in the scope, in ticket order, with the Brussels time of sale."""
    rows = db.session.execute(
        scope.where(
            select(Sale.receipt_number, Sale.rung_up_at, Sale.total_cents)
            .where(Sale.late.is_(True))
            .order_by(Sale.till_id, Sale.ticket_number)
        )
    ).all()
    return [
        LateSale(number, moment.astimezone(BRUSSELS).isoformat(timespec="seconds"), int(total))
        for number, moment, total in rows
    ]


def get_vat_totals(scope: SalesScope) -> list[VatTotal]:
    """Add up the VAT per rate exactly as the receipts showed it, lowest rate first."""
    rows = db.session.execute(
        scope.where(
            select(
                SaleVat.rate_basis_points,
                func.sum(SaleVat.gross_cents),
                func.sum(SaleVat.vat_cents),
            )
            .join(Sale, Sale.id == SaleVat.sale_id)
            .group_by(SaleVat.rate_basis_points)
            .order_by(SaleVat.rate_basis_points)
        )
    ).all()
    return [VatTotal(int(rate), int(gross), int(vat)) for rate, gross, vat in rows]


def get_payment_totals(scope: SalesScope, change_cents: int) -> dict[str, int]:
    """Add up the payments per method; the change given back comes off cash."""
    rows = db.session.execute(
        scope.where(
            select(Payment.method, func.sum(Payment.amount_cents))
            .join(Sale, Sale.id == Payment.sale_id)
            .group_by(Payment.method)
            .order_by(Payment.method)
        )
    ).all()
    totals = {method: int(amount) for method, amount in rows}
    if change_cents:
        totals["cash"] = totals.get("cash", 0) - change_cents
    return totals


def get_category_totals(scope: SalesScope) -> list[GroupTotal]:
    """Add up the lines per product category (lines of products without one: "Zonder categorie").

    VAT and base are the lines' shares of their receipts' VAT (kiosk.reports.line_vat), so the
    categories add up to the receipts' totals; the count is of sold units (refunds count back,
    split-bill parts add up to their item, a weighed line is one unit).
    """
    rows = db.session.execute(
        scope.where(
            line_select(Category.name, SaleLine.unit, SaleLine.quantity_milli)
            .outerjoin(Product, Product.id == SaleLine.product_id)
            .outerjoin(Category, Category.id == Product.category_id)
        )
    )
    totals: dict[str, list[int]] = {}
    for row, vat in allocated(rows):
        entry = totals.setdefault(row[LEAD] or "Zonder categorie", [0, 0, 0])
        entry[0] += sold_units_milli(row[LEAD + 1], int(row[LEAD + 2]))
        entry[1] += int(row[2])
        entry[2] += int(row[2]) - vat
    return sorted(
        (
            GroupTotal(name, whole_units(units), gross, base)
            for name, (units, gross, base) in totals.items()
        ),
        key=lambda group: (-group.gross_cents, group.name),
    )


def get_operator_totals(scope: SalesScope) -> list[GroupTotal]:
    """Add up the sales per operator, incl. and excl. VAT (as the receipts split it)."""
    money_rows = db.session.execute(
        scope.where(
            select(User.name, func.sum(SaleVat.gross_cents), func.sum(SaleVat.vat_cents))
            .select_from(SaleVat)
            .join(Sale, Sale.id == SaleVat.sale_id)
            .join(User, User.id == Sale.operator_id)
            .group_by(User.name)
        )
    ).all()
    count_rows = db.session.execute(
        scope.where(
            select(User.name, func.count(Sale.id))
            .join(User, User.id == Sale.operator_id)
            .group_by(User.name)
        )
    ).all()
    sale_counts = {name: int(count) for name, count in count_rows}
    return sorted(
        (
            GroupTotal(name, sale_counts.get(name, 0), int(gross), int(gross) - int(vat))
            for name, gross, vat in money_rows
        ),
        key=lambda group: (-group.gross_cents, group.name),
    )


def get_ticket_ranges(scope: SalesScope) -> list[TillTickets]:
    """Return each till's first and last ticket number in the scope, by till code."""
    rows = db.session.execute(
        scope.where(
            select(
                Till.code,
                func.min(Sale.ticket_number),
                func.max(Sale.ticket_number),
                func.count(Sale.id),
            )
            .join(Till, Till.id == Sale.till_id)
            .group_by(Till.code)
            .order_by(Till.code)
        )
    ).all()
    return [TillTickets(code, int(first), int(last), int(n)) for code, first, last, n in rows]
