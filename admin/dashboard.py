"""The managers' dashboard: turnover, top products, busy hours, waste and the GKS watch."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from flask import render_template
from flask.typing import ResponseReturnValue
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from admin.blueprint import bp, manager_required
from kiosk.decimal_text import milli_text
from kiosk.models.types import Unit, utcnow
from kiosk.money import format_euro
from kiosk.periods import business_day
from kiosk.reports.charts import Series, bar_chart, horizontal_bars, line_chart
from kiosk.reports.dashboard import (
    get_daily_totals,
    get_daily_turnover,
    get_hourly_sales,
    get_top_products,
    get_waste_by_reason,
)
from kiosk.reports.day_figures import SalesScope
from kiosk.reports.meal_turnover import get_gks_watch

PERIOD_DAYS = 30
#: 52 weeks: the same weekday a year earlier, so Saturdays meet Saturdays
YEAR_BEFORE = timedelta(days=364)
WASTE_LABELS = {
    "expired": _l("over datum"),
    "damaged": _l("beschadigd"),
    "eaten": _l("opgegeten in de bistro"),
    "other": _l("andere reden"),
}


@bp.get("/dashboard")
@manager_required
def dashboard() -> ResponseReturnValue:
    """Show the last 30 days in charts and tables, and the GKS watch of this year."""
    today = business_day(utcnow())
    scope = SalesScope(today - timedelta(days=PERIOD_DAYS - 1), today)
    days, per_point = get_daily_turnover(scope)
    return render_template(
        "admin/dashboard.html",
        scope=scope,
        daily=daily_turnover(days, per_point),
        compared=compared_with_last_year(scope, days, per_point),
        top=top_products(scope),
        hourly=hourly_sales(scope),
        waste=waste(scope),
        gks=get_gks_watch(today.year, today),
        gks_last_year=get_gks_watch(today.year - 1),
    )


def euro_axis(cents: int) -> str:
    """Write an amount for a chart: whole euros when there are no cents (an axis tick)."""
    text = format_euro(cents)
    return f"{text[:-3] if text.endswith(',00') else text} €"


@bp.app_template_filter("euro_whole")
def euro_whole(cents: int) -> str:
    """Write a threshold as the law states it: €25.000 (whole euros, rounded half up)."""
    return "€" + format_euro((cents + 50) // 100 * 100)[:-3]


def sold_quantity_text(milli: int, unit: str) -> str:
    """Write a sold quantity: pieces as a number ('12'), kg to the gram with its unit."""
    return f"{milli_text(milli, unit)} kg" if unit == Unit.KG else milli_text(milli, unit)


def daily_turnover(days: list[date], per_point: dict[str, list[int]]) -> dict[str, Any]:
    """Turnover per day, stacked per point of sale."""
    labels = [f"{day.day}/{day.month}" for day in days]
    series = [Series(name, values) for name, values in per_point.items()]
    rows = [
        (day, [values[index] for values in per_point.values()]) for index, day in enumerate(days)
    ]
    chart = bar_chart(labels, series, title=_("Omzet per dag en per verkooppunt"), fmt=euro_axis)
    return {
        "chart": chart,
        "points": list(per_point),
        "rows": [(day, amounts, sum(amounts)) for day, amounts in rows],
        "has_data": bool(per_point),
    }


def compared_with_last_year(
    scope: SalesScope, days: list[date], per_point: dict[str, list[int]]
) -> dict[str, Any]:
    """Turnover per day beside the same weekday 52 weeks earlier."""
    current = [sum(values[index] for values in per_point.values()) for index in range(len(days))]
    before = SalesScope(scope.first_day - YEAR_BEFORE, scope.last_day - YEAR_BEFORE)
    previous = get_daily_totals(before)
    chart = line_chart(
        [f"{day.day}/{day.month}" for day in days],
        Series(_("Deze periode"), current),
        Series(_("Een jaar eerder"), previous),
        title=_("Omzet per dag, met dezelfde weekdag een jaar eerder"),
        fmt=euro_axis,
    )
    return {
        "chart": chart,
        "rows": [
            (day, day - YEAR_BEFORE, amount, earlier)
            for day, amount, earlier in zip(days, current, previous, strict=True)
        ],
        "has_data": any(current) or any(previous),
    }


def top_products(scope: SalesScope) -> dict[str, Any]:
    """Return the ten products with the most turnover."""
    products = get_top_products(scope)
    chart = horizontal_bars(
        [product.name for product in products],
        [product.gross_cents for product in products],
        title=_("Best verkochte producten (omzet)"),
        fmt=euro_axis,
    )
    return {
        "chart": chart,
        "rows": [(p, sold_quantity_text(p.quantity_milli, p.unit)) for p in products],
        "has_data": bool(products),
    }


def hourly_sales(scope: SalesScope) -> dict[str, Any]:
    """Sales per hour of the day, from the first to the last hour that had any."""
    counts = get_hourly_sales(scope)
    busy = [hour for hour, count in enumerate(counts) if count]
    hours = list(range(busy[0], busy[-1] + 1)) if busy else []
    chart = bar_chart(
        [f"{hour}:00" for hour in hours],
        [Series(_("Verkopen"), [counts[hour] for hour in hours])],
        title=_("Verkopen per uur van de dag"),
        fmt=str,
    )
    return {
        "chart": chart,
        "rows": [(hour, counts[hour]) for hour in hours],
        "has_data": bool(busy),
    }


def waste(scope: SalesScope) -> dict[str, Any]:
    """Waste per reason, valued at purchase price."""
    totals = get_waste_by_reason(scope)
    labels = [str(WASTE_LABELS.get(total.reason, total.reason)) for total in totals]
    chart = horizontal_bars(
        labels,
        [total.value_cents for total in totals],
        title=_("Derving per reden (aankoopwaarde)"),
        fmt=euro_axis,
    )
    return {
        "chart": chart,
        "rows": list(zip(labels, totals, strict=True)),
        "has_data": bool(totals),
    }
