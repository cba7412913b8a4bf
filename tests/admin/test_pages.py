"""The back-office pages through the test client, with CSRF protection on as in production."""

from __future__ import annotations

import io
import os
import re
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from PIL import Image
from sqlalchemy import func, select
from werkzeug.datastructures import FileStorage
from werkzeug.security import check_password_hash
from werkzeug.test import TestResponse, encode_multipart

from kiosk.extensions import db
from kiosk.models import Organisation, Till, User
from tests.admin.conftest import PASSWORDS, Team
from tests.conftest import Shop, csrf_token, found, login

WRONG_LOGIN = "Naam of wachtwoord klopt niet."
FORM_EXPIRED = "Het formulier was verlopen. Laad de pagina opnieuw en probeer nog eens."
TOKEN_FIELD = re.compile(r'<input id="till-token"[^>]* value="([^"]+)"')


def submit(
    client: FlaskClient, url: str, data: dict[str, Any], *, page: str | None = None
) -> TestResponse:
    """Open the form at `page` (default `url`) and post `data` with its CSRF token."""
    form = client.get(page or url)
    assert form.status_code == 200
    fields = {**data, "csrf_token": csrf_token(form.text)}
    if not any(isinstance(value, tuple) for value in fields.values()):
        return client.post(url, data=fields)
    # encode uploads in memory: the test client spools big bodies to a file it never closes
    files = {
        key: FileStorage(value[0], filename=value[1]) if isinstance(value, tuple) else value
        for key, value in fields.items()
    }
    boundary, body = encode_multipart(files)
    return client.post(url, data=body, content_type=f"multipart/form-data; boundary={boundary}")


def find_user(app: Flask, name: str) -> User | None:
    """Return the stored user with this name, detached from the session."""
    with app.app_context():
        user = db.session.scalar(select(User).where(User.name == name))
        if user is not None:
            db.session.expunge(user)
        return user


def existing_user(app: Flask, name: str) -> User:
    """Return the stored user with this name like ``find_user``, failing when there is none."""
    user = find_user(app, name)
    assert user is not None, f"no user named {name!r}"
    return user


def count_users(app: Flask) -> int:
    """Return how many users there are."""
    with app.app_context():
        return db.session.scalar(select(func.count(User.id))) or 0


def logged_in_as(client: FlaskClient) -> bool:
    """Return whether the client's session opens the back office."""
    return client.get("/admin/").status_code == 200


def image_file(fmt: str, size: tuple[int, int] = (40, 30), mode: str = "RGB") -> io.BytesIO:
    """Make a small image in memory."""
    data = io.BytesIO()
    Image.new(mode, size, (200, 120, 40, 255)[: len(mode)]).save(data, format=fmt)
    data.seek(0)
    return data


# --- logging in and out --------------------------------------------------------------------------


def test_login_page_is_dutch_with_labelled_fields(client: FlaskClient) -> None:
    page = client.get("/admin/login")
    assert page.status_code == 200
    assert '<label for="name">Naam</label>' in page.text
    assert '<label for="password">Wachtwoord</label>' in page.text
    assert 'autocomplete="current-password"' in page.text
    assert '<button type="submit" class="primary">Aanmelden</button>' in page.text


def test_manager_logs_in_and_sees_the_managers_menu(client: FlaskClient, team: Team) -> None:
    response = login(client, "Mia", PASSWORDS["Mia"])
    assert response.status_code == 302
    assert response.headers["Location"] == "/admin/"
    start = client.get("/admin/")
    assert start.status_code == 200
    assert "<span>Mia</span>" in start.text
    assert '<a href="/admin/tills">Kassa&#39;s</a>' in start.text
    for page in ("/admin/reports/products", "/admin/accounts", "/admin/purchase-orders"):
        assert f'href="{page}"' in start.text


