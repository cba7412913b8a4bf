"""The audit log: every kind of event writes one entry with its before and after; the page."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from kiosk.audit import log as audit
from kiosk.cash.drawer import open_cash_session
from kiosk.catalog.product_file import export_products, import_products
from kiosk.extensions import db
from kiosk.models import AuditEntry, Location, Producer, Product, Till, User
from kiosk.models.types import utcnow
from kiosk.stock.operations import book_waste, record_count
from tests.admin.catalog_forms import product_fields, submit
from tests.admin.conftest import Team
from tests.admin.test_exports_page import wait_until_done
from tests.conftest import csrf_token
from tests.kiosk.audit_support import sentences_of


def entries(app: Any, action: str) -> list[dict[str, Any]]:
    """Return the entries of one action, oldest first, as dicts with before/after parsed."""
    with app.app_context():
        rows = db.session.scalars(
            select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.id)
        )
        return [
            {
                "user_id": row.user_id,
                "user_name": row.user_name,
                "till_id": row.till_id,
                "subject": row.subject,
                "summary": row.summary,
                "before": json.loads(row.before) if row.before else None,
                "after": json.loads(row.after) if row.after else None,
            }
            for row in rows
        ]


def test_a_price_and_vat_change_on_the_product_page_is_logged(
    app: Flask, staff: FlaskClient, team: Team, farm_shop: dict[str, Any]
) -> None:
    bread = farm_shop["bread"]
    fields = product_fields(app, "Boerenbrood", price="4,20", vat_class="non_food", version="1")
    fields["category"] = str(category_id(app, "Brood"))
    assert submit(staff, f"/admin/products/{bread}", fields).status_code == 302
    (entry,) = entries(app, "product_changed")
    assert entry["user_id"] == team.staff and entry["subject"] == f"product:{bread}"
    assert entry["before"]["price_cents"] == 380 and entry["after"]["price_cents"] == 420
    assert (entry["before"]["vat_class"], entry["after"]["vat_class"]) == ("food", "non_food")
    assert "name" not in entry["after"]  # only what changed
    assert "€ 3,80 → € 4,20" in entry["summary"]
    # saving again without changes writes nothing
    fields["version"] = "2"
    submit(staff, f"/admin/products/{bread}", fields)
    assert len(entries(app, "product_changed")) == 1


def category_id(app: Any, name: str) -> int:
    """Return a category's id."""
    from kiosk.models import Category

    with app.app_context():
        return db.session.scalars(select(Category.id).where(Category.name == name)).one()


def test_the_products_file_logs_changed_and_added_products(
    app: Flask, ctx: None, farm_shop: dict[str, Any], tmp_path: Path
) -> None:
    path = tmp_path / "producten.csv"
    export_products(path)
    lines = path.read_text("utf-8-sig").splitlines()
    header = lines[0].split(";")
    price = header.index("prijs")
    rows = [line.split(";") for line in lines[1:]]
    for row in rows:
        if row[0] == "Boerenbrood":
            row[price] = "4,10"
    new = list(rows[0])
    new[0] = "Speltbrood"
    new[header.index("barcode")] = ""
    rows.append(new)
    path.write_text("\n".join(";".join(row) for row in [header, *rows]) + "\n", "utf-8-sig")
    report = import_products(path)
    assert report.errors == [] and (report.added, report.changed) == (1, 1)
    db.session.commit()
    (changed,) = entries(app, "product_changed")
    assert (changed["before"], changed["after"]) == ({"price_cents": 380}, {"price_cents": 410})
    assert "via het productbestand" in changed["summary"]
    (added,) = entries(app, "product_added")
    assert added["after"]["name"] == "Speltbrood"
    assert sentences_of(app, "product_changed") == [
        ("Prijs van Boerenbrood: 3,80 € → 4,10 €.", "Price of Boerenbrood: 3,80 € → 4,10 €.")
    ]
    assert sentences_of(app, "product_added") == [
        (
            "Product Speltbrood toegevoegd aan 4,10 €.",
            "Product Speltbrood added at 4,10 €.",
        )
    ]


