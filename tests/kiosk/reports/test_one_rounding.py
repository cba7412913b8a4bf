"""One rounding rule: every breakdown adds up to the receipts, and every report agrees."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from flask import Flask

from kiosk.cash.drawer import close_day, record_cash_count
from kiosk.cash.reports import cash_report, report_lines
from kiosk.extensions import db
from kiosk.models import Till, User
from tests.conftest import Shop
from tests.kiosk.reports.rounding_support import (
    assert_every_report_agrees,
    day_reports,
    farm_sale,
    refund,
    rounding_world,
    split_tab,
)

DAY = date(2026, 6, 10)
NOON = datetime(2026, 6, 10, 10, 0, tzinfo=UTC)


@pytest.fixture
def w(app: Flask, shop: Shop) -> dict[str, Any]:
    """The farm shop and bistro at every VAT rate."""
    return rounding_world(app, shop)


def test_categories_add_up_to_the_receipts_base_and_match_the_settlement(
    app: Flask, w: dict[str, Any]
) -> None:
    with app.app_context():
        # three lines of 1,00 at 6 %: the receipt's VAT is 0,17, not 3 × 0,06
        farm_sale(w, [("eggs", "1"), ("jam", "1"), ("leek", "1")], "card", NOON)
        reports = day_reports(w, DAY)
        assert reports.figures.vat_cents == 17
        categories = {group.name: group for group in reports.figures.categories}
        assert sum(group.base_cents for group in categories.values()) == 283
        # the leek's share is 0,05 on the X/Z, the settlement, the export and per product
        leek = categories["Groenten"]
        assert (leek.gross_cents, leek.base_cents) == (100, 95)
        linde = reports.settlements[0]
        assert [(line.name, line.vat_cents) for line in linde.lines] == [("Eieren", 6), ("Prei", 5)]
        assert [row["btw_bedrag"] for row in reports.export] == [6, 6, 5]
        assert [row["bedrag_excl_btw"] for row in reports.export] == [94, 94, 95]
        assert {p.name: p.vat_cents for p in reports.products}["Prei"] == 5
        assert_every_report_agrees(reports)


def test_a_new_z_report_freezes_categories_that_add_up_and_an_old_z_keeps_its_figures(
    app: Flask, w: dict[str, Any]
) -> None:
    with app.app_context():
        farm_sale(w, [("eggs", "1"), ("jam", "1"), ("leek", "1")], "card", NOON)
        till = db.session.get_one(Till, w["farm_till"])
        staff = db.session.get_one(User, w["staff_id"])
        evening = NOON + timedelta(hours=8)
        record_cash_count(till, DAY, {1000: 2}, staff, evening, "Telling voor de test")
        z_report = close_day(till, DAY, staff, evening)
        db.session.commit()
        figures = cash_report(json.loads(z_report.figures)).figures
        assert {group.name: group.base_cents for group in figures.categories} == {
            "Zuivel": 94,
            "Brood": 94,
            "Groenten": 95,
        }
        # a Z frozen under the old rounding is shown as it was stored, never recomputed
        stored = json.loads(z_report.figures)
        for group in stored["figures"]["categories"]:
            group["base_cents"] = 94  # what the old rule froze
        old = cash_report(stored).figures
        assert [group.base_cents for group in old.categories] == [94, 94, 94]
        lines = report_lines(cash_report(stored), 42)
        assert any("Totaal excl. btw" in line and "2,83" in line for line in lines)


def test_item_counts_count_sold_units_not_refund_lines_or_split_parts(
    app: Flask, w: dict[str, Any]
) -> None:
    with app.app_context():
        sale = farm_sale(w, [("eggs", "2"), ("cheese", "0.350"), ("candle", "3")], "cash", NOON)
        refund(w, sale, [0], NOON)  # the two eggs come back
        voided = farm_sale(w, [("candle", "1")], "card", NOON)
        refund(w, voided, None, NOON)  # a void
        split_tab(w, [("soup", "1"), ("sandwich", "4")], 3, NOON)
        reports = day_reports(w, DAY)
        counts = {group.name: group.count for group in reports.figures.categories}
        # Zuivel: 2 eggs sold and returned, one weighing of cheese; the soup and 4 sandwiches
        # paid in three parts are 5 dishes, not 6 lines
        assert counts == {"Zuivel": 1, "Geschenken": 3, "Snacks": 5}
        assert_every_report_agrees(reports)


def test_the_sales_export_writes_dutch_units_vat_per_line_and_a_split_parts_share(
    app: Flask, w: dict[str, Any]
) -> None:
    with app.app_context():
        farm_sale(w, [("cheese", "0.350"), ("wine", "1")], "card", NOON)
        parts = split_tab(w, [("pasta", "1")], 3, NOON)
        split_tab(w, [("soup", "2")], 3, NOON, table=1)
        rows = day_reports(w, DAY).export
        assert [(r["eenheid"], r["hoeveelheid"], r["deel"]) for r in rows[:2]] == [
            ("kg", 350, ""),
            ("stuk", 1000, ""),
        ]
        pasta = [r for r in rows if r["omschrijving"] == "Pasta"]
        assert [r["deel"] for r in pasta] == ["1/3", "1/3", "1/3"]
        assert [r["bedrag_incl_btw"] for r in pasta] == [p.total_cents for p in parts]
        assert sum(r["bedrag_incl_btw"] for r in pasta) == 1450
        # two soups in three parts: each part pays a third of the item, 0,667 soup
        soup = [r for r in rows if r["omschrijving"] == "Soep"]
        assert [(r["hoeveelheid"], r["deel"]) for r in soup] == [
            (666, "1/3"),
            (667, "1/3"),
            (667, "1/3"),
        ]
        assert sum(r["btw_bedrag"] for r in pasta) == sum(
            vat.vat_cents for part in parts for vat in part.vat_totals
        )
        db.session.rollback()