def test_staff_logs_in_without_the_managers_menu(client: FlaskClient, team: Team) -> None:
    assert login(client, "Sam", PASSWORDS["Sam"]).status_code == 302
    start = client.get("/admin/")
    assert "<span>Sam</span>" in start.text
    assert 'href="/admin/tills"' not in start.text
    assert 'href="/admin/users"' not in start.text


def test_the_menu_shows_each_page_to_whoever_the_page_itself_lets_in(
    app: Flask, client: FlaskClient, team: Team
) -> None:
    """The menus and the pages follow one rule: staff see the drawer once they may count it."""
    assert login(client, "Sam", PASSWORDS["Sam"]).status_code == 302
    start = client.get("/admin/").text
    assert 'href="/admin/purchase-orders"' in start  # staff order from producers
    for managers_page in ("/admin/cash", "/admin/accounts", "/admin/reports/products"):
        assert f'href="{managers_page}"' not in start
        assert client.get(managers_page).status_code == 403
    with app.app_context():
        db.session.get_one(User, team.staff).may_count_cash = True
        db.session.commit()
    start = client.get("/admin/").text
    assert 'href="/admin/cash"' in start
    assert client.get("/admin/cash").status_code == 200
    assert 'href="/admin/accounts"' not in start


def test_the_name_is_not_case_sensitive(client: FlaskClient, team: Team) -> None:
    assert login(client, "  mIA ", PASSWORDS["Mia"]).status_code == 302
    assert logged_in_as(client)


@pytest.mark.parametrize(
    ("name", "password"),
    [
        ("Mia", "niet-het-wachtwoord"),  # wrong password
        ("Mia", PASSWORDS["Sam"]),  # someone else's password
        ("Niemand", PASSWORDS["Mia"]),  # unknown name
        ("Ward", PASSWORDS["Ward"]),  # inactive staff member, right password
        ("Lotte", PASSWORDS["Lotte"]),  # care user, right password
    ],
)
def test_login_is_refused_with_one_dutch_message(
    client: FlaskClient, team: Team, name: str, password: str
) -> None:
    response = login(client, name, password)
    assert response.status_code == 200
    assert f'<p class="flash error" role="alert">{WRONG_LOGIN}</p>' in response.text
    assert not logged_in_as(client)


def test_an_empty_login_form_asks_for_both_fields(client: FlaskClient) -> None:
    page = client.get("/admin/login")
    response = client.post("/admin/login", data={"csrf_token": csrf_token(page.text)})
    assert response.status_code == 200
    assert response.text.count("Dit veld is vereist.") == 2


@pytest.mark.parametrize("name", ["Mi\x00a", "Mia\x1b[0m", "M" * 500])
def test_strange_login_names_are_refused_without_an_error(
    client: FlaskClient, team: Team, name: str
) -> None:
    response = login(client, name, PASSWORDS["Mia"])
    assert response.status_code == 200
    assert not logged_in_as(client)


def test_login_returns_to_the_page_asked_for(client: FlaskClient, team: Team) -> None:
    asked = client.get("/admin/tills")
    assert asked.headers["Location"] == "/admin/login?next=/admin/tills"
    page = client.get(asked.headers["Location"])
    response = client.post(
        asked.headers["Location"],
        data={"name": "Mia", "password": PASSWORDS["Mia"], "csrf_token": csrf_token(page.text)},
    )
    assert response.headers["Location"] == "/admin/tills"


