"""The cash drawer pages: open with a float, cash in and out, count, X report, close with a Z."""

from __future__ import annotations

import json
import re
import threading
import time
import uuid
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select
from werkzeug.test import TestResponse

from kiosk.bistro.tabs import WantedItem, add_items, cancel_item, open_tab
from kiosk.cash.drawer import close_day, get_drawer, open_cash_session, record_cash_count
from kiosk.extensions import db
from kiosk.models import CashMovement, CashSession, DiningTable, PrintJob, Till, User, ZReport
from kiosk.models.cash import IN_OUT
from kiosk.models.types import utcnow
from kiosk.money import EURO_PIECES
from kiosk.periods import business_day
from kiosk.printing.queue import add_printer
from kiosk.printing.worker import print_due_jobs
from kiosk.sales.operations import Order, OrderLine, record_sale
from printers.formatting import columns_row
from tests.admin.conftest import Team, logged_in
from tests.conftest import Shop, csrf_token
from tests.fake_printer import FakeNetworkPrinter
from tests.printers.escpos_stream import printed_lines

DAY = date(2026, 11, 20)
NOON = datetime(2026, 11, 20, 11, 0, tzinfo=UTC)
ALREADY_CLOSED = "Deze dag is afgesloten met een Z-rapport. Er kan niets meer bij."
NOT_COUNTED = "Tel eerst de kassa. Dan kan je de dag afsluiten."


def sell(
    app: Flask,
    farm_shop: dict[str, Any],
    lines: list[tuple[str, str]],
    payments: list[tuple[str, int]],
    now: datetime = NOON,
) -> None:
    """Record one sale at the farm shop's till through the operation the API uses."""
    with app.app_context():
        order = Order(
            operator_id=farm_shop["operator_id"],
            lines=tuple(OrderLine(farm_shop[name], Decimal(qty)) for name, qty in lines),
            payments=tuple(payments),
        )
        till = db.session.get_one(Till, farm_shop["till_id"])
        record_sale(till, order, str(uuid.uuid4()), now)
        db.session.commit()


def day_url(farm_shop: dict[str, Any], suffix: str = "", day: date = DAY) -> str:
    """Return the URL of the farm shop till's drawer of a day."""
    return f"/admin/cash/{farm_shop['till_id']}/{day.isoformat()}{suffix}"


def post(client: FlaskClient, url: str, data: dict[str, str], page: str) -> TestResponse:
    """Open `page` and post `data` to `url` with the page's CSRF token."""
    token = csrf_token(client.get(page).text)
    return client.post(url, data={**data, "csrf_token": token})


def count_data(pieces: dict[int, int], reason: str = "geteld in de test") -> dict[str, str]:
    """Return the count form's fields: every note and coin (zero unless given), the reason."""
    return {
        **{f"piece_{value}": str(pieces.get(value, 0)) for value in EURO_PIECES},
        "difference_reason": reason,
    }


def without_close(html: str) -> str:
    """Return a Z page's figures without the rows only a close has (to the bank, next float)."""
    return re.sub(
        r"\s*<tr><th scope=\"row\">(Naar de bank|Wisselkas voor morgen)<.*?</tr>", "", html
    )


def report_html(page: str) -> str:
    """Return the figures part of an X or Z page."""
    start = page.index('<section class="cash-report-part"')
    return page[start : page.index("</main>")]


def z_reports(app: Flask) -> list[ZReport]:
    """Return every Z report, detached."""
    with app.app_context():
        reports = list(db.session.scalars(select(ZReport).order_by(ZReport.id)))
        db.session.expunge_all()
        return reports


@pytest.fixture
def sold(app: Flask, farm_shop: dict[str, Any]) -> dict[str, Any]:
    """Two sales on DAY: bread (6 %) in cash with change, a candle (21 %) by card."""
    sell(app, farm_shop, [("bread", "2")], [("cash", 1000)])  # 7,60, change 2,40
    sell(
        app,
        farm_shop,
        [("candle", "1"), ("eggs", "1")],
        [("card", 1545)],
        NOON + timedelta(hours=2),
    )
    return farm_shop