def test_switching_a_product_off_is_logged(
    app: Flask, staff: FlaskClient, team: Team, farm_shop: dict[str, Any]
) -> None:
    token = csrf_token(staff.get("/admin/products").text)
    eggs = farm_shop["eggs"]
    assert (
        staff.post(f"/admin/products/{eggs}/deactivate", data={"csrf_token": token}).status_code
        == 302
    )
    (entry,) = entries(app, "product_changed")
    assert entry["user_id"] == team.staff
    assert (entry["before"], entry["after"]) == ({"active": True}, {"active": False})


def test_count_corrections_and_waste_are_logged_with_the_stock_around_them(
    app: Flask, ctx: None, farm_shop: dict[str, Any]
) -> None:
    shelf = Location(code="HW-REK", name="Winkelrek", kind="shelf")
    db.session.add(shelf)
    bread = db.session.get_one(Product, farm_shop["bread"])
    sam = User(name="Sam", role="staff")
    db.session.add(sam)
    db.session.flush()
    now = utcnow()
    record_count(bread, shelf, 10_000, sam, now)
    record_count(bread, shelf, 10_000, sam, now)  # the same count corrects nothing
    book_waste(bread, shelf, 2_000, "expired", sam, now)
    db.session.commit()
    (count,) = entries(app, "stock_count")
    assert (count["before"]["on_hand_milli"], count["after"]["on_hand_milli"]) == (0, 10_000)
    assert count["user_name"] == "Sam" and count["subject"] == f"product:{bread.id}"
    (waste,) = entries(app, "stock_waste")
    assert (waste["before"]["on_hand_milli"], waste["after"]["on_hand_milli"]) == (10_000, 8_000)
    assert "over datum" in waste["summary"] and "10 stuks → 8 stuks" in waste["summary"]


def test_tills_paired_renewed_and_revoked_are_logged(
    app: Flask, manager: FlaskClient, team: Team, farm_shop: dict[str, Any], cli: Any
) -> None:
    page = manager.get("/admin/tills/new")
    token = csrf_token(page.text)
    manager.post(
        "/admin/tills/new", data={"name": "Toog", "point_of_sale": "HW", "csrf_token": token}
    )
    with app.app_context():
        till_id = db.session.scalar(select(Till.id).where(Till.name == "Toog"))
    manager.post(f"/admin/tills/{till_id}/renew", data={"csrf_token": token})
    manager.post(f"/admin/tills/{till_id}/revoke", data={"csrf_token": token})
    manager.post(f"/admin/tills/{till_id}/revoke", data={"csrf_token": token})  # already off
    assert cli("till", "add", "Kelder", "--point-of-sale", "HW").exit_code == 0
    paired = entries(app, "till_paired")
    assert [entry["user_id"] for entry in paired[-2:]] == [team.manager, None]
    assert paired[-2]["till_id"] == till_id and "Kelder" in paired[-1]["summary"]
    (renewed,) = entries(app, "till_token_renewed")
    (revoked,) = entries(app, "till_revoked")
    assert renewed["subject"] == revoked["subject"] == f"till:{till_id}"
    assert revoked["user_id"] == team.manager
    assert sentences_of(app, "till_paired")[-2] == ("Kassa Toog gekoppeld.", "Till Toog paired.")
    assert sentences_of(app, "till_token_renewed") == [
        ("Kassa Toog kreeg een nieuw token.", "Till Toog got a new token.")
    ]
    assert sentences_of(app, "till_revoked") == [("Kassa Toog ontkoppeld.", "Till Toog revoked.")]


