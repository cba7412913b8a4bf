"""The settlement and valuation pages: choose, print, download; bad input gets a Dutch answer."""

from __future__ import annotations

import csv
import io
import re
import uuid
from datetime import UTC, date, datetime, timedelta
from typing import Any
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo

import pytest
from flask import Flask
from flask.testing import FlaskClient
from openpyxl import load_workbook
from sqlalchemy import select
from werkzeug.test import TestResponse

from kiosk.extensions import db
from kiosk.models import Location, Organisation, PointOfSale, Producer, Product
from kiosk.models.types import utcnow
from kiosk.stock.operations import DeliveredLine, receive_delivery
from tests.conftest import found


@pytest.fixture
def world(app: Flask, farm_shop: dict[str, Any], monkeypatch: pytest.MonkeyPatch) -> dict[str, Any]:
    """De Linde (consignment, 20 %) and bakery Peeters, with January sales, stock and details."""
    with app.app_context():
        db.session.add(
            Organisation(
                id=1,
                name="vzw De Boomgaard",
                address="Kerkstraat 1, 2500 Lier",
                vat_number="BE0123.456.749",
            )
        )
        linde = Producer(
            name="Hoeve De Linde",
            farm="Hof ter Linde",
            town="Koningshooikt",
            email="linde@example.be",
            consignment=True,
            commission_percent=20,
        )
        peeters = Producer(name="Bakkerij Peeters", consignment=False)
        db.session.add_all([linde, peeters])
        db.session.flush()
        products = {key: db.session.get_one(Product, farm_shop[key]) for key in farm_shop
                    if key in ("bread", "eggs", "cheese", "candle")}  # fmt: skip
        products["eggs"].producer = products["cheese"].producer = linde
        products["bread"].producer = peeters
        products["eggs"].purchase_price_cents = 200  # the lot's own price (1,80) counts
        products["bread"].stock_tracked = products["cheese"].stock_tracked = False
        farm = db.session.scalar(select(PointOfSale).where(PointOfSale.code == "HW"))
        shelf = Location(code="REK", name="Winkelrek", sells_for=farm)
        db.session.add(shelf)
        receive_delivery(
            linde.id,
            shelf,
            [
                DeliveredLine(products["eggs"], 20_000, 180),
                DeliveredLine(products["candle"], 2_000, None),
            ],
            None,
            utcnow(),
        )
        db.session.commit()
        ids = {"linde": linde.id, "peeters": peeters.id}
    moment = [datetime(2026, 1, 10, 12, tzinfo=UTC)]
    monkeypatch.setattr("kiosk.api.sales.utcnow", lambda: moment[0])
    for when, lines in [
        ("2026-01-10 12:00", [("eggs", "2"), ("bread", "1")]),
        ("2026-01-31 23:30", [("eggs", "5")]),  # 1 February in Brussels
        ("2026-01-20 09:00", [("cheese", "0.347")]),
    ]:
        moment[0] = datetime.fromisoformat(when).replace(tzinfo=UTC)
        response = app.test_client().post(
            "/api/v1/sales",
            json={
                "operator_id": farm_shop["operator_id"],
                "lines": [{"product_id": farm_shop[k], "quantity": q} for k, q in lines],
                "payments": [{"method": "cash", "amount_cents": 10_000}],
            },
            headers={**farm_shop["headers"], "Idempotency-Key": str(uuid.uuid4())},
        )
        assert response.status_code == 201
    return {**farm_shop, **ids}


JANUARY = {"from": "2026-01-01", "to": "2026-01-31"}


def download(client: FlaskClient, url: str, **options: Any) -> TestResponse:
    """Get a file, read it whole and close the response (XLSX comes from a temporary file)."""
    response = client.get(url, **options)
    response.get_data()
    response.close()
    return response


def months_before_today(months: int) -> tuple[date, date]:
    today = datetime.now(ZoneInfo("Europe/Brussels")).date()
    first = today.replace(day=1)
    for _ in range(months):
        first = (first - timedelta(days=1)).replace(day=1)
    last = (first + timedelta(days=32)).replace(day=1) - timedelta(days=1)
    return first, last