@pytest.mark.parametrize(
    "target",
    ["https://evil.example/", "//evil.example/", "/\\evil.example/", "/\t/evil.example/", "admin"],
)
def test_login_never_sends_anyone_to_another_site(
    client: FlaskClient, team: Team, target: str
) -> None:
    page = client.get("/admin/login")
    response = client.post(
        "/admin/login",
        query_string={"next": target},
        data={"name": "Mia", "password": PASSWORDS["Mia"], "csrf_token": csrf_token(page.text)},
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/admin/"


def test_logout_is_post_only(client: FlaskClient, team: Team) -> None:
    login(client, "Sam", PASSWORDS["Sam"])
    assert client.get("/admin/logout").status_code == 405
    assert logged_in_as(client)


def test_logout_without_csrf_token_is_refused(client: FlaskClient, team: Team) -> None:
    login(client, "Sam", PASSWORDS["Sam"])
    for data in ({}, {"csrf_token": "vervalst"}):
        response = client.post("/admin/logout", data=data)
        assert response.status_code == 400
        assert '<html lang="nl">' in response.text
        assert FORM_EXPIRED in response.text
    assert logged_in_as(client)


def test_logout_with_csrf_token_logs_out(client: FlaskClient, team: Team) -> None:
    login(client, "Sam", PASSWORDS["Sam"])
    response = submit(client, "/admin/logout", {}, page="/admin/")
    assert response.status_code == 302
    assert response.headers["Location"] == "/admin/login"
    assert not logged_in_as(client)


# --- CSRF and caching ----------------------------------------------------------------------------


def test_a_post_without_csrf_token_changes_nothing(
    app: Flask, manager: FlaskClient, farm_shop: dict[str, Any]
) -> None:
    organisation = {"name": "Zorg vzw", "address": "Hoevestraat 1, 9000 Gent"}
    attempts = [
        ("/admin/organisation", {**organisation, "vat_number": "BE0456.782.304"}),
        ("/admin/users/new", {"name": "Jonas", "role": "care"}),
        ("/admin/tills/new", {"name": "Kassa 2", "point_of_sale": "HW"}),
        (f"/admin/tills/{farm_shop['till_id']}/revoke", {}),
        (f"/admin/users/{farm_shop['operator_id']}", {"name": "Jan", "role": "care"}),
    ]
    for url, data in attempts:
        response = manager.post(url, data=data)
        assert response.status_code == 400, url
        assert FORM_EXPIRED in response.text
    with app.app_context():
        assert db.session.get(Organisation, 1) is None
        assert db.session.scalar(select(func.count(Till.id))) == 1
        assert db.session.get_one(Till, farm_shop["till_id"]).active
        assert db.session.get_one(User, farm_shop["operator_id"]).active
    assert find_user(app, "Jonas") is None
    assert manager.get("/api/v1/catalog", headers=farm_shop["headers"]).status_code == 200


@pytest.mark.parametrize("url", ["/admin/login", "/admin/", "/admin/tills", "/admin/users/999"])
def test_back_office_pages_are_never_cached(app: Flask, team: Team, url: str) -> None:
    anonymous = app.test_client().get(url)
    assert anonymous.headers["Cache-Control"] == "no-store"
    staff = app.test_client()
    login(staff, "Sam", PASSWORDS["Sam"])
    assert staff.get(url).headers["Cache-Control"] == "no-store"  # 200, 403 or 404 alike


def test_the_token_page_is_never_cached(manager: FlaskClient, farm_shop: dict[str, Any]) -> None:
    response = submit(manager, "/admin/tills/new", {"name": "Kassa 2", "point_of_sale": "HW"})
    assert TOKEN_FIELD.search(response.text)
    assert response.headers["Cache-Control"] == "no-store"


def test_till_pages_keep_their_own_caching(client: FlaskClient) -> None:
    response = client.get("/pictograms/1F35E.svg")
    response.close()
    assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"


# --- the organisation ----------------------------------------------------------------------------


def organisation_form(vat_number: str) -> dict[str, str]:
    """Return a filled-in organisation form."""
    return {
        "name": "Zorgboerderij De Linde vzw",
        "address": "Lindeweg 4, 9880 Aalter",
        "vat_number": vat_number,
        "receipt_header": "Welkom in de hoevewinkel",
        "receipt_footer": "Dank je wel!",
    }


@pytest.mark.parametrize(
    "typed", ["BE0456.782.304", "be 0456 782 304", "0456-782-304", "456782304"]
)
def test_organisation_is_saved_with_its_vat_number_normalised(
    app: Flask, manager: FlaskClient, typed: str
) -> None:
    response = submit(manager, "/admin/organisation", organisation_form(typed))
    assert response.status_code == 302
    assert response.headers["Location"] == "/admin/organisation"
    assert "De gegevens zijn bewaard." in manager.get("/admin/organisation").text
    with app.app_context():
        organisation = db.session.get_one(Organisation, 1)
        assert organisation.vat_number == "BE0456.782.304"
        assert organisation.name == "Zorgboerderij De Linde vzw"
        assert organisation.receipt_footer == "Dank je wel!"


@pytest.mark.parametrize("typed", ["BE0456.782.305", "BE1456.782.304", "NL0456782304", "12345"])
def test_an_invalid_vat_number_is_refused_and_the_form_keeps_what_was_typed(
    app: Flask, manager: FlaskClient, typed: str
) -> None:
    response = submit(manager, "/admin/organisation", organisation_form(typed))
    assert response.status_code == 200
    assert "Dit is geen geldig Belgisch btw-nummer (bv. BE0123.456.749)." in response.text
    assert f'value="{typed}"' in response.text
    assert 'value="Zorgboerderij De Linde vzw"' in response.text
    assert 'value="Lindeweg 4, 9880 Aalter"' in response.text
    assert ">\r\nWelkom in de hoevewinkel</textarea>" in response.text
    assert 'aria-invalid="true"' in response.text
    with app.app_context():
        assert db.session.get(Organisation, 1) is None


def test_a_control_character_in_a_receipt_text_is_refused(app: Flask, manager: FlaskClient) -> None:
    form = {**organisation_form("BE0456.782.304"), "receipt_footer": "Tot ziens\x1b@\x00"}
    response = submit(manager, "/admin/organisation", form)
    assert response.status_code == 200
    assert "Dit veld bevat een onzichtbaar stuurteken. Typ het opnieuw." in response.text
    with app.app_context():
        assert db.session.get(Organisation, 1) is None


def test_receipt_texts_keep_their_line_breaks(app: Flask, manager: FlaskClient) -> None:
    form = {**organisation_form("BE0456.782.304"), "receipt_header": "Hoevewinkel\r\nDe Linde"}
    assert submit(manager, "/admin/organisation", form).status_code == 302
    with app.app_context():
        assert db.session.get_one(Organisation, 1).receipt_header == "Hoevewinkel\r\nDe Linde"


# --- users ---------------------------------------------------------------------------------------


def user_form(name: str, role: str = "care", **fields: Any) -> dict[str, Any]:
    """Return a filled-in user form (the checkbox 'Actief' ticked)."""
    return {"name": name, "role": role, "active": "y", **fields}


def test_add_a_care_user_with_a_pictogram(app: Flask, manager: FlaskClient) -> None:
    response = submit(manager, "/admin/users/new", user_form("Jonas", pictogram="1F9D1"))
    assert response.status_code == 302
    assert response.headers["Location"] == "/admin/users"
    listing = manager.get("/admin/users")
    assert "Jonas is toegevoegd." in listing.text
    assert '<img src="/pictograms/1F9D1.svg" alt="" width="48" height="48">' in listing.text
    jonas = find_user(app, "Jonas")
    assert jonas is not None
    assert (jonas.role, jonas.pictogram, jonas.active) == ("care", "1F9D1", True)
    assert jonas.password_hash is None
    assert jonas.photo is None


def test_add_an_inactive_user(app: Flask, manager: FlaskClient) -> None:
    form = user_form("Jonas")
    del form["active"]
    assert submit(manager, "/admin/users/new", form).status_code == 302
    assert existing_user(app, "Jonas").active is False


def test_add_a_care_user_with_a_pin(app: Flask, manager: FlaskClient) -> None:
    assert submit(manager, "/admin/users/new", user_form("Jonas", pin="4321")).status_code == 302
    jonas = find_user(app, "Jonas")
    assert jonas is not None
    # stored as a salted hash that checks the PIN, never the PIN itself (the hash's hex digits may
    # by chance hold "4321": asserting on substrings failed one run in a few hundred)
    assert jonas.pin_hash and jonas.pin_hash.startswith(("scrypt:", "pbkdf2:"))
    assert check_password_hash(jonas.pin_hash, "4321")
    assert not check_password_hash(jonas.pin_hash, "4322")


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"pictogram": "1f9d1"}, "Geen geldige OpenMoji-code."),
        ({"pictogram": "../etc"}, "Geen geldige OpenMoji-code."),
        ({"pin": "12"}, "Een pincode heeft 4 tot 6 cijfers."),
        ({"role": "admin"}, "Ongeldige keuze."),
        ({"name": ""}, "Dit veld is vereist."),
        ({"name": "J" * 81}, "Veld mag niet langer zijn dan 80 karakters."),
        ({"name": "Jo\x00nas"}, "Dit veld bevat een onzichtbaar stuurteken. Typ het opnieuw."),
    ],
)
def test_a_wrong_user_form_is_refused_in_dutch(
    app: Flask, manager: FlaskClient, team: Team, fields: dict[str, str], message: str
) -> None:
    before = count_users(app)
    response = submit(manager, "/admin/users/new", {**user_form("Jonas"), **fields})
    assert response.status_code == 200
    assert message in response.text
    assert count_users(app) == before