def test_user_changes_are_logged_without_secrets(
    app: Flask, manager: FlaskClient, team: Team
) -> None:
    page = manager.get(f"/admin/users/{team.staff}")
    fields = {
        "name": "Sam",
        "role": "manager",
        "password": "een-nieuw-wachtwoord",
        "pin": "",
        "pictogram": "",
        "sound": "y",  # checked, as the form shows it
        "csrf_token": csrf_token(page.text),
    }  # "active" left out: switched off
    assert manager.post(f"/admin/users/{team.staff}", data=fields).status_code == 302
    (entry,) = entries(app, "user_changed")
    assert entry["before"] == {"role": "staff", "active": True, "password": "…"}
    assert entry["after"] == {"role": "manager", "active": False, "password": "gewijzigd"}
    assert "een-nieuw-wachtwoord" not in json.dumps(entry)
    assert entry["user_id"] == team.manager
    assert sentences_of(app, "user_changed") == [
        (
            "Gegevens van Sam gewijzigd: Actief: ja → nee; Wachtwoord: … → gewijzigd; "
            "Rol: medewerker → verantwoordelijke.",
            "Sam's details changed: Active: yes → no; Password: … → changed; "
            "Role: staff member → manager.",
        )
    ]


def test_an_export_is_logged_once_with_what_and_which_days(
    app: Flask, manager: FlaskClient, team: Team, cli: Any, tmp_path: Path
) -> None:
    token = csrf_token(manager.get("/admin/exports").text)
    fields = {"kind": "journaal", "first_day": "2026-11-01", "last_day": "2026-11-30"}
    fields |= {"file_format": "csv", "csrf_token": token}
    started = manager.post("/admin/exports", data=fields)
    assert started.status_code == 302
    wait_until_done(manager, started.headers["Location"])  # its thread must not outlive the test
    out = tmp_path / "verkopen.csv"
    assert cli("export", "sales", "--from", "2026-11-20", "--to", "2026-11-21", "--out", str(out))
    admin_export, cli_export = entries(app, "export")
    assert admin_export["user_id"] == team.manager
    assert admin_export["after"] == {
        "what": "journaal",
        "format": "csv",
        "first_day": "2026-11-01",
        "last_day": "2026-11-30",
        "where": "back office",
    }
    assert cli_export["after"]["what"] == "verkopen" and cli_export["after"]["where"] == str(out)
    assert "2026-11-20 tot en met 2026-11-21" in cli_export["summary"]
    assert sentences_of(app, "export")[0] == (
        "Export journaal van 01-11-2026 tot en met 30-11-2026 (csv).",
        "Export journaal from 01-11-2026 to 30-11-2026 inclusive (csv).",
    )


def test_downloads_of_products_settlement_and_valuation_are_logged(
    app: Flask, manager: FlaskClient
) -> None:
    with app.app_context():
        producer = Producer(name="Hoeve De Linde", consignment=True)
        db.session.add(producer)
        db.session.commit()
        producer_id = producer.id
    assert manager.get("/admin/products/export.csv").status_code == 200
    statement = f"/admin/settlement/{producer_id}/statement.xlsx?from=2026-11-01&to=2026-11-30"
    with manager.get(statement) as response:  # an XLSX is sent from a file: close it
        assert response.status_code == 200
    assert (
        manager.get(f"/admin/settlement/{producer_id}/statement.csv?from=x&to=y").status_code == 400
    )
    assert manager.get("/admin/valuation/categories.csv").status_code == 200
    logged = [
        (entry["after"]["what"], entry["after"]["format"]) for entry in entries(app, "export")
    ]
    assert logged == [
        ("producten", "csv"),
        ("afrekening Hoeve De Linde", "xlsx"),
        ("voorraadwaarde per categorie", "csv"),
    ]


def test_a_login_and_a_failed_login_are_logged(app: Flask, client: FlaskClient, team: Team) -> None:
    from tests.conftest import login

    login(client, "Mia", "fout")
    login(client, "Mia", "mia-is-verantwoordelijke")
    (failed,) = entries(app, "login_failed")
    (success,) = entries(app, "login")
    assert (failed["user_id"], failed["user_name"]) == (None, "Mia")
    assert (success["user_id"], success["subject"]) == (team.manager, f"user:{team.manager}")
    assert sentences_of(app, "login_failed") == [
        ("Mislukte aanmelding als Mia.", "Failed login as Mia.")
    ]
    assert sentences_of(app, "login") == [("Mia meldde zich aan.", "Mia logged in.")]