def test_the_choice_offers_consignment_producers_first(
    manager: FlaskClient, world: dict[str, Any]
) -> None:
    page = manager.get("/admin/settlement")
    assert page.status_code == 200
    html = page.text
    assert html.index('optgroup label="Consignatie"') < html.index("Hoeve De Linde")
    assert html.index("Hoeve De Linde") < html.index('optgroup label="Aankoop (geen commissie)"')
    assert html.index('optgroup label="Aankoop') < html.index("Bakkerij Peeters")
    assert "<legend>Periode</legend>" in html
    assert '<label for="first_day">Van</label>' in html
    assert 'type="date"' in html


@pytest.mark.parametrize(("period", "months"), [("last_month", 1), ("this_month", 0)])
def test_a_month_opens_its_statement(
    manager: FlaskClient, world: dict[str, Any], period: str, months: int
) -> None:
    response = manager.get(f"/admin/settlement?producer={world['linde']}&period={period}")
    assert response.status_code == 302
    location = urlsplit(response.headers["Location"])
    assert location.path == f"/admin/settlement/{world['linde']}"
    first, last = months_before_today(months)
    assert parse_qs(location.query) == {"from": [first.isoformat()], "to": [last.isoformat()]}


def test_dates_open_their_statement(manager: FlaskClient, world: dict[str, Any]) -> None:
    response = manager.get(
        f"/admin/settlement?producer={world['peeters']}&period=dates"
        "&first_day=2026-01-01&last_day=2026-01-31"
    )
    assert response.status_code == 302
    assert response.headers["Location"].endswith(
        f"/admin/settlement/{world['peeters']}?from=2026-01-01&to=2026-01-31"
    )


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("producer={linde}&period=dates&first_day=2026-02-01&last_day=2026-01-31",
         "De einddatum ligt voor de begindatum."),
        ("producer={linde}&period=dates&first_day=2026-13-01&last_day=2026-01-31",
         "Geef een datum, bv. 2026-01-31."),
        ("producer={linde}&period=dates&first_day=2026-01-01", "Geef een datum, bv. 2026-01-31."),
        ("producer=999999&period=last_month", "Kies een producent uit de lijst."),
        ("producer=99999999999999999999&period=last_month", "Kies een producent uit de lijst."),
        ("producer=abc&period=last_month", "Kies een producent uit de lijst."),
        ("producer={linde}&period=year", "Kies een periode."),
    ],
    ids=["order", "bad-date", "no-date", "unknown", "huge", "text", "period"],
)  # fmt: skip
def test_bad_choices_are_explained_and_kept(
    manager: FlaskClient, world: dict[str, Any], query: str, message: str
) -> None:
    response = manager.get("/admin/settlement?" + query.format(linde=world["linde"]))
    assert response.status_code == 200
    assert f'<p class="field-error">{message}</p>' in response.text
    assert 'aria-invalid="true"' in response.text or "has-error" in response.text
    if "first_day=2026-13-01" in query:
        assert 'value="2026-13-01"' in response.text  # what was typed stays


def test_the_statement_is_a_printable_document(manager: FlaskClient, world: dict[str, Any]) -> None:
    response = manager.get(f"/admin/settlement/{world['linde']}", query_string=JANUARY)
    assert response.status_code == 200
    html = response.text
    for text in [
        "vzw De Boomgaard",
        "Kerkstraat 1, 2500 Lier",
        "BE0123.456.749",
        "Hoeve De Linde",
        "Hof ter Linde",
        "Koningshooikt",
        "linde@example.be",
        "Afrekening consignatie",
        "Periode: 1 januari 2026 tot en met 31 januari 2026",
        "Commissie 20% op de verkoopprijs incl. btw, afgerond op het totaal.",
    ]:
        assert text in html, text
    rows = re.findall(r"<tr>\s*<th scope=\"row\">([^<]+)</th>(.*?)</tr>", html, re.S)
    cells = {name: re.findall(r'class="num">([^<]+)<', rest) for name, rest in rows}
    assert cells["Eieren (6)"] == ["2 st.", "5,90 €", "0,33 €", "5,57 €", "1,18 €", "4,72 €"]
    assert cells["Hoevekaas"] == ["0,347 kg", "8,64 €", "0,49 €", "8,15 €", "1,73 €", "6,91 €"]
    assert "Te betalen: <strong>11,63 €</strong>" in html
    assert '<th scope="row">6 %</th><td class="num">13,72 €</td><td class="num">0,82 €</td>' in html
    assert "Opgemaakt op " in html
    assert 'class="printable"' in html and "admin/print.js" in html


