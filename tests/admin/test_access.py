"""Who may open what: every endpoint of the app has a rule, and every rule holds for every method.

public   anyone
till     a paired till's bearer token (the JSON API); cookies never count
staff    a logged-in staff member or manager
manager  a logged-in manager
"""

from __future__ import annotations

import io
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from flask import Flask
from flask.testing import FlaskClient
from PIL import Image
from sqlalchemy import select
from werkzeug.test import TestResponse

from kiosk.extensions import db
from kiosk.models import PrintJob, Till, User
from kiosk.models.types import utcnow
from kiosk.organisation.back_office_sessions import open_session
from kiosk.organisation.people import revoke_till
from kiosk.photos import save_photo
from kiosk.printing.queue import add_printer
from tests.admin import (
    access_audit,
    access_cash,
    access_catalog,
    access_customer_orders,
    access_dashboard,
    access_labels,
    access_orders,
    access_refunds,
    access_settlement,
    access_stock,
    access_tables,
    access_vending,
)
from tests.admin.access_rule import Rule
from tests.admin.conftest import PASSWORDS, Team, logged_in, make_team
from tests.conftest import (
    Shop,
    StoredRows,
    base_config,
    close_app,
    csrf_token,
    login,
    make_farm_shop,
    open_app,
    present,
)

# each area of the back office keeps its rules and the rows its URLs need in its own module
AREAS = (
    access_audit,
    access_refunds,
    access_catalog,
    access_stock,
    access_orders,
    access_customer_orders,
    access_labels,
    access_settlement,
    access_cash,
    access_dashboard,
    access_tables,
    access_vending,
)