def test_the_overview_lists_every_till_by_point_of_sale_with_its_state(
    app: Flask, manager: FlaskClient, shop: Shop, sold: dict[str, Any]
) -> None:
    shop.point_of_sale("BI", name="Bistro")
    shop.till("BI", name="Bistrokassa")
    other_id, _token = shop.till("HW", name="Tweede kassa")
    with app.app_context():
        mia = db.session.scalar(select(User).where(User.name == "Mia"))
        assert mia is not None
        open_cash_session(db.session.get_one(Till, other_id), DAY, 15000, mia, NOON)
        db.session.commit()
    page = manager.get(f"/admin/cash?day={DAY.isoformat()}")
    assert page.status_code == 200
    text = page.text
    assert text.index("Bistro") < text.index("Hoevewinkel")  # points of sale by name
    assert "Bistrokassa" in text and "Tweede kassa" in text
    assert "Open (wisselkas 150,00 €)" in text
    assert text.count("Niet geopend") == 2
    assert 'value="2026-11-20"' in text

    today = manager.get("/admin/cash")
    assert f'value="{business_day(utcnow()).isoformat()}"' in today.text
    assert "Open (wisselkas" not in today.text

    wrong = manager.get("/admin/cash?day=31-02-2026")
    assert wrong.status_code == 200
    assert "Typ een datum als dd-mm-jjjj." in wrong.text
    assert 'value="31-02-2026"' in wrong.text


def test_open_with_a_float_then_take_cash_out_and_put_some_in(
    app: Flask, manager: FlaskClient, sold: dict[str, Any]
) -> None:
    page = day_url(sold)
    for typed, message in [
        ("", "Vul een bedrag in, bv. 150,00."),
        ("veel", "Schrijf een bedrag zoals 150,00."),
        ("150,555", "Een bedrag heeft hoogstens twee cijfers na de komma."),
        ("-5", "Een bedrag kan niet negatief zijn."),
        ("20000", "Geef een bedrag tussen 0,01 en 10.000 euro."),
    ]:
        refused = post(manager, page + "/open", {"opening_float": typed}, page)
        assert refused.status_code == 200
        assert message in refused.text
        assert f'value="{typed}"' in refused.text
    with app.app_context():
        assert db.session.scalar(select(func.count(CashSession.id))) == 0

    opened = post(manager, page + "/open", {"opening_float": "€ 1.150,50"}, page)
    assert opened.status_code == 302
    again = post(manager, page + "/open", {"opening_float": "100"}, page)
    assert "Deze kassa is voor die dag al geopend." in again.text

    no_reason = post(manager, page + "/movements", {"direction": "out", "amount": "20"}, page)
    assert "Zeg waarom er geld in of uit de kassa gaat." in no_reason.text
    assert 'value="20"' in no_reason.text
    zero = post(
        manager, page + "/movements", {"direction": "in", "amount": "0", "reason": "x"}, page
    )
    assert "Geef een bedrag tussen 0,01 en 10.000 euro." in zero.text
    out = {"direction": "out", "amount": "200,00", "reason": "Naar de bank"}
    assert post(manager, page + "/movements", out, page).status_code == 302
    put_in = {"direction": "in", "amount": "25", "reason": "Wisselgeld bijgelegd"}
    assert post(manager, page + "/movements", put_in, page).status_code == 302

    shown = manager.get(page).text
    assert "1.150,50 € wisselkas" in shown
    assert "-200,00 €" in shown and "Naar de bank" in shown
    assert "+25,00 €" in shown and "Wisselgeld bijgelegd" in shown
    with app.app_context():
        session = db.session.scalar(select(CashSession))
        assert session is not None
        assert session.opening_float_cents == 115050
        assert [m.amount_cents for m in session.movements] == [-20000, 2500]
        drawer = get_drawer(db.session.get_one(Till, sold["till_id"]), DAY)
        assert drawer.expected_cents == 115050 + 760 - 20000 + 2500


def test_the_count_shows_expected_counted_and_the_difference(
    app: Flask, manager: FlaskClient, sold: dict[str, Any]
) -> None:
    page = day_url(sold)
    post(manager, page + "/open", {"opening_float": "100,00"}, page)
    count_page = manager.get(page + "/count")
    assert count_page.status_code == 200
    for picture in ("note-500", "note-5", "coin-200", "coin-1"):
        assert f"/static/till/money/pieces.svg#{picture}" in count_page.text
    assert 'type="number"' in count_page.text and 'data-step="1"' in count_page.text
    assert "<script" not in count_page.text.split("</head>")[1]  # no inline script
    assert "Resultaat van de telling" not in count_page.text

    typo = count_data({10000: 1}) | {"piece_500": "twee", "piece_200": "-1", "piece_5": ""}
    refused = post(manager, page + "/count", typo, page + "/count")
    assert refused.status_code == 200
    assert refused.text.count("Typ een heel aantal van 0 tot 9999.") == 2
    assert "Vul een aantal in (0 als er geen zijn)." in refused.text
    assert 'value="twee"' in refused.text
    with app.app_context():
        assert db.session.scalar(select(CashSession.counted_cents)) is None

    # 100 € float + 7,60 € cash taken = 107,60 €
    exact = count_data({10000: 1, 500: 1, 200: 1, 50: 1, 10: 1})
    saved = post(manager, page + "/count", exact, page + "/count")
    assert saved.status_code == 302
    result = manager.get(page + "/count").text
    assert "Resultaat van de telling" in result
    assert "107,60 €" in result
    assert "De kassa klopt." in result and "cash-verdict equal" in result
    assert 'id="piece_500" ' in result and 'value="1"' in result  # the count is shown again

    short = post(manager, page + "/count", count_data({10000: 1, 200: 1, 50: 1, 10: 1}), page)
    assert short.status_code == 302
    result = manager.get(page + "/count").text
    assert "cash-verdict short" in result and "✖" in result
    assert "Er ontbreekt 5,00 € in de kassa." in result
    assert "-5,00 € tekort" in result