def test_a_purchase_producer_gets_an_overview_without_an_amount_due(
    manager: FlaskClient, world: dict[str, Any]
) -> None:
    html = manager.get(f"/admin/settlement/{world['peeters']}", query_string=JANUARY).text
    assert "Verkoopoverzicht" in html and "Boerenbrood" in html
    assert "Te betalen" not in html and "Commissie" not in html


def test_the_statement_of_this_month_opens_without_dates(
    manager: FlaskClient, world: dict[str, Any]
) -> None:
    response = manager.get(f"/admin/settlement/{world['linde']}")
    assert response.status_code == 200
    first, _last = months_before_today(0)
    assert f"statement.csv?from={first.isoformat()}" in response.text


@pytest.mark.parametrize(
    ("query", "status", "message"),
    [
        ({"from": "2026-02-01", "to": "2026-01-31"}, 400, "De einddatum ligt voor de begindatum."),
        ({"from": "gisteren", "to": "2026-01-31"}, 400, "Geef een datum, bv. 2026-01-31."),
        ({"from": "", "to": ""}, 400, "Geef een datum, bv. 2026-01-31."),
    ],
)
def test_a_statement_with_a_bad_period_shows_the_choice_again(
    manager: FlaskClient, world: dict[str, Any], query: dict[str, str], status: int, message: str
) -> None:
    for path in ("", "/statement.csv", "/statement.xlsx"):
        response = manager.get(f"/admin/settlement/{world['linde']}{path}", query_string=query)
        assert response.status_code == status
        assert message in response.text
        assert "Afrekening tonen" in response.text


def test_an_unknown_producer_is_not_found(manager: FlaskClient, world: dict[str, Any]) -> None:
    assert manager.get("/admin/settlement/999999").status_code == 404
    assert manager.get("/admin/settlement/999999/statement.csv").status_code == 404
    assert manager.get(f"/admin/settlement/{world['linde']}/statement.pdf").status_code == 404


def test_the_statement_downloads_as_csv_and_xlsx(
    manager: FlaskClient, world: dict[str, Any]
) -> None:
    url = f"/admin/settlement/{world['linde']}/statement"
    response = download(manager, url + ".csv", query_string=JANUARY)
    assert response.status_code == 200
    assert response.content_type == "text/csv; charset=utf-8"
    assert response.headers["Content-Disposition"] == (
        'attachment; filename="afrekening-hoeve-de-linde-2026-01-01-2026-01-31.csv"'
    )
    assert response.data.startswith(b"\xef\xbb\xbfproducent;van;tot_en_met;product;eenheid;")
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig")), delimiter=";"))
    assert rows[-1] == [
        "Hoeve De Linde", "2026-01-01", "2026-01-31", "TOTAAL", "", "",
        "14,54", "0,82", "13,72", "20", "2,91", "11,63",
    ]  # fmt: skip

    plain = download(manager, url + ".csv", query_string={**JANUARY, "plain": "1"})
    assert plain.data.startswith(b"producent,van,")
    assert plain.data.decode().splitlines()[-1].endswith(",TOTAAL,,,14.54,0.82,13.72,20,2.91,11.63")

    xlsx = download(manager, url + ".xlsx", query_string=JANUARY)
    assert xlsx.status_code == 200
    assert xlsx.mimetype == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    workbook = load_workbook(io.BytesIO(xlsx.data))
    values = [[cell.value for cell in row] for row in workbook["Afrekening"].iter_rows()]
    assert values[1][3:9] == ["Eieren (6)", "stuk", 2, 5.9, 0.33, 5.57]
    assert values[1][1] == datetime(2026, 1, 1)
    workbook.close()