@pytest.mark.parametrize("role", ["staff", "manager"])
def test_staff_and_managers_need_a_password(app: Flask, manager: FlaskClient, role: str) -> None:
    response = submit(manager, "/admin/users/new", user_form("Jonas", role))
    assert response.status_code == 200
    assert "Kies een wachtwoord van minstens 8 tekens." in response.text
    assert find_user(app, "Jonas") is None
    short = submit(manager, "/admin/users/new", user_form("Jonas", role, password="kort"))
    assert "Veld moet tussen 8 en 200 karakters lang zijn." in short.text
    assert find_user(app, "Jonas") is None


def test_a_new_staff_member_with_a_password_can_log_in(app: Flask, manager: FlaskClient) -> None:
    form = user_form("Jonas", "staff", password="jonas-zijn-wachtwoord")
    assert submit(manager, "/admin/users/new", form).status_code == 302
    assert login(app.test_client(), "Jonas", "jonas-zijn-wachtwoord").status_code == 302


def test_a_name_is_taken_whatever_its_case(app: Flask, manager: FlaskClient, team: Team) -> None:
    response = submit(manager, "/admin/users/new", user_form("sam"))
    assert response.status_code == 200
    assert "Er is al iemand met de naam sam." in response.text
    assert find_user(app, "sam") is None