def test_the_x_report_shows_the_figures_of_the_day(
    app: Flask, manager: FlaskClient, sold: dict[str, Any]
) -> None:
    sell(app, sold, [("bread", "1")], [("cash", 380)], NOON + timedelta(hours=3))
    page = manager.get(day_url(sold, "/x"))
    assert page.status_code == 200
    figures = report_html(page.text)
    # bread 7,60 + eggs 2,95 + bread 3,80 at 6 % (C), the candle 12,50 at 21 % (A)
    assert re.search(
        r"<td>C</td><td>6%</td><td class=\"money\">13,53 €</td>"
        r"<td class=\"money\">0,82 €</td><td class=\"money\">14,35 €</td>",
        figures,
    )
    assert re.search(
        r"<td>A</td><td>21%</td><td class=\"money\">10,33 €</td>"
        r"<td class=\"money\">2,17 €</td><td class=\"money\">12,50 €</td>",
        figures,
    )
    assert "26,85 €" in figures  # turnover
    assert re.search(r"Contant</th><td class=\"money\">11,40 €", figures)
    assert re.search(r"Kaart</th><td class=\"money\">15,45 €", figures)
    assert re.search(r"Wisselgeld teruggegeven</th><td class=\"money\">2,40 €", figures)
    assert re.search(r"Aantal verkopen</th><td class=\"money\">3<", figures)
    assert re.search(r"Eerste ticket</th><td class=\"money\">1<", figures)
    assert re.search(r"Laatste ticket</th><td class=\"money\">3<", figures)
    assert re.search(r"Gemiddeld ticket</th><td class=\"money\">8,95 €", figures)
    assert '<td>Jan</td><td class="money">3</td>' in figures
    assert re.search(r"Geteld</th><td class=\"money\">–", figures)
    assert "admin/cash-print.css" in page.text and 'media="print"' in page.text


def test_closing_freezes_the_x_figures_in_a_numbered_z(
    app: Flask, manager: FlaskClient, sold: dict[str, Any]
) -> None:
    page = day_url(sold)
    post(manager, page + "/open", {"opening_float": "50"}, page)
    post(manager, page + "/count", count_data({5000: 1, 500: 1, 200: 1, 50: 1, 10: 1}), page)
    x_before = report_html(manager.get(page + "/x").text)
    confirm = manager.get(page + "/close")
    assert "Dag afsluiten" in confirm.text and "57,60 €" in confirm.text
    closed = post(manager, page + "/close", {}, page + "/close")
    assert closed.status_code == 302
    [z_report] = z_reports(app)
    assert closed.headers["Location"] == f"/admin/z-reports/{z_report.id}"
    assert z_report.number == 1
    z_page = manager.get(f"/admin/z-reports/{z_report.id}").text
    assert "Z-rapport 1 is gemaakt." in z_page
    # the close adds what went to the bank and what stays (this morning's float) to the X's figures
    assert 'Naar de bank</th><td class="money">7,60 €' in z_page
    assert 'Wisselkas voor morgen</th><td class="money">50,00 €' in z_page
    assert without_close(report_html(z_page)) == without_close(x_before)
    assert z_report.checksum in z_page and "Mia" in z_page
    assert "niet meer bij het controlegetal" not in z_page

    sell(app, sold, [("bread", "1")], [("card", 380)], NOON + timedelta(hours=5))
    later = manager.get(f"/admin/z-reports/{z_report.id}").text
    assert without_close(report_html(later)) == without_close(x_before)  # never recomputed
    assert "die er niet in staan: 1." in later
    # a sale of the closed day is late: the day's X stays the Z, the next day's X counts it
    assert without_close(report_html(manager.get(page + "/x").text)) == without_close(x_before)
    next_day = f"/admin/cash/{sold['till_id']}/{(DAY + timedelta(days=1)).isoformat()}/x"
    assert "Laat binnengekomen" in manager.get(next_day).text

    listing = manager.get(f"/admin/cash/{sold['till_id']}/z-reports").text
    assert f'href="/admin/z-reports/{z_report.id}"' in listing and "23,05 €" in listing
    assert "Afgesloten (Z 1)" in manager.get(f"/admin/cash?day={DAY.isoformat()}").text


