"""Each sale line with its share of its receipt's VAT: the one rounding rule of every breakdown.

A receipt computes VAT once per rate over that rate's gross (BELGIUM.md), so a single line has
no VAT of its own. Every breakdown finer than a receipt (per category, operator, producer,
product, line) takes each receipt's own VAT per rate, as `SaleVat` stored it, and shares it
out over that receipt's lines of that rate in proportion to their amounts, by largest remainder
(`money.share_out`). So every breakdown adds up to the receipts' totals to the cent, and the
X and Z reports, the turnover page, the settlement, the product sales and the exports give the
same VAT and base for the same lines. No report rounds VAT any other way.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from itertools import groupby
from operator import itemgetter
from typing import Any

from sqlalchemy import Select, and_, select

from kiosk.models import Sale, SaleLine, SaleVat
from kiosk.models.rules import basis_points_to_rate
from kiosk.money import share_out, vat_included_cents

#: how many leading columns of `line_select` the allocation reads
LEAD = 4


def line_select(*columns: Any) -> Select[Any]:
    """Select sale lines with their receipt's VAT at their rate, then `columns`, sale by sale.

    Callers add their joins and filters (Sale is joined); an ordering they add must keep a
    sale's lines together, as `allocated` shares VAT out sale by sale.
    """
    return (
        select(
            SaleLine.sale_id,
            SaleLine.vat_rate_basis_points,
            SaleLine.amount_cents,
            SaleVat.vat_cents,
            *columns,
        )
        .select_from(SaleLine)
        .join(Sale, Sale.id == SaleLine.sale_id)
        .outerjoin(
            SaleVat,
            and_(
                SaleVat.sale_id == SaleLine.sale_id,
                SaleVat.rate_basis_points == SaleLine.vat_rate_basis_points,
            ),
        )
        .order_by(Sale.id, SaleLine.position)
    )


def allocated(rows: Iterable[Sequence[Any]]) -> Iterator[tuple[Sequence[Any], int]]:
    """Yield each row of `line_select` with the line's VAT in cents, shared out of its receipt's."""
    for _sale_id, sale_rows in groupby(rows, key=itemgetter(0)):
        lines = list(sale_rows)
        first = lines[0]
        if all(line[1] == first[1] for line in lines):  # one rate: one share-out, if any
            amounts = [int(line[2]) for line in lines]
            vat = receipt_vat(first[3], amounts, int(first[1]))
            yield from zip(lines, share_out(vat, amounts), strict=True)
            continue
        per_rate: dict[int, list[int]] = defaultdict(list)
        for index, line in enumerate(lines):
            per_rate[int(line[1])].append(index)
        shares = [0] * len(lines)
        for rate, indexes in per_rate.items():
            amounts = [int(lines[index][2]) for index in indexes]
            vat = receipt_vat(lines[indexes[0]][3], amounts, rate)
            for index, share in zip(indexes, share_out(vat, amounts), strict=True):
                shares[index] = share
        yield from zip(lines, shares, strict=True)


def receipt_vat(stored: Any, amounts: list[int], rate: int) -> int:
    """Return a receipt's VAT at a rate: as stored, or computed for rows made without it."""
    if stored is not None:
        return int(stored)
    return vat_included_cents(sum(amounts), basis_points_to_rate(rate))


def sold_units_milli(unit: str, quantity_milli: int) -> int:
    """Count a line's sold units in thousandths: its pieces, or one per weighing for kg goods.

    A refund line counts back what it pays back; split-bill parts add up to the whole item.
    """
    if unit == "kg":
        return 1000 if quantity_milli > 0 else -1000 if quantity_milli < 0 else 0
    return quantity_milli


def whole_units(milli: int) -> int:
    """Round thousandths of units to whole units, halves away from zero."""
    sign = -1 if milli < 0 else 1
    return sign * ((abs(milli) + 500) // 1000)