def test_a_photo_is_scaled_stored_and_served(app: Flask, manager: FlaskClient) -> None:
    photo = (image_file("JPEG", size=(1200, 900)), "jonas.jpg")
    form = user_form("Jonas", photo=photo)
    assert submit(manager, "/admin/users/new", form).status_code == 302
    jonas = find_user(app, "Jonas")
    assert jonas is not None and jonas.photo is not None
    assert re.fullmatch(r"[0-9a-f]{24}\.jpg", jonas.photo)
    listing = manager.get("/admin/users")
    assert f'<img src="/media/{jonas.photo}" alt="" width="48" height="48">' in listing.text
    served = app.test_client().get(f"/media/{jonas.photo}")
    assert served.status_code == 200
    assert served.mimetype == "image/jpeg"
    with Image.open(io.BytesIO(served.data)) as image:
        assert image.size == (512, 384)
    served.close()


def test_a_png_with_transparency_stays_a_png(app: Flask, manager: FlaskClient) -> None:
    photo = (image_file("PNG", mode="RGBA"), "logo.png")
    assert submit(manager, "/admin/users/new", user_form("Jonas", photo=photo)).status_code == 302
    photo_name = existing_user(app, "Jonas").photo
    assert photo_name is not None and photo_name.endswith(".png")


def media_files(app: Flask) -> list[Path]:
    """Return the stored photos."""
    folder = Path(app.instance_path) / "media"
    return sorted(folder.iterdir()) if folder.exists() else []