def test_a_z_shows_what_was_frozen_and_says_when_that_was_changed(
    app: Flask, manager: FlaskClient, sold: dict[str, Any]
) -> None:
    with app.app_context():
        till = db.session.get_one(Till, sold["till_id"])
        mia = db.session.scalars(select(User).limit(1)).one()
        record_cash_count(till, DAY, {1000: 1}, mia, NOON, "geteld in de test")
        z_id = close_day(till, DAY, mia, NOON).id
        db.session.commit()
        z_report = db.session.get_one(ZReport, z_id)
        figures = json.loads(z_report.figures)
        figures["figures"]["turnover_cents"] = 99
        z_report.figures = json.dumps(figures)
        db.session.commit()
    page = manager.get(f"/admin/z-reports/{z_id}").text
    assert "niet meer bij het controlegetal" in page
    assert "<strong>0,99 €</strong>" in page  # the stored figures, not the sales of the day


def test_the_day_closes_only_after_a_count_and_only_once(
    app: Flask, manager: FlaskClient, sold: dict[str, Any]
) -> None:
    page = day_url(sold)
    refused = post(manager, page + "/close", {}, page + "/close")
    assert refused.status_code == 302
    assert NOT_COUNTED in manager.get(refused.headers["Location"]).text
    assert z_reports(app) == []

    post(manager, page + "/count", count_data({1000: 1}), page)
    assert post(manager, page + "/close", {}, page + "/close").status_code == 302
    twice = post(manager, page + "/close", {}, page + "/close")
    assert twice.status_code == 302
    assert ALREADY_CLOSED in manager.get(twice.headers["Location"]).text
    assert len(z_reports(app)) == 1

    # nothing changes a closed day
    moved = post(
        manager, page + "/movements", {"direction": "out", "amount": "1", "reason": "x"}, page
    )
    assert ALREADY_CLOSED in moved.text
    recount = post(manager, page + "/count", count_data({500: 1}), page)
    assert recount.status_code == 200 and ALREADY_CLOSED in recount.text
    with app.app_context():
        movements = select(func.count(CashMovement.id)).where(CashMovement.kind == IN_OUT)
        assert db.session.scalar(movements) == 0
        assert db.session.scalar(select(CashSession.counted_cents)) == 1000
    assert "Kassa openen" not in manager.get(page).text


def test_closing_warns_of_open_tabs_still_to_pay_at_this_point_of_sale(
    app: Flask, manager: FlaskClient, sold: dict[str, Any]
) -> None:
    with app.app_context():
        till = db.session.get_one(Till, sold["till_id"])
        table = DiningTable(point_of_sale_id=till.point_of_sale_id, number=1, name="Tafel 1")
        db.session.add(table)
        db.session.flush()
        for number in (1, 2):  # the second tab's only item is taken off again: nothing to pay
            tab, _ = open_tab(till, table.id, sold["operator_id"], NOON)
            wanted = WantedItem(f"k{number}", sold["bread"], Decimal(number))
            tab = add_items(till, tab.id, sold["operator_id"], [wanted], NOON)
            if number == 1:
                db.session.commit()
                table = DiningTable(point_of_sale_id=till.point_of_sale_id, number=2, name="T2")
                db.session.add(table)
                db.session.flush()
            else:
                cancel_item(till, tab.id, tab.items[0].id, sold["operator_id"], NOON)
        db.session.commit()
    page = day_url(sold)
    post(manager, page + "/count", count_data({1000: 1}), page)
    text = " ".join(manager.get(page + "/close").text.split())
    assert "Nog open rekeningen: 1, samen 3,80 € te betalen." in text
    assert post(manager, page + "/close", {}, page + "/close").status_code == 302  # it may close
    assert len(z_reports(app)) == 1