def test_entries_cannot_be_changed_or_deleted(app: Flask, ctx: None) -> None:
    entry = audit.record("export", user_name="systeem", subject="export:x", summary="Een export.")
    db.session.commit()
    entry.summary = "Iets anders."
    with pytest.raises(PermissionError):
        db.session.commit()
    db.session.rollback()
    db.session.delete(entry)
    with pytest.raises(PermissionError):
        db.session.commit()
    db.session.rollback()
    assert db.session.get_one(AuditEntry, entry.id).summary == "Een export."


@pytest.fixture
def log(app: Any, team: Any) -> None:
    """Write a small log: two days in November, by two people, of several actions."""
    with app.app_context():
        mia, sam = db.session.get(User, team.manager), db.session.get(User, team.staff)
        rows = [
            (datetime(2026, 11, 2, 23, 30, tzinfo=UTC), mia, "export", "Export journaal."),
            (datetime(2026, 11, 3, 9, 0, tzinfo=UTC), sam, "product_changed", "Prijs van Kaas."),
            (datetime(2026, 11, 3, 10, 0, tzinfo=UTC), mia, "login", "Mia meldde zich aan."),
        ]
        for moment, user, action, summary in rows:
            entry = audit.record(action, user=user, subject=f"{action}:1", summary=summary)
            entry.created_at = moment
        db.session.commit()


def test_the_page_lists_newest_first_and_filters(
    app: Flask, manager: FlaskClient, log: None
) -> None:
    page = manager.get("/admin/audit")
    assert page.status_code == 200
    assert page.text.index("Mia meldde zich aan.") < page.text.index("Prijs van Kaas.")
    assert "03-11-2026 09:00:00" not in page.text and "03-11-2026 11:00:00" in page.text  # Brussels
    # 23:30 UTC on 2 November is 00:30 on 3 November in Brussels
    day = manager.get("/admin/audit?first_day=2026-11-03&last_day=2026-11-03").text
    assert "Export journaal." in day and "Mia meldde zich aan." in day
    earlier = manager.get("/admin/audit?last_day=2026-11-02").text
    assert "Geen meldingen voor deze filters." in earlier
    by_action = manager.get("/admin/audit?action=product_changed").text
    assert "Prijs van Kaas." in by_action and "Export journaal." not in by_action
    by_text = manager.get("/admin/audit?text=kaas").text
    assert "Prijs van Kaas." in by_text and "Mia meldde" not in by_text


def test_the_page_filters_by_user_and_refuses_bad_filters(
    app: Flask, manager: FlaskClient, team: Team, log: None
) -> None:
    sam = manager.get(f"/admin/audit?user={team.staff}").text
    assert "Prijs van Kaas." in sam and "Export journaal." not in sam
    bad = manager.get("/admin/audit?first_day=morgen&user=x&older_than=-1")
    assert bad.status_code == 200 and "Mia meldde zich aan." in bad.text
    assert "Kies iemand uit de lijst." in bad.text
    backwards = manager.get("/admin/audit?first_day=2026-11-03&last_day=2026-11-01").text
    assert "De einddatum ligt voor de begindatum." in backwards
    huge = manager.get("/admin/audit?user=99999999999999&older_than=99999999999999")
    assert huge.status_code == 200


def test_the_page_goes_back_a_page_at_a_time(app: Flask, manager: FlaskClient, ctx: None) -> None:
    for number in range(55):
        audit.record(
            "export", user_name="systeem", subject=f"export:{number}", summary=f"nr {number}."
        )
    db.session.commit()
    first = manager.get("/admin/audit").text
    assert "nr 54." in first and "nr 4." not in first and "Oudere meldingen" in first
    oldest_shown = min(
        entry.id
        for entry in db.session.scalars(select(AuditEntry)).all()
        if entry.summary == "nr 5."
    )
    second = manager.get(f"/admin/audit?older_than={oldest_shown}").text
    assert "nr 4." in second and "nr 0." in second and "nr 5." not in second
    assert "Oudere meldingen" not in second and "Nieuwste" in second


