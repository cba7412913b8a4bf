"""The sales per product page: filters, sortable columns, and a totals row that is the turnover."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from kiosk.reports.day_figures import SalesScope, get_figures
from tests.admin.conftest import Team
from tests.conftest import Shop
from tests.kiosk.reports.rounding_support import farm_sale, refund, rounding_world, split_tab

NOON = datetime(2026, 6, 10, 10, 0, tzinfo=UTC)
PAGE = "/admin/reports/products?from=2026-06-01&to=2026-06-30"


@pytest.fixture
def w(app: Flask, shop: Shop, team: Team) -> dict[str, Any]:
    """A June day at the farm shop and the bistro, with a refund and a tab paid in 3 parts."""
    w = rounding_world(app, shop)
    with app.app_context():
        sale = farm_sale(w, [("eggs", "3"), ("cheese", "1.250"), ("jam", "1")], "cash", NOON)
        refund(w, sale, [2], NOON)
        farm_sale(w, [("leek", "2"), ("wine", "1"), ("eggs", "1")], "card", NOON)
        split_tab(w, [("pasta", "1"), ("beer", "2")], 3, NOON)
    return w


def body_rows(html: str) -> list[list[str]]:
    """Return the cells of the table's body and foot, row by row, tags taken out."""
    rows = re.findall(r"<tr>(.*?)</tr>", html.split("<tbody>", 1)[1], re.S)
    return [
        [
            re.sub(r"<[^>]+>", "", cell).strip()
            for cell in re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", row, re.S)
        ]
        for row in rows
    ]


def test_products_with_quantity_turnover_vat_margin_and_a_totals_row(
    app: Flask, manager: FlaskClient, w: dict[str, Any]
) -> None:
    html = manager.get(PAGE).get_data(as_text=True)
    rows = {row[0]: row for row in body_rows(html)}
    assert rows["Eieren"][1] == "4 st."
    assert rows["Kaas"][1] == "1,25 kg"
    assert rows["Pasta"][1] == "1 st."  # three parts of one dish
    assert "Confituur" not in rows or rows["Confituur"][2] == "0,00 €"
    # Eieren: 4 × 1,00; purchase 4 × 0,50
    assert rows["Eieren"][2] == "4,00 €" and rows["Eieren"][5] == "2,00 €"
    with app.app_context():
        figures = get_figures(SalesScope(date(2026, 6, 1), date(2026, 6, 30)))
    total = rows["Totaal"]
    assert total[2] == f"{figures.turnover_cents / 100:.2f}".replace(".", ",") + " €"
    assert total[3] == f"{figures.base_cents / 100:.2f}".replace(".", ",") + " €"
    assert total[4] == f"{figures.vat_cents / 100:.2f}".replace(".", ",") + " €"
    turnover_page = manager.get("/admin/reports?period=month&date=2026-06-01").get_data(
        as_text=True
    )
    assert total[2] in turnover_page and total[3] in turnover_page
    assert "/admin/reports/products?" in turnover_page


def test_sorting_by_a_column_works_without_javascript(
    manager: FlaskClient, w: dict[str, Any]
) -> None:
    html = manager.get(PAGE + "&sort=product").get_data(as_text=True)
    names = [row[0] for row in body_rows(html)][:-1]
    assert names == sorted(names, key=str.lower)
    # the header links sort: by quantity, highest first, keeping the filters
    link = re.search(r'href="([^"]*sort=-quantity[^"]*)"', html)
    assert link and "from=2026-06-01" in link.group(1)
    by_quantity = manager.get(link.group(1).replace("&amp;", "&")).get_data(as_text=True)
    assert body_rows(by_quantity)[0][0] == "Eieren"


def test_filters_by_point_of_sale_category_and_producer(
    app: Flask, manager: FlaskClient, w: dict[str, Any]
) -> None:
    bistro = [row[0] for row in body_rows(manager.get(PAGE + "&pos=BI").get_data(as_text=True))]
    assert bistro == ["Pasta", "Hoevebier", "Totaal"]
    linde = w["producers"][0]
    names = [
        row[0] for row in body_rows(manager.get(f"{PAGE}&producer={linde}").get_data(as_text=True))
    ]
    assert sorted(names[:-1]) == ["Eieren", "Kaas", "Prei"]


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("from=2026-13-01", "Deze datum klopt niet."),
        ("pos=XX", "Dit verkooppunt bestaat niet."),
        ("category=999", "Deze categorie bestaat niet."),
        ("producer=abc", "Deze producent bestaat niet."),
        ("sort=price", "Op deze kolom kan niet gesorteerd worden."),
        ("from=2026-06-30&to=2026-06-01", "De begindatum ligt na de einddatum."),
    ],
)
def test_bad_filters_get_a_dutch_message_and_a_page(
    manager: FlaskClient, w: dict[str, Any], query: str, message: str
) -> None:
    response = manager.get(f"/admin/reports/products?{query}")
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)


def test_staff_may_not_see_sales_per_product(staff: FlaskClient) -> None:
    assert manager_only(staff.get("/admin/reports/products").status_code)


def manager_only(status: int) -> bool:
    """Return whether a status refuses a staff member (forbidden, or sent to log in)."""
    return status in (302, 403)