def test_a_file_that_is_no_photo_is_refused(app: Flask, manager: FlaskClient) -> None:
    photo = (io.BytesIO(b"%PDF-1.7 dit is geen foto"), "foto.jpg")
    response = submit(manager, "/admin/users/new", user_form("Jonas", photo=photo))
    assert response.status_code == 200
    assert "Dit bestand is geen foto." in response.text
    assert 'value="Jonas"' in response.text
    assert find_user(app, "Jonas") is None
    assert media_files(app) == []


def test_a_photo_that_is_too_big_is_refused(app: Flask, manager: FlaskClient) -> None:
    noise = Image.frombytes("RGB", (1600, 1200), os.urandom(1600 * 1200 * 3))
    data = io.BytesIO()
    noise.save(data, format="PNG", compress_level=0)
    assert app.config["PHOTO_MAX_BYTES"] < len(data.getvalue()) < app.config["MAX_CONTENT_LENGTH"]
    data.seek(0)
    response = submit(manager, "/admin/users/new", user_form("Jonas", photo=(data, "groot.png")))
    assert response.status_code == 200
    assert "De foto is te groot (hoogstens 5 MB)." in response.text
    assert find_user(app, "Jonas") is None
    assert media_files(app) == []


def test_an_upload_over_the_request_limit_gets_a_dutch_page(
    app: Flask, manager: FlaskClient
) -> None:
    app.config["MAX_CONTENT_LENGTH"] = 64 * 1024  # read per request
    big = (io.BytesIO(os.urandom(100 * 1024)), "groot.jpg")
    response = submit(manager, "/admin/users/new", user_form("Jonas", photo=big))
    assert response.status_code == 413
    assert "Het bestand is te groot." in response.text
    assert find_user(app, "Jonas") is None


def test_editing_with_a_blank_password_keeps_the_password(
    app: Flask, manager: FlaskClient, team: Team
) -> None:
    before = existing_user(app, "Sam")
    form = user_form("Sam", "staff", password="", pin="")
    response = submit(manager, f"/admin/users/{team.staff}", form)
    assert response.status_code == 302
    assert "De gegevens van Sam zijn bewaard." in manager.get("/admin/users").text
    assert existing_user(app, "Sam").password_hash == before.password_hash
    assert login(app.test_client(), "Sam", PASSWORDS["Sam"]).status_code == 302


def test_editing_with_a_new_password_replaces_it(
    app: Flask, manager: FlaskClient, team: Team
) -> None:
    form = user_form("Sam", "staff", password="een-nieuw-wachtwoord")
    assert submit(manager, f"/admin/users/{team.staff}", form).status_code == 302
    assert login(app.test_client(), "Sam", PASSWORDS["Sam"]).status_code == 200
    assert login(app.test_client(), "Sam", "een-nieuw-wachtwoord").status_code == 302


def test_the_edit_form_shows_the_user_but_never_a_secret(manager: FlaskClient, team: Team) -> None:
    page = manager.get(f"/admin/users/{team.staff}")
    assert page.status_code == 200
    assert 'value="Sam"' in page.text
    assert '<option selected value="staff">Medewerker</option>' in page.text
    assert "Laat wachtwoord en pincode leeg om ze te behouden." in page.text
    assert PASSWORDS["Sam"] not in page.text
    assert "pbkdf2" not in page.text


def test_renaming_to_a_name_that_is_taken_is_refused(
    app: Flask, manager: FlaskClient, team: Team
) -> None:
    response = submit(manager, f"/admin/users/{team.staff}", user_form("MIA", "staff"))
    assert response.status_code == 200
    assert "Er is al iemand met de naam MIA." in response.text
    assert find_user(app, "Sam") is not None