def test_a_close_that_waited_for_another_close_gets_already_closed(
    app: Flask, manager: FlaskClient, sold: dict[str, Any]
) -> None:
    """Another manager's close holds the write lock (SQLite) or the unique key (PostgreSQL)."""
    page = day_url(sold)
    post(manager, page + "/count", count_data({1000: 1}), page)
    token = csrf_token(manager.get(page + "/close").text)
    answers: list[TestResponse] = []
    with app.app_context():
        db.session.connection(execution_options={"sqlite_immediate": True})
        till = db.session.get_one(Till, sold["till_id"])
        sam = db.session.scalars(select(User).where(User.name == "Sam")).one()
        close_day(till, DAY, sam, NOON)
        waiting = threading.Thread(
            target=lambda: answers.append(manager.post(page + "/close", data={"csrf_token": token}))
        )
        waiting.start()
        time.sleep(0.5)
        db.session.commit()
    waiting.join(timeout=30)
    [answer] = answers
    assert answer.status_code == 302
    assert ALREADY_CLOSED in manager.get(answer.headers["Location"]).text
    assert [z.user_id for z in z_reports(app)] != [] and len(z_reports(app)) == 1


def test_two_managers_closing_at_once_make_one_z(
    app: Flask, team: Team, sold: dict[str, Any]
) -> None:
    page = day_url(sold)
    first, second = logged_in(app, "Mia"), logged_in(app, "Mia")
    post(first, page + "/count", count_data({1000: 1}), page)
    tokens = [csrf_token(client.get(page + "/close").text) for client in (first, second)]
    start = threading.Barrier(2)
    answers: dict[int, TestResponse] = {}

    def close(index: int, client: FlaskClient) -> None:
        start.wait()
        answers[index] = client.post(page + "/close", data={"csrf_token": tokens[index]})

    threads = [threading.Thread(target=close, args=pair) for pair in enumerate((first, second))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert [answers[i].status_code for i in (0, 1)] == [302, 302]
    pages = [
        client.get(answers[i].headers["Location"]).text for i, client in enumerate((first, second))
    ]
    assert sum("Z-rapport 1 is gemaakt." in text for text in pages) == 1
    assert sum(ALREADY_CLOSED in text for text in pages) == 1
    assert len(z_reports(app)) == 1


def test_reports_print_on_the_receipt_printer_if_there_is_one(
    app: Flask, manager: FlaskClient, sold: dict[str, Any], fake_printer: FakeNetworkPrinter
) -> None:
    x_page = day_url(sold, "/x")
    none = post(manager, x_page + "/print", {}, x_page)
    assert none.status_code == 302
    assert "Dit verkooppunt heeft geen bonprinter." in manager.get(none.headers["Location"]).text
    with app.app_context():
        assert db.session.scalar(select(func.count(PrintJob.id))) == 0
        add_printer("Toog", fake_printer.url, profile="TM-T20II", point_of_sale_code="HW")
        db.session.commit()

    queued = post(manager, x_page + "/print", {}, x_page)
    assert "Het rapport staat in de printwachtrij van Toog." in manager.get(x_page).text
    assert queued.headers["Location"] == x_page
    post(manager, day_url(sold, "/count"), count_data({1000: 1}), x_page)
    closed = post(manager, day_url(sold, "/close"), {}, x_page)
    z_page = closed.headers["Location"]
    post(manager, z_page + "/print", {}, z_page)
    with app.app_context():
        assert [job.kind for job in db.session.scalars(select(PrintJob))] == ["report", "report"]
        assert print_due_jobs() == 2
    x_paper, z_paper = (printed_lines(job) for job in fake_printer.wait_for_jobs(2))
    for paper in (x_paper, z_paper):
        # bread and eggs 10,55 € at 6 % (C), the candle 12,50 € at 21 % (A)
        assert columns_row("C 6%", "10,55", 48)[0] in paper
        assert columns_row("A 21%", "12,50", 48)[0] in paper
        assert columns_row("Totaal incl. btw", "23,05", 48)[0] in paper
    assert any("X-RAPPORT" in line for line in x_paper)
    assert any("Z-RAPPORT 1" in line for line in z_paper)
    assert columns_row("Z-nummer", "1", 48)[0] in z_paper


def test_staff_may_not_open_the_cash_pages(
    app: Flask, staff: FlaskClient, sold: dict[str, Any]
) -> None:
    assert staff.get("/admin/cash").status_code == 403
    assert staff.get(day_url(sold)).status_code == 403
    token = csrf_token(staff.get("/admin/").text)
    assert staff.post(day_url(sold, "/close"), data={"csrf_token": token}).status_code == 403
    assert z_reports(app) == []