def test_the_filtered_log_downloads_as_csv_and_the_download_is_logged(
    app: Flask, manager: FlaskClient, log: None
) -> None:
    answer = manager.get("/admin/audit.csv?action=login")
    assert answer.status_code == 200 and answer.mimetype == "text/csv"
    text = answer.get_data(as_text=True)
    assert "Mia meldde zich aan." in text and "Prijs van Kaas." not in text
    assert entries(app, "export")[-1]["after"]["what"] == "audit"


def test_staff_may_not_read_the_log(staff: FlaskClient, log: None) -> None:
    assert staff.get("/admin/audit").status_code == 403
    assert staff.get("/admin/audit.csv").status_code == 403


def test_no_page_changes_or_deletes_an_entry(app: Flask) -> None:
    rules = [rule for rule in app.url_map.iter_rules() if rule.endpoint.startswith("admin.audit")]
    assert rules and all(
        rule.methods is not None and rule.methods <= {"GET", "HEAD", "OPTIONS"} for rule in rules
    )


def test_an_entry_written_in_a_failed_change_disappears_with_it(app: Flask, ctx: None) -> None:
    audit.record("export", user_name="systeem", subject="export:x")
    db.session.rollback()
    assert db.session.scalars(select(AuditEntry)).all() == []


def test_the_page_reads_entries_as_sentences_and_filters_by_group(
    app: Flask, manager: FlaskClient, team: Team, farm_shop: dict[str, Any]
) -> None:
    with app.app_context():
        till = db.session.get_one(Till, farm_shop["till_id"])
        mia = db.session.get_one(User, team.manager)
        open_cash_session(till, date(2026, 11, 20), 10_000, mia, utcnow())
        db.session.add(  # a row as an older version stored it: raw fields, no sentence
            AuditEntry(
                created_at=utcnow(),
                action="stock_count",
                subject=f"product:{farm_shop['bread']}",
                before='{"on_hand_milli": 10000}',
                after='{"on_hand_milli": 9000}',
            )
        )
        db.session.commit()
    page = manager.get("/admin/audit").text
    assert "Wisselgeld bij opening kassa Kassa op 20-11-2026: 100,00 €." in page
    assert "Voorraad van Boerenbrood in — geteld: 10 st. → 9 st." in page
    assert "on_hand_milli" not in page and "opening_float_cents" not in page
    cash = manager.get("/admin/audit?group=cash").text
    assert "Wisselgeld bij opening" in cash and "meldde zich aan" not in cash
    assert "Voorraad van Boerenbrood" not in cash
    access = manager.get("/admin/audit?group=access").text
    assert "Mia meldde zich aan." in access and "Wisselgeld bij opening" not in access
    stock = manager.get("/admin/audit?group=stock").text
    assert "Voorraad van Boerenbrood" in stock and "Wisselgeld bij opening" not in stock
    unknown = manager.get("/admin/audit?group=nonsense")  # an unknown group filters nothing
    assert unknown.status_code == 200 and "Wisselgeld bij opening" in unknown.text
    assert "meldde zich aan" in unknown.text
    csv_text = manager.get("/admin/audit.csv?group=cash").get_data(as_text=True)
    assert ";Wisselgeld bij opening kassa Kassa op 20-11-2026: 100,00 €.;" in csv_text
    assert "meldde zich aan" not in csv_text
    manager.get("/language/en")
    english = manager.get("/admin/audit").text
    assert "Float at the opening of till Kassa on 20-11-2026: 100,00 €." in english
    assert "Stock of Boerenbrood in — counted: 10 pcs → 9 pcs." in english
    assert '<option value="cash">Tills and cash</option>' in english