def test_the_valuation_page_shows_categories_products_and_flags(
    manager: FlaskClient, world: dict[str, Any]
) -> None:
    response = manager.get("/admin/valuation")
    assert response.status_code == 200
    html = response.text
    assert "<caption>Per categorie</caption>" in html and "<caption>Per product</caption>" in html
    assert re.search(r"Kaars\s*<span class=\"flag\">geen aankoopprijs</span>", html)
    assert "Producten zonder aankoopprijs: 1." in html
    # 20 eggs delivered at 1,80, 7 sold (5 of them on a February day in Brussels): 13 left
    eggs = found(r"Eieren \(6\)</th>(.*?)</tr>", html, re.S).group(1)
    assert re.findall(r'class="num">([^<]+)<', eggs)[:3] == ["13 st.", "23,40 €", "38,35 €"]
    # the eggs are De Linde's (consignment) until sold: not the shop's own stock
    own = found(r"<h2>Eigen voorraad</h2>\s*<ul class=\"tiles\">(.*?)</ul>", html, re.S).group(1)
    assert re.findall(r"<strong>([^<]+)</strong>", own)[:2] == ["0,00 €", "25,00 €"]  # candles
    assert (
        "Eigendom van de producenten tot het verkocht is, dus niet in de eigen voorraad: "
        "23,40 € aankoopwaarde, 38,35 € verkoopwaarde incl. btw (1 producten)."
    ) in html
    footer = found(r"<tfoot>(.*?)</tfoot>", html, re.S).group(1)
    purchase = re.findall(
        r'<th scope="row">([^<]+)</th>\s*<td[^>]*>[^<]*</td>\s*<td[^>]*>([^<]+)<', footer
    )
    assert purchase == [
        ("Eigen voorraad", "0,00 €"),
        ("In consignatie", "23,40 €"),
        ("Totaal", "23,40 €"),
    ]
    for link in ("products.csv", "products.xlsx", "categories.csv", "categories.xlsx"):
        assert f'href="/admin/valuation/{link}"' in html


def test_the_valuation_downloads(manager: FlaskClient, world: dict[str, Any]) -> None:
    response = download(manager, "/admin/valuation/products.csv")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"].startswith(
        'attachment; filename="voorraadwaarde-products-'
    )
    rows = list(csv.DictReader(io.StringIO(response.data.decode("utf-8-sig")), delimiter=";"))
    assert {row["product"]: row["aankoopwaarde"] for row in rows} == {
        "Eieren (6)": "23,40",
        "Kaars": "",
    }
    xlsx = download(manager, "/admin/valuation/categories.xlsx")
    workbook = load_workbook(io.BytesIO(xlsx.data))
    values = [[cell.value for cell in row] for row in workbook["Per categorie"].iter_rows()]
    assert [row[0] for row in values] == ["categorie", "Eieren", "Kaarsen", "TOTAAL"]
    assert values[-1][3] == 23.4
    assert values[0][-2:] == ["aankoopwaarde_eigen", "aankoopwaarde_consignatie"]
    assert values[-1][-2:] == [0, 23.4]  # the eggs are the producer's, not the shop's
    workbook.close()


def test_empty_pages_say_so(manager: FlaskClient) -> None:
    assert "Er zijn nog geen producenten." in manager.get("/admin/settlement").text
    assert "Er is geen voorraad." in manager.get("/admin/valuation").text


def test_the_pages_work_in_english(manager: FlaskClient, world: dict[str, Any]) -> None:
    manager.get("/language/en")
    for url in (
        "/admin/settlement",
        f"/admin/settlement/{world['linde']}?from=2026-01-01&to=2026-01-31",
        "/admin/valuation",
    ):
        response = manager.get(url)
        assert response.status_code == 200, url
        assert '<html lang="en">' in response.text


def test_staff_may_not_see_what_producers_are_owed(
    staff: FlaskClient, world: dict[str, Any]
) -> None:
    assert staff.get(f"/admin/settlement/{world['linde']}").status_code == 403
    assert staff.get("/admin/valuation/products.csv").status_code == 403