BASE_ENDPOINTS = {
    "static": Rule("public", "/static/admin/admin.css", {"GET": 200}),
    "till.index": Rule("public", "/", {"GET": 302}),
    "till.start": Rule("public", "/till", {"GET": 200}),
    "till.choose_language": Rule("public", "/language/en", {"GET": 302}),
    "till.about": Rule("public", "/about", {"GET": 200}),
    "till.favicon": Rule("public", "/favicon.ico", {"GET": 200}),
    "till.healthz": Rule("public", "/healthz", {"GET": 200}),
    "till.pictogram": Rule("public", "/pictograms/1F35E.svg", {"GET": 200}),
    "till.media": Rule("public", "/media/{photo}", {"GET": 200}),
    "till.pair": Rule("public", "/till/pair", {"GET": 200}),
    "till.manifest": Rule("public", "/till/manifest.webmanifest", {"GET": 200}),
    "till.service_worker": Rule("public", "/till/sw.js", {"GET": 200}),
    "till.kitchen": Rule("public", "/till/kitchen", {"GET": 200}),
    "api.openapi": Rule("public", "/api/v1/openapi.json", {"GET": 200}),
    "api.catalog": Rule("till", "/api/v1/catalog", {"GET": 200}),
    # past the token check, a sale without an Idempotency-Key is refused as malformed
    "api.create_sale": Rule("till", "/api/v1/sales", {"POST": 400}),
    "api.report_wiped_sale": Rule("till", "/api/v1/refused-sales", {"POST": 400}),
    "api.show_sale": Rule("till", "/api/v1/sales/{sale_id}", {"GET": 200}),
    "api.receipt_status": Rule("till", "/api/v1/sales/{sale_id}/receipt", {"GET": 200}),
    "api.retry_receipt": Rule("till", "/api/v1/sales/{sale_id}/receipt", {"POST": 202}),
    # past the token check, an empty body is refused: the PIN is missing
    "api.check_pin": Rule("till", "/api/v1/operators/{user_id}/pin", {"POST": 400}),
    # past the token check, the farm shop of this world does not take QR (no IBAN is set)
    "api.qr_payment_picture": Rule(
        "till", "/api/v1/qr-payment.png?amount_cents=100&reference=HW1-000001", {"GET": 422}
    ),
    "api.qr_payment_reference": Rule("till", "/api/v1/qr-payment/reference", {"GET": 422}),
    "api.list_tables": Rule("till", "/api/v1/tables", {"GET": 200}),
    "api.open_table_tab": Rule("till", "/api/v1/tables/1/tab", {"POST": 400}),
    "api.show_tab": Rule("till", "/api/v1/tabs/1", {"GET": 404}),
    "api.add_tab_items": Rule("till", "/api/v1/tabs/1/items", {"POST": 400}),
    "api.cancel_tab_item": Rule("till", "/api/v1/tabs/1/items/1/cancel", {"POST": 400}),
    "api.send_tab": Rule("till", "/api/v1/tabs/1/send", {"POST": 400}),
    "api.reprint_tab": Rule("till", "/api/v1/tabs/1/reprint", {"POST": 400}),
    "api.move_tab_to_table": Rule("till", "/api/v1/tabs/1/move", {"POST": 400}),
    "api.pay_tab_part": Rule("till", "/api/v1/tabs/1/payments", {"POST": 400}),
    # past the token check, a till is refused there (403 wrong_role): only a kitchen screen may
    # (HEAD has no body to tell the API's 403 from the back office's: it reads as "forbidden")
    "api.kitchen_orders": Rule("till", "/api/v1/kitchen/orders", {"GET": 403, "HEAD": "forbidden"}),
    "api.kitchen_order_ready": Rule("till", "/api/v1/kitchen/orders/1/ready", {"POST": 403}),
    "admin.login": Rule("public", "/admin/login", {"GET": 200, "POST": 200}),
    # logging out ends on the login page, just as the refusal of an anonymous post does
    "admin.logout": Rule("staff", "/admin/logout", {"POST": "login"}),
    "admin.index": Rule("staff", "/admin/", {"GET": 200}),
    "admin.organisation_edit": Rule("manager", "/admin/organisation", {"GET": 200, "POST": 200}),
    "admin.till_list": Rule("manager", "/admin/tills", {"GET": 200}),
    "admin.till_new": Rule("manager", "/admin/tills/new", {"GET": 200, "POST": 200}),
    "admin.till_revoke": Rule("manager", "/admin/tills/{till_id}/revoke", {"POST": 302}),
    "admin.till_renew": Rule("manager", "/admin/tills/{till_id}/renew", {"POST": 200}),
    "admin.user_list": Rule("manager", "/admin/users", {"GET": 200}),
    "admin.user_new": Rule("manager", "/admin/users/new", {"GET": 200, "POST": 200}),
    # a form post without fields keeps what was stored (an absent checkbox means "not active")
    "admin.user_edit": Rule("manager", "/admin/users/{user_id}", {"GET": 200, "POST": 302}),
    "admin.sale_list": Rule("staff", "/admin/sales", {"GET": 200}),
    "admin.sale_show": Rule("staff", "/admin/sales/{sale_id}", {"GET": 200}),
    "admin.sale_reprint": Rule("staff", "/admin/sales/{sale_id}/reprint", {"POST": 302}),
    "admin.receipt_preview_css": Rule("staff", "/admin/receipt-preview.css", {"GET": 200}),
    "admin.print_job_list": Rule("staff", "/admin/print-jobs", {"GET": 200}),
    "admin.print_job_retry": Rule("staff", "/admin/print-jobs/{job_id}/retry", {"POST": 302}),
    "admin.print_job_cancel": Rule("staff", "/admin/print-jobs/{job_id}/cancel", {"POST": 302}),
    "admin.printer_list": Rule("manager", "/admin/printers", {"GET": 200}),
    "admin.printer_new": Rule("manager", "/admin/printers/new", {"GET": 200, "POST": 200}),
    "admin.printer_edit": Rule(
        "manager", "/admin/printers/{printer_id}", {"GET": 200, "POST": 200}
    ),
    "admin.printer_test": Rule("manager", "/admin/printers/{printer_id}/test", {"POST": 302}),
    "admin.report_summary": Rule("manager", "/admin/reports", {"GET": 200}),
    "admin.report_products": Rule("manager", "/admin/reports/products", {"GET": 200}),
    # a form post without fields re-shows the form with its errors
    "admin.export_new": Rule("manager", "/admin/exports", {"GET": 200, "POST": 200}),
    "admin.export_show": Rule("manager", "/admin/exports/" + "0" * 32, {"GET": 404}),
    "admin.export_download": Rule(
        "manager", "/admin/exports/" + "0" * 32 + "/download", {"GET": 404}
    ),
}
ENDPOINTS = {**BASE_ENDPOINTS}
for area in AREAS:
    ENDPOINTS.update(area.ENDPOINTS)

# anonymous: no session; care: a care user whose login was refused; care_session: a care user in
# the session all the same; till / revoked_till: a bearer token and no session
IDENTITIES = ("anonymous", "care", "care_session", "staff", "manager", "till", "revoked_till")


def test_every_endpoint_has_a_rule(app: Flask) -> None:
    endpoints = {url_rule.endpoint for url_rule in app.url_map.iter_rules()}
    assert sorted(endpoints - ENDPOINTS.keys()) == [], "add these endpoints to ENDPOINTS"
    assert sorted(ENDPOINTS.keys() - endpoints) == [], "these endpoints are gone"


