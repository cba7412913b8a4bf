"""Hardening: security headers and cookies, no inline scripts, uploads, export paths, names.

Names with markup, control characters and emoji must come out as text everywhere: escaped in
the back office, as plain characters on the receipt printer (never as printer commands).
"""

from __future__ import annotations

import http.client
import io
import json
import re
import struct
import zipfile
import zlib
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from openpyxl import Workbook
from PIL import Image
from sqlalchemy import func, select
from werkzeug.security import generate_password_hash

from kiosk.catalog.product_file import MAX_ROWS, import_products
from kiosk.errors import OperationError
from kiosk.exports.jobs import export_folder, job_file
from kiosk.extensions import db
from kiosk.models import Producer, Product, User
from kiosk.models.types import Role
from kiosk.photos import save_photo
from printers.documents import ReceiptLine
from printers.paper import paper_format
from printers.render import render_receipt
from tests.conftest import LiveServer, Shop, csrf_token, login
from tests.printers.conftest import make_receipt

TEMPLATES = Path(__file__).resolve().parents[2] / "kiosk" / "templates"
MANAGER_PASSWORD = "mia-beheert-de-winkel"
#: markup, an emoji and a name as long as a product name may be
EVIL_NAME = "<img src=x onerror=alert(1)>🍞"
LONG_NAME = ("<script>alert('x')</script>🥖" * 3)[:80]


@pytest.fixture
def manager(app: Flask) -> FlaskClient:
    """A client logged in as the shop's manager."""
    with app.app_context():
        db.session.add(
            User(
                name="Mia",
                role=Role.MANAGER,
                active=True,
                password_hash=generate_password_hash(MANAGER_PASSWORD, "pbkdf2:sha256:1000"),
            )
        )
        db.session.commit()
    client = app.test_client()
    assert login(client, "Mia", MANAGER_PASSWORD).status_code == 302
    return client


# --- headers and cookies ----------------------------------------------------------------------


def check_security_headers(headers: Any) -> None:
    """Check the security headers of one answer."""
    policy = dict(
        part.strip().split(" ", 1) for part in headers["Content-Security-Policy"].split(";")
    )
    assert policy["script-src"] == "'self'"  # no inline scripts, no eval
    assert policy["default-src"] == "'self'"
    assert policy["frame-ancestors"] == "'none'"
    assert policy["object-src"] == "'none'"
    assert (policy["base-uri"], policy["form-action"]) == ("'self'", "'self'")
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Referrer-Policy"] == "same-origin"
    assert headers["Cross-Origin-Opener-Policy"] == "same-origin"
    assert "camera=()" in headers["Permissions-Policy"]


def check_data_headers(headers: Any) -> None:
    """Check the security headers of a JSON answer: nothing may run, load or frame it."""
    assert headers["Content-Security-Policy"] == "default-src 'none'; frame-ancestors 'none'"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["X-Frame-Options"] == "DENY"
    for page_only in ("Referrer-Policy", "Permissions-Policy", "Cross-Origin-Opener-Policy"):
        assert page_only not in headers


def test_every_kind_of_answer_carries_the_security_headers(
    app: Flask, client: FlaskClient, farm_shop: dict[str, Any], manager: FlaskClient
) -> None:
    answers = [
        client.get("/admin/login"),
        client.get("/till"),
        client.get("/static/admin/admin.css"),
        client.get("/nergens"),  # a 404
        manager.get("/admin/products"),
    ]
    data = [
        client.get("/api/v1/catalog", headers=farm_shop["headers"]),
        client.get("/api/v1/catalog"),  # a refusal
        client.get("/api/v1/nergens", headers=farm_shop["headers"]),  # the API's 404
        client.get("/healthz"),
    ]
    for answer in answers + data:
        answer.close()
    for answer in answers:
        check_security_headers(answer.headers)
    for answer in data:
        assert answer.mimetype == "application/json"
        check_data_headers(answer.headers)
    assert [answer.status_code for answer in answers] == [200, 200, 200, 404, 200]
    assert [answer.status_code for answer in data] == [200, 401, 404, 200]