def test_a_care_user_becoming_staff_needs_a_password(
    app: Flask, manager: FlaskClient, farm_shop: dict[str, Any]
) -> None:
    response = submit(
        manager, f"/admin/users/{farm_shop['operator_id']}", user_form("Jan", "staff")
    )
    assert response.status_code == 200
    assert "Medewerkers en verantwoordelijken hebben een wachtwoord nodig." in response.text
    assert existing_user(app, "Jan").role == "care"


@pytest.mark.parametrize(
    "change", [{"role": "staff"}, {"role": "care"}, {"active": None}], ids=["staff", "care", "off"]
)
def test_the_last_active_manager_stays(
    app: Flask, manager: FlaskClient, team: Team, change: dict[str, Any]
) -> None:
    form = {**user_form("Mia", "manager"), **change}
    response = submit(manager, f"/admin/users/{team.manager}", {k: v for k, v in form.items() if v})
    assert response.status_code == 200
    assert "Er moet minstens één actieve verantwoordelijke blijven." in response.text
    mia = find_user(app, "Mia")
    assert mia is not None
    assert (mia.role, mia.active) == ("manager", True)


def test_a_manager_may_step_down_when_another_manager_remains(
    app: Flask, manager: FlaskClient, team: Team
) -> None:
    submit(manager, f"/admin/users/{team.staff}", user_form("Sam", "manager"))
    response = submit(manager, f"/admin/users/{team.manager}", user_form("Mia", "staff"))
    assert response.status_code == 302
    assert existing_user(app, "Mia").role == "staff"


@pytest.mark.parametrize("user_id", ["999", "0", "2147483648", "99999999999999999999999"])
def test_a_user_that_does_not_exist_is_a_dutch_404(
    manager: FlaskClient, team: Team, user_id: str
) -> None:
    response = manager.get(f"/admin/users/{user_id}")
    assert response.status_code == 404
    assert "Deze pagina bestaat niet." in response.text


# --- tills ---------------------------------------------------------------------------------------


def pair_till(client: FlaskClient, name: str = "Kassa bistro") -> str:
    """Pair a till through the form; return the token the page shows."""
    response = submit(client, "/admin/tills/new", {"name": name, "point_of_sale": "HW"})
    assert response.status_code == 200
    match = TOKEN_FIELD.search(response.text)
    assert match, "no token on the page"
    return match.group(1)


def catalog_status(app: Flask, token: str) -> int:
    """Return the status a till with this token gets from the catalogue."""
    response = app.test_client().get(
        "/api/v1/catalog", headers={"Authorization": f"Bearer {token}"}
    )
    return response.status_code


def test_pairing_a_till_shows_its_working_token_once(
    app: Flask, manager: FlaskClient, farm_shop: dict[str, Any]
) -> None:
    token = pair_till(manager)
    assert token.startswith("pk_")
    assert catalog_status(app, token) == 200
    catalog = app.test_client().get("/api/v1/catalog", headers={"Authorization": f"Bearer {token}"})
    assert catalog.get_json()["till"] == {"code": "HW2", "name": "Kassa bistro", "role": "till"}
    listing = manager.get("/admin/tills")
    assert "<td>HW2</td>" in listing.text
    assert token not in listing.text
    assert token not in manager.get("/admin/tills/new").text
    with app.app_context():
        till = db.session.scalar(select(Till).where(Till.code == "HW2"))
        assert till is not None
        assert token not in till.token_hash


def test_pairing_with_an_unknown_point_of_sale_is_refused(
    app: Flask, manager: FlaskClient, farm_shop: dict[str, Any]
) -> None:
    response = submit(manager, "/admin/tills/new", {"name": "Kassa 2", "point_of_sale": "XX"})
    assert response.status_code == 200
    assert "Ongeldige keuze." in response.text
    assert TOKEN_FIELD.search(response.text) is None
    with app.app_context():
        assert db.session.scalar(select(func.count(Till.id))) == 1


def test_the_pairing_form_offers_the_points_of_sale(
    manager: FlaskClient, farm_shop: dict[str, Any], shop: Shop
) -> None:
    shop.point_of_sale("BI", name="Bistro")
    page = manager.get("/admin/tills/new")
    assert '<option value="BI">Bistro</option>' in page.text
    assert '<option value="HW">Hoevewinkel</option>' in page.text