def test_the_table_lists_every_method_of_every_endpoint(app: Flask) -> None:
    methods: dict[str, set[str]] = {}
    for url_rule in app.url_map.iter_rules():
        methods.setdefault(url_rule.endpoint, set()).update(url_rule.methods or ())
    table = {endpoint: set(methods_of(rule)) for endpoint, rule in ENDPOINTS.items()}
    assert methods == table


@dataclass
class World:
    """Real rows for the URL variables, and the tokens of a paired and a revoked till."""

    values: dict[str, Any]
    token: str
    revoked_token: str
    cookies: dict[str, str] = field(default_factory=dict)  # identity → its session cookie


@dataclass
class SharedWorld:
    """The module's app, its world and team, and the rows that make them."""

    app: Flask
    world: World
    team: Team
    rows: StoredRows


@pytest.fixture(scope="module")
def shared_world(
    database_url: str, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[SharedWorld]:
    """Build the app and its world once for the module; each test starts from its rows."""
    application = open_app(base_config(database_url), tmp_path_factory.mktemp("instance"))
    shop = Shop(application)
    farm_shop = make_farm_shop(shop)
    team = make_team(application)
    world = build_world(application, farm_shop, team, shop)
    world.cookies = session_cookies(application, team)
    with application.app_context():
        rows = StoredRows()
    yield SharedWorld(application, world, team, rows)
    close_app(application)


@pytest.fixture
def app(shared_world: SharedWorld) -> Flask:
    """Return the module's app, its tables holding just the world's rows again.

    Each rule's requests log people in and may change what they act on (a POST revokes a till,
    edits a user, queues a print job): the next test starts from the world as it was built.
    """
    with shared_world.app.app_context():
        shared_world.rows.put_back()
    return shared_world.app


@pytest.fixture
def world(app: Flask, shared_world: SharedWorld) -> World:
    """Return the world the module's rows hold."""
    return shared_world.world


@pytest.fixture
def team(app: Flask, shared_world: SharedWorld) -> Team:
    """Return the team the module's rows hold."""
    return shared_world.team


def build_world(app: Flask, farm_shop: dict[str, Any], team: Any, shop: Shop) -> World:
    """Make a receipt printer, a sale with its receipt waiting, a photo and a revoked till."""
    with app.app_context():
        printer = add_printer(
            "Toog", "tcp://127.0.0.1:9", profile="TM-T20II", point_of_sale_code="HW"
        )
        db.session.commit()
        printer_id = printer.id
    sale = app.test_client().post(
        "/api/v1/sales",
        json={
            "operator_id": farm_shop["operator_id"],
            "lines": [{"product_id": farm_shop["bread"], "quantity": "1"}],
            "payments": [{"method": "cash", "amount_cents": 380}],
        },
        headers={**farm_shop["headers"], "Idempotency-Key": str(uuid.uuid4())},
    )
    assert sale.status_code == 201
    revoked_id, revoked_token = shop.till("HW", name="Oude kassa")
    with app.app_context():
        revoke_till(db.session.get_one(Till, revoked_id), utcnow())
        db.session.commit()
    jpeg = io.BytesIO()
    Image.new("RGB", (8, 8), "green").save(jpeg, format="JPEG")
    jpeg.seek(0)
    photo = save_photo(jpeg, Path(app.instance_path) / "media", 1_000_000)
    with app.app_context():
        job_id = db.session.scalar(select(PrintJob.id).where(PrintJob.printer_id == printer_id))
    values = {
        "job_id": job_id,
        "printer_id": printer_id,
        "photo": photo,
        "sale_id": sale.get_json()["id"],
        "till_id": farm_shop["till_id"],
        "user_id": farm_shop["operator_id"],
    }
    for area in AREAS:
        values.update(area.world_values(app, farm_shop))
    return World(values, farm_shop["token"], revoked_token)


#: the identities with a live back-office session: opened once, while the world is built
SIGNED_IN = ("staff", "manager", "care_session")


def signed_in_client(app: Flask, identity: str, team: Team) -> FlaskClient:
    """Return a client with a live session: staff and manager log in through the form."""
    if identity == "staff":
        return logged_in(app, "Sam")
    if identity == "manager":
        return logged_in(app, "Mia")
    client = app.test_client()
    client.get("/admin/login")  # a session with a CSRF token, like any visitor's
    # care_session: a live session of someone made a care user since
    with app.app_context():
        token = open_session(db.session.get_one(User, team.care), utcnow(), timedelta(hours=1))
        db.session.commit()
    with client.session_transaction() as session:
        session["_user_id"] = str(team.care)
        session["_fresh"] = True
        session["session_token"] = token
    return client


def session_cookies(app: Flask, team: Team) -> dict[str, str]:
    """Open the sessions of SIGNED_IN; return each one's session cookie."""
    name = app.config["SESSION_COOKIE_NAME"]
    return {
        identity: present(signed_in_client(app, identity, team).get_cookie(name)).value
        for identity in SIGNED_IN
    }


def client_for(app: Flask, identity: str, world: World) -> FlaskClient:
    """Return a new client that is `identity`; every client holds a CSRF token in its session.

    A signed-in identity's client carries the cookie of the session opened when the world was
    built (its row is among the world's rows), so no request needs a login of its own.
    """
    client = app.test_client()
    if identity in world.cookies:
        client.set_cookie(app.config["SESSION_COOKIE_NAME"], world.cookies[identity])
    elif identity == "care":
        refused = login(client, "Lotte", PASSWORDS["Lotte"])
        assert refused.status_code == 200
        assert "Naam of wachtwoord klopt niet." in refused.text
    else:
        client.get("/admin/login")  # a session with a CSRF token, like any visitor's
    return client


def send(client: FlaskClient, method: str, path: str, headers: dict[str, str]) -> TestResponse:
    """Send one request; form posts carry the client's CSRF token, API posts a JSON body."""
    if method != "POST":
        response = client.open(path, method=method, headers=headers)
    elif path.startswith("/api/"):
        response = client.post(path, json={}, headers=headers)
    else:
        token = csrf_token(client.get("/admin/login").text)
        response = client.post(path, data={"csrf_token": token}, headers=headers)
    response.get_data()  # read the body, then close it: files (static, media) stay open otherwise
    response.close()
    return response


def expected_outcome(rule: Rule, identity: str, method: str) -> str:
    """Return what `identity` should get from an endpoint under `rule`."""
    granted = (
        rule.access == "public"
        or {
            "till": identity == "till",
            "staff": identity in ("staff", "manager"),
            "manager": identity == "manager",
        }[rule.access]
    )
    if granted:
        status = 200 if method == "OPTIONS" else rule.granted.get(method, rule.granted.get("GET"))
        return status if isinstance(status, str) else f"status {status}"
    if rule.access == "till":
        return "unauthorized"
    return "forbidden" if identity in ("care_session", "staff") else "login"


def outcome(response: TestResponse, method: str, path: str) -> str:
    """Name what a response is: a refusal of a known kind, checked in full, or its status."""
    status = response.status_code
    body = method != "HEAD"
    location = urlsplit(response.headers.get("Location", ""))
    back = path if method in ("GET", "HEAD") else None  # a post cannot be replayed by a redirect
    if status == 302 and location.path == "/admin/login" and next_page(location.query) == back:
        return "login"
    if status == 403 and is_error_page(
        response, body, "Dit mag je niet openen. Vraag een verantwoordelijke."
    ):
        return "forbidden"
    if (
        status == 401
        and response.headers.get("WWW-Authenticate") == 'Bearer realm="pluskassa"'
        and (not body or (response.is_json and response.get_json()["error"] == "unauthorized"))
    ):
        return "unauthorized"
    return f"status {status}"


def next_page(query: str) -> str | None:
    """Return the page a login redirect comes back to."""
    return parse_qs(query).get("next", [None])[0]


def is_error_page(response: TestResponse, body: bool, message: str) -> bool:
    """Return whether a refusal is the Dutch error page with `message` (HEAD has no body)."""
    return not body or (response.mimetype == "text/html" and message in response.text)


def methods_of(rule: Rule) -> list[str]:
    """Return the methods to try on an endpoint: POST last, since it may change what it acts on."""
    automatic = ["HEAD", "OPTIONS"] if "GET" in rule.granted else ["OPTIONS"]
    return sorted(set(rule.granted) | set(automatic), key=lambda method: method == "POST")


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_access_rule(app: Flask, world: World, team: Team, endpoint: str) -> None:
    rule = ENDPOINTS[endpoint]
    path = rule.path.format(**world.values)
    expected, actual = {}, {}
    for method in methods_of(rule):
        for identity in IDENTITIES:
            client = client_for(app, identity, world)
            token = {"till": world.token, "revoked_till": world.revoked_token}.get(identity)
            headers = {"Authorization": f"Bearer {token}"} if token else {}
            response = send(client, method, path, headers)
            assert response.status_code < 500, (method, identity, response.text)
            expected[method, identity] = expected_outcome(rule, identity, method)
            actual[method, identity] = outcome(response, method, path)
    assert actual == expected