def test_the_session_cookie_is_httponly_and_lax_and_not_secure_on_a_shop_lan(
    app: Flask, client: FlaskClient
) -> None:
    page = client.get("/admin/login")
    cookie = page.headers["Set-Cookie"]
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie
    assert "Secure" not in cookie
    assert app.config["REMEMBER_COOKIE_HTTPONLY"] is True
    assert app.config["REMEMBER_COOKIE_SAMESITE"] == "Lax"


def test_secure_cookies_when_the_shop_serves_https(
    app_config: dict[str, Any], instance_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from kiosk import create_app

    monkeypatch.setenv("PLUSKASSA_SECURE_COOKIES", "true")
    secure_app = create_app(app_config, instance_path=str(instance_path))
    page = secure_app.test_client().get("/admin/login")
    cookie = page.headers["Set-Cookie"]
    assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie
    assert secure_app.config["REMEMBER_COOKIE_SECURE"] is True
    with secure_app.app_context():
        db.engine.dispose()


def test_no_template_has_an_inline_script_or_event_handler() -> None:
    offenders = []
    for template in sorted(TEMPLATES.rglob("*.html")):
        text = template.read_text("utf-8")
        for pattern in (r"<script(?![^>]*\bsrc=)[^>]*>", r"\son[a-z]+\s*=", r"javascript:"):
            offenders += [f"{template.name}: {found}" for found in re.findall(pattern, text)]
    assert offenders == []


# --- uploads ----------------------------------------------------------------------------------


def png_header_only(width: int, height: int) -> bytes:
    """Return a small PNG file that claims to be width × height pixels (a decompression bomb)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    pixels = zlib.compress(b"\0" * 1024, 9)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


@pytest.mark.parametrize(
    ("width", "height"),
    [
        (8_000, 6_000),  # 48 megapixels: over our own limit, under Pillow's
        (10_000, 10_000),  # Pillow warns (and we refuse)
        (30_000, 30_000),  # Pillow refuses outright
    ],
)
def test_a_decompression_bomb_is_refused_in_dutch(tmp_path: Path, width: int, height: int) -> None:
    data = png_header_only(width, height)
    assert len(data) < 2_000
    with pytest.raises(OperationError) as refused:
        save_photo(io.BytesIO(data), tmp_path, 5_000_000)
    assert (refused.value.code, refused.value.message) == (
        "photo_too_large",
        "De foto heeft te veel pixels (hoogstens 40 miljoen).",
    )
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("content", "name"),
    [
        (b"<svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'/>", "foto.png"),
        (b"<html><script>alert(1)</script></html>", "foto.jpg"),
        (b"GIF89a" + b"\0" * 40, "foto.webp"),
        (b"\x89PNG\r\n\x1a\n" + b"\0" * 30, "foto.png"),  # a broken PNG
    ],
)
def test_the_type_is_read_from_the_content_not_the_name(
    tmp_path: Path, content: bytes, name: str
) -> None:
    with pytest.raises(OperationError) as refused:
        save_photo(io.BytesIO(content), tmp_path, 5_000_000)
    assert refused.value.message == "Dit bestand is geen foto. Kies een foto in JPEG, PNG of WebP."
    assert list(tmp_path.iterdir()) == []


def test_a_photo_named_like_a_program_is_stored_as_an_image(tmp_path: Path) -> None:
    upload = io.BytesIO()
    Image.new("RGB", (40, 30), "green").save(upload, format="WEBP")
    upload.seek(0)
    name = save_photo(upload, tmp_path, 5_000_000)
    assert re.fullmatch(r"[0-9a-f]{24}\.jpg", name)  # our name, re-encoded: never the upload's
    with Image.open(tmp_path / name) as stored:
        assert (stored.format, stored.size) == ("JPEG", (40, 30))


def test_a_bomb_uploaded_as_a_users_photo_is_refused_on_the_form(
    app: Flask, manager: FlaskClient
) -> None:
    page = manager.get("/admin/users/new")
    response = manager.post(
        "/admin/users/new",
        data={
            "csrf_token": csrf_token(page.text),
            "name": "Lotte",
            "role": "care",
            "photo": (io.BytesIO(png_header_only(30_000, 30_000)), "lotte.png"),
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 200
    assert "De foto heeft te veel pixels" in response.text
    with app.app_context():
        assert db.session.scalar(select(User).where(User.name == "Lotte")) is None


def xlsx_with_rows(path: Path, rows: int) -> Path:
    """Write a products XLSX with the header and `rows` rows."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.append(["naam", "prijs"])
    for number in range(rows):
        sheet.append([f"Product {number}", "1,00"])
    workbook.save(path)
    return path


def test_a_products_xlsx_with_too_many_rows_is_refused(
    app: Flask, farm_shop: dict[str, Any], tmp_path: Path
) -> None:
    path = xlsx_with_rows(tmp_path / "veel.xlsx", MAX_ROWS + 5)
    with app.app_context():
        report = import_products(path, dry_run=True)
        assert report.errors == [(1, "bestand", f"Het bestand heeft meer dan {MAX_ROWS} rijen.")]
        assert db.session.scalar(select(func.count(Product.id))) == 4


def test_a_zip_bomb_xlsx_is_refused_before_it_is_read(
    app: Flask, farm_shop: dict[str, Any], tmp_path: Path, manager: FlaskClient
) -> None:
    path = xlsx_with_rows(tmp_path / "bom.xlsx", 2)
    with (
        zipfile.ZipFile(path, "a", compression=zipfile.ZIP_DEFLATED) as archive,
        archive.open("xl/media/opvulling.bin", "w", force_zip64=True) as part,
    ):
        for _ in range(80):  # 80 MB of zeros, a few hundred kB packed
            part.write(bytes(1024 * 1024))
    assert path.stat().st_size < 1_000_000
    page = manager.get("/admin/products/file")
    response = manager.post(
        "/admin/products/file",
        data={
            "csrf_token": csrf_token(page.text),
            "action": "import",
            "file": (io.BytesIO(path.read_bytes()), "bom.xlsx"),
        },
        content_type="multipart/form-data",
    )
    assert response.status_code == 200
    assert "Het bestand is uitgepakt te groot voor een productenlijst." in response.text
    with app.app_context():
        assert db.session.scalar(select(func.count(Product.id))) == 4


# --- export paths -----------------------------------------------------------------------------

JOB_ID = "0123456789abcdef0123456789abcdef"


def finished_job(app: Flask, file_name: str) -> Path:
    """Write a finished job's progress file naming `file_name`; return the exports folder."""
    folder = export_folder(app)
    state = {"kind": "verkopen", "file": file_name, "rows": 1, "done": True, "error": None}
    (folder / f"{JOB_ID}.json").write_text(json.dumps(state), "utf-8")
    return folder


def test_a_finished_export_is_downloaded_from_the_export_folder(
    app: Flask, manager: FlaskClient
) -> None:
    folder = finished_job(app, "verkopen-2026-03-01-2026-03-31.csv")
    (folder / f"{JOB_ID}.csv").write_text("a;b\n", "utf-8")
    response = manager.get(f"/admin/exports/{JOB_ID}/download")
    assert response.status_code == 200
    assert response.data == b"a;b\n"
    assert "verkopen-2026-03-01-2026-03-31.csv" in response.headers["Content-Disposition"]
    response.close()


@pytest.mark.parametrize(
    "file_name",
    ["../../geheim.csv", "x.csv/../../../geheim", "/etc/passwd", "verkopen.exe", "verkopen"],
)
def test_a_tampered_progress_file_never_leads_out_of_the_export_folder(
    app: Flask, manager: FlaskClient, tmp_path: Path, file_name: str
) -> None:
    folder = finished_job(app, file_name)
    (tmp_path / "geheim.csv").write_text("geheim", "utf-8")
    found_file = job_file(app, JOB_ID)
    assert found_file is None or found_file[0].parent == folder
    response = manager.get(f"/admin/exports/{JOB_ID}/download")
    assert response.status_code == 404
    assert b"geheim" not in response.data


def test_a_link_out_of_the_export_folder_is_not_followed(
    app: Flask, manager: FlaskClient, tmp_path: Path
) -> None:
    folder = finished_job(app, "verkopen.csv")
    secret = tmp_path / "geheim.csv"
    secret.write_text("geheim", "utf-8")
    (folder / f"{JOB_ID}.csv").symlink_to(secret)
    assert job_file(app, JOB_ID) is None
    assert manager.get(f"/admin/exports/{JOB_ID}/download").status_code == 404


@pytest.mark.parametrize("job_id", ["..", "../instance", "%2e%2e%2fpluskassa.db", "a" * 31])
def test_export_urls_take_only_a_job_id(manager: FlaskClient, job_id: str) -> None:
    assert manager.get(f"/admin/exports/{job_id}/download").status_code == 404
    assert manager.get(f"/admin/exports/{job_id}").status_code == 404


# --- names shown safely -----------------------------------------------------------------------


def test_names_with_markup_and_emoji_are_escaped_in_the_back_office(
    app: Flask, shop: Shop, manager: FlaskClient
) -> None:
    shop.point_of_sale("HW")
    shop.product(EVIL_NAME, price_cents=380)
    shop.product(LONG_NAME, price_cents=250)
    shop.user(LONG_NAME[:60])
    with app.app_context():
        db.session.add(Producer(name=EVIL_NAME, farm=LONG_NAME))
        db.session.commit()
    for url in ("/admin/products", "/admin/users", "/admin/producers", "/admin/stock"):
        page = manager.get(url)
        assert page.status_code == 200, url
        assert "<img src=x" not in page.text and "<script>alert" not in page.text, url
    assert "&lt;img src=x onerror=alert(1)&gt;🍞" in manager.get("/admin/products").text
    assert "&lt;script&gt;alert(" in manager.get("/admin/users").text
    assert "&lt;img src=x onerror=alert(1)&gt;🍞" in manager.get("/admin/producers").text


def test_control_characters_in_names_never_reach_the_printer_as_commands(app: Flask) -> None:
    paper = paper_format("TM-T20II", 80)
    evil_lines = (
        ReceiptLine("Brood\x1bp\x00\x19\x7f\x9b\ngesneden", "1", "piece", 380, 380, "6"),
        ReceiptLine("Kaas\x1dV\x00" + "🧀" + "x" * 500, "1", "piece", 450, 450, "6"),
    )
    clean_lines = (
        ReceiptLine("Broodp gesneden", "1", "piece", 380, 380, "6"),  # control bytes dropped
        ReceiptLine("KaasV" + "?" + "x" * 500, "1", "piece", 450, 450, "6"),
    )
    evil = render_receipt(make_receipt(lines=evil_lines, operator="Jan\x1b@"), paper)
    clean = render_receipt(make_receipt(lines=clean_lines, operator="Jan@"), paper)
    assert evil == clean
    assert b"\x1bp" not in evil  # no drawer kick: the receipt was not a cash sale's
    assert evil.count(b"\x1dV") == clean.count(b"\x1dV") == 1  # one cut, at the end


# --- access -----------------------------------------------------------------------------------


def test_a_revoked_till_token_stops_working_on_the_very_next_request(
    app: Flask, farm_shop: dict[str, Any], manager: FlaskClient, live_server: LiveServer
) -> None:
    host, port = live_server.url.removeprefix("http://").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=10)  # one kept-alive line

    def catalog_status() -> int:
        connection.request("GET", "/api/v1/catalog", headers=farm_shop["headers"])
        response = connection.getresponse()
        response.read()
        return response.status

    try:
        assert catalog_status() == 200
        tills = manager.get("/admin/tills")
        revoked = manager.post(
            f"/admin/tills/{farm_shop['till_id']}/revoke",
            data={"csrf_token": csrf_token(tills.text)},
        )
        assert revoked.status_code == 302
        assert catalog_status() == 401
    finally:
        connection.close()


def test_a_care_user_with_a_password_cannot_log_in_to_the_back_office(
    app: Flask, client: FlaskClient
) -> None:
    with app.app_context():
        db.session.add(
            User(
                name="Lotte",
                role=Role.CARE,
                active=True,
                password_hash=generate_password_hash("lotte-zorg", "pbkdf2:sha256:1000"),
            )
        )
        db.session.commit()
    refused = login(client, "Lotte", "lotte-zorg")
    assert refused.status_code == 200
    for url in ("/admin/", "/admin/products", "/admin/users", "/admin/exports"):
        answer = client.get(url)
        assert answer.status_code == 302 and "/admin/login" in answer.headers["Location"], url