def test_revoking_a_till_stops_its_token(
    app: Flask, manager: FlaskClient, farm_shop: dict[str, Any]
) -> None:
    assert catalog_status(app, farm_shop["token"]) == 200
    response = submit(
        manager, f"/admin/tills/{farm_shop['till_id']}/revoke", {}, page="/admin/tills"
    )
    assert response.status_code == 302
    assert response.headers["Location"] == "/admin/tills"
    listing = manager.get("/admin/tills")
    assert "Kassa HW1 is ontkoppeld." in listing.text
    assert "<td>ontkoppeld</td>" in listing.text
    assert catalog_status(app, farm_shop["token"]) == 401


def test_renewing_a_token_gives_a_working_one_and_stops_the_old(
    app: Flask, manager: FlaskClient, farm_shop: dict[str, Any]
) -> None:
    url = f"/admin/tills/{farm_shop['till_id']}/renew"
    response = submit(manager, url, {}, page="/admin/tills")
    assert response.status_code == 200
    assert "Token van kassa HW1" in response.text
    new_token = found(TOKEN_FIELD, response.text).group(1)
    assert new_token != farm_shop["token"]
    assert catalog_status(app, new_token) == 200
    assert catalog_status(app, farm_shop["token"]) == 401


def test_renewing_a_revoked_till_pairs_it_again(
    app: Flask, manager: FlaskClient, farm_shop: dict[str, Any]
) -> None:
    submit(manager, f"/admin/tills/{farm_shop['till_id']}/revoke", {}, page="/admin/tills")
    response = submit(
        manager, f"/admin/tills/{farm_shop['till_id']}/renew", {}, page="/admin/tills"
    )
    assert catalog_status(app, found(TOKEN_FIELD, response.text).group(1)) == 200
    assert "<td>gekoppeld</td>" in manager.get("/admin/tills").text


def test_buttons_say_which_till_they_act_on(
    manager: FlaskClient, farm_shop: dict[str, Any]
) -> None:
    listing = manager.get("/admin/tills")
    assert 'Ontkoppelen<span class="visually-hidden"> HW1</span>' in listing.text
    assert 'Nieuw token<span class="visually-hidden"> HW1</span>' in listing.text


@pytest.mark.parametrize("action", ["revoke", "renew"])
def test_acting_on_a_till_that_does_not_exist_is_a_404(
    manager: FlaskClient, farm_shop: dict[str, Any], action: str
) -> None:
    for till_id in ("999", "99999999999999999999"):
        response = submit(manager, f"/admin/tills/{till_id}/{action}", {}, page="/admin/tills")
        assert response.status_code == 404


def test_the_team_fixture_is_what_it_says(app: Flask, team: Team) -> None:
    # the other tests lean on these people: make sure each is who the name says
    roles = {
        name: (existing_user(app, name).role, existing_user(app, name).active) for name in PASSWORDS
    }
    assert roles == {
        "Mia": ("manager", True),
        "Sam": ("staff", True),
        "Lotte": ("care", True),
        "Ward": ("staff", False),
    }


def test_a_refusal_in_the_back_office_leads_back_to_its_start(staff: FlaskClient) -> None:
    page = staff.get("/admin/tills")
    assert page.status_code == 403
    assert '<a class="button" href="/admin/">Naar het begin</a>' in page.text


def test_after_logging_in_a_form_post_is_not_replayed(
    client: FlaskClient, farm_shop: dict[str, Any], team: Team
) -> None:
    page = client.get("/admin/login")
    refused = client.post(
        f"/admin/tills/{farm_shop['till_id']}/revoke", data={"csrf_token": csrf_token(page.text)}
    )
    assert refused.status_code == 302
    assert refused.headers["Location"] == "/admin/login"
    assert login(client, "Mia", PASSWORDS["Mia"]).headers["Location"] == "/admin/"
