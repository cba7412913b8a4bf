"""Product pages: list, add, change, switch off; Dutch messages; someone else's change; photos."""

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

from kiosk.extensions import db
from kiosk.identifiers import is_valid_ean13
from kiosk.models import Category, Producer, Product
from tests.admin.catalog_forms import (
    existing_product,
    image_file,
    point_of_sale_ids,
    product_fields,
    stored_product,
    submit,
)
from tests.admin.conftest import Team, logged_in
from tests.conftest import Shop, csrf_token, found

NEW = "/admin/products/new"


def count_products(app: Flask) -> int:
    """Return how many products there are."""
    with app.app_context():
        return db.session.scalar(select(func.count(Product.id))) or 0


def edit_url(product_id: int) -> str:
    """Return a product's edit page."""
    return f"/admin/products/{product_id}"


# --- the list ------------------------------------------------------------------------------------


def test_the_list_shows_price_unit_vat_class_barcode_producer_and_active(
    app: Flask, staff: FlaskClient, farm_shop: dict[str, Any]
) -> None:
    with app.app_context():
        cheese = db.session.get_one(Product, farm_shop["cheese"])
        cheese.producer = Producer(name="Hoevezuivel Vleminckx")
        cheese.barcode = "2000001000005"
        db.session.commit()
    page = staff.get("/admin/products")
    assert page.status_code == 200
    row = found(r"<tr>(?:(?!</tr>).)*Hoevekaas(?:(?!</tr>).)*</tr>", page.text, re.S).group(0)
    assert "24,90 € per kg" in row
    assert "Voeding" in row
    assert "<code>2000001000005</code>" in row
    assert "Hoevezuivel Vleminckx" in row
    assert "Kaas" in row
    assert "Boerenbrood" in page.text and "3,80 € per stuk" in page.text


def test_the_list_searches_by_name_and_filters_by_category_and_active(
    app: Flask, staff: FlaskClient, farm_shop: dict[str, Any], shop: Shop
) -> None:
    shop.product("Oud brood", price_cents=100, active=False, category="Brood")
    found = staff.get("/admin/products?q=KAAS").text
    assert "Hoevekaas" in found and "Boerenbrood" not in found
    with app.app_context():
        bread_category = db.session.scalar(select(Category.id).where(Category.name == "Brood"))
    by_category = staff.get(f"/admin/products?category={bread_category}").text
    assert "Boerenbrood" in by_category and "Hoevekaas" not in by_category
    assert "Oud brood" not in by_category  # active products by default
    switched_off = staff.get(f"/admin/products?category={bread_category}&active=no").text
    assert "Oud brood" in switched_off and "Boerenbrood" not in switched_off
    everything = staff.get("/admin/products?active=all&q=brood").text
    assert "Oud brood" in everything and "Boerenbrood" in everything
    assert "Geen producten gevonden." in staff.get("/admin/products?q=%25_zzz").text
    assert staff.get("/admin/products?category=99999999999999").status_code == 200


# --- adding --------------------------------------------------------------------------------------


def test_add_a_product_with_every_field(
    app: Flask, staff: FlaskClient, farm_shop: dict[str, Any]
) -> None:
    with app.app_context():
        producer = Producer(name="Bakkerij Wouters")
        db.session.add(producer)
        db.session.commit()
        producer_id = producer.id
        category_id = db.session.scalar(select(Category.id).where(Category.name == "Brood"))
    fields = product_fields(
        app,
        price="4,6",
        barcode="5412718101118",
        category=str(category_id),
        producer=str(producer_id),
        purchase_price="3,20",
        minimum_stock="4",
        description="Met zuurdesem.",
        pictogram="1F33E",
    )
    response = submit(staff, NEW, fields)
    assert response.status_code == 302
    assert response.headers["Location"] == "/admin/products"
    assert "Spelt-desem is toegevoegd." in staff.get("/admin/products").text
    product = stored_product(app, "Spelt-desem")
    assert product is not None
    assert product.category is not None and product.producer is not None
    assert (product.price_cents, product.purchase_price_cents) == (460, 320)
    assert (product.unit, product.vat_class, product.barcode) == ("piece", "food", "5412718101118")
    assert (product.category.name, product.producer.name) == ("Brood", "Bakkerij Wouters")
    assert [pos.code for pos in product.points_of_sale] == ["HW"]
    assert (product.minimum_stock_milli, product.stock_tracked) == (4000, True)
    assert (product.pictogram, product.description, product.active) == (
        "1F33E",
        "Met zuurdesem.",
        True,
    )


def test_a_kg_product_keeps_its_minimum_in_grams(
    app: Flask, staff: FlaskClient, farm_shop: dict[str, Any]
) -> None:
    fields = product_fields(app, "Jonge kaas", unit="kg", price="21,90", minimum_stock="2,5")
    assert submit(staff, NEW, fields).status_code == 302
    product = stored_product(app, "Jonge kaas")
    assert product is not None
    assert (product.unit, product.price_cents, product.minimum_stock_milli) == ("kg", 2190, 2500)


@pytest.mark.parametrize(
    ("typed", "cents"),
    [("3,80", 380), ("3.80", 380), ("3", 300), ("€ 3,8", 380), ("0", 0), ("1.250,50", 125050)],
)
def test_prices_are_read_as_belgians_type_them(
    app: Flask, staff: FlaskClient, farm_shop: dict[str, Any], typed: str, cents: int
) -> None:
    # a price of 0 saves only with "Toch opslaan" (tests/admin/test_product_warnings.py)
    confirm = {"confirm_price": "y"} if cents == 0 else {}
    assert submit(staff, NEW, product_fields(app, price=typed, **confirm)).status_code == 302
    assert existing_product(app, "Spelt-desem").price_cents == cents


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"price": "-1,00"}, "Een bedrag kan niet negatief zijn."),
        ({"price": "3,805"}, "Een bedrag heeft hoogstens twee cijfers na de komma."),
        ({"price": "3.800"}, "Een bedrag heeft hoogstens twee cijfers na de komma."),
        ({"price": "drie euro"}, "Schrijf een bedrag zoals 3,80."),
        ({"price": "NaN"}, "Schrijf een bedrag zoals 3,80."),
        ({"price": "1e3"}, "Schrijf een bedrag zoals 3,80."),
        ({"price": "100000"}, "Dat bedrag is te groot."),
        ({"price": ""}, "Dit veld is vereist."),
        ({"purchase_price": "2,5,0"}, "Schrijf een bedrag zoals 3,80."),
        (
            {"barcode": "5412718100372"},
            "Het controlecijfer van 5412718100372 klopt niet: het laatste cijfer moet 1 zijn, "
            "niet 2.",
        ),
        ({"barcode": "12345678"}, "12345678 heeft 8 cijfers, een EAN-13 heeft er 13."),
        (
            {"barcode": "54127181003a1"},
            "54127181003a1 bevat andere tekens dan cijfers: een EAN-13 heeft alleen cijfers.",
        ),
        ({"minimum_stock": "2,5"}, "Geef een geheel aantal stuks."),
        ({"minimum_stock": "-3"}, "Een hoeveelheid kan niet negatief zijn."),
        ({"minimum_stock": "veel"}, "Typ een getal, bv. 3 of 1,250."),
        ({"points_of_sale": []}, "Kies minstens één verkooppunt."),
        ({"pictogram": "FFFFF"}, "Kies een pictogram uit de lijst."),
        ({"pictogram": "../../etc/passwd"}, "Kies een pictogram uit de lijst."),
        ({"name": "Brood\x1b"}, "Dit veld bevat een onzichtbaar stuurteken. Typ het opnieuw."),
        ({"name": "x" * 81}, "Veld mag niet langer zijn dan 80 karakters."),
    ],
)
def test_a_wrong_product_is_refused_in_dutch_and_keeps_what_was_typed(
    app: Flask, staff: FlaskClient, farm_shop: dict[str, Any], fields: dict[str, Any], message: str
) -> None:
    before = count_products(app)
    typed = product_fields(app, description="Vers van de bakker", **fields)
    response = submit(staff, NEW, typed)
    assert response.status_code == 200
    assert message in response.text
    assert count_products(app) == before
    if "name" not in fields:
        assert 'value="Spelt-desem"' in response.text
    assert "Vers van de bakker</textarea>" in response.text
    for name in ("price", "barcode", "minimum_stock"):
        if fields.get(name):
            assert f'value="{fields[name]}"' in response.text


def test_a_barcode_another_product_has_is_refused(
    app: Flask, staff: FlaskClient, farm_shop: dict[str, Any], shop: Shop
) -> None:
    shop.product("Volkorenbrood", price_cents=420, barcode="5412718100746")
    response = submit(staff, NEW, product_fields(app, barcode="5412718100746"))
    assert response.status_code == 200
    assert "Streepjescode 5412718100746 hoort al bij Volkorenbrood." in response.text
    assert stored_product(app, "Spelt-desem") is None


def test_a_name_another_product_has_is_refused_whatever_its_case(
    app: Flask, staff: FlaskClient, farm_shop: dict[str, Any]
) -> None:
    response = submit(staff, NEW, product_fields(app, "boerenbrood"))
    assert response.status_code == 200
    assert "Er is al een product boerenbrood." in response.text
    assert count_products(app) == 4


# --- the shop's own barcodes ---------------------------------------------------------------------


def test_make_an_own_barcode(
    app: Flask, staff: FlaskClient, farm_shop: dict[str, Any], shop: Shop
) -> None:
    shop.product("Gehakt", price_cents=1290, unit="kg", barcode="2000041000005")
    assert is_valid_ean13("2000041000005")
    response = submit(staff, NEW, product_fields(app, unit="kg", make_barcode="y"))
    assert response.status_code == 302
    code = existing_product(app, "Spelt-desem").barcode
    assert code == "2000042000004"
    assert is_valid_ean13(code)
    assert f"Eigen streepjescode van Spelt-desem: {code}" in staff.get("/admin/products").text
    second = submit(staff, NEW, product_fields(app, "Tweede", make_barcode="y"))
    assert second.status_code == 302
    second_code = existing_product(app, "Tweede").barcode
    assert second_code is not None and second_code[:7] == "2000043"


def test_an_own_barcode_is_not_made_over_a_typed_one(
    app: Flask, staff: FlaskClient, farm_shop: dict[str, Any]
) -> None:
    fields = product_fields(app, barcode="5412718101118", make_barcode="y")
    response = submit(staff, NEW, fields)
    assert response.status_code == 200
    assert "Maak het veld streepjescode leeg om een eigen streepjescode te laten maken." in (
        response.text
    )
    assert stored_product(app, "Spelt-desem") is None


def test_a_typed_scale_code_must_not_read_as_another_products_label(
    app: Flask, staff: FlaskClient, farm_shop: dict[str, Any], shop: Shop
) -> None:
    # the till matches a scale label on its first seven digits: 2000041 already means Gehakt
    shop.product("Gehakt", price_cents=1290, unit="kg", barcode="2000041000005")
    response = submit(staff, NEW, product_fields(app, unit="kg", barcode="2000041012343"))
    assert response.status_code == 200
    assert "Streepjescode 2000041012343 hoort al bij Gehakt." in response.text


# --- changing ------------------------------------------------------------------------------------


def test_the_edit_form_shows_what_is_stored(
    app: Flask, staff: FlaskClient, farm_shop: dict[str, Any]
) -> None:
    page = staff.get(edit_url(farm_shop["cheese"]))
    assert page.status_code == 200
    assert 'value="Hoevekaas"' in page.text
    assert 'value="24,90"' in page.text
    assert '<option selected value="kg">' in page.text
    assert 'name="version" type="hidden" value="1"' in page.text
    assert 'name="pictogram" value="1F35E" checked' in page.text


def test_change_a_product(app: Flask, staff: FlaskClient, farm_shop: dict[str, Any]) -> None:
    fields = product_fields(app, "Boerenbrood groot", price="4,20", version="1")
    response = submit(staff, edit_url(farm_shop["bread"]), fields)
    assert response.status_code == 302
    product = stored_product(app, "Boerenbrood groot")
    assert product is not None
    assert (product.id, product.price_cents, product.version) == (farm_shop["bread"], 420, 2)


def test_a_change_of_points_of_sale_alone_counts_as_a_change(
    app: Flask, staff: FlaskClient, farm_shop: dict[str, Any], shop: Shop
) -> None:
    shop.point_of_sale("BI", name="Bistro", consumption="eat_in")
    with app.app_context():
        bread = db.session.get_one(Product, farm_shop["bread"])
        fields = product_fields(app, "Boerenbrood", price="3,80", version="1")
        fields.update(category=str(bread.category_id), pictogram="1F35E")
    fields["points_of_sale"] = point_of_sale_ids(app, "HW", "BI")
    assert submit(staff, edit_url(farm_shop["bread"]), fields).status_code == 302
    product = stored_product(app, "Boerenbrood")
    assert product is not None
    assert sorted(pos.code for pos in product.points_of_sale) == ["BI", "HW"]
    assert product.version == 2


def test_someone_elses_change_is_not_overwritten(
    app: Flask, team: Team, farm_shop: dict[str, Any]
) -> None:
    sam, mia = logged_in(app, "Sam"), logged_in(app, "Mia")
    url = edit_url(farm_shop["bread"])
    sams_form, mias_form = sam.get(url), mia.get(url)  # both see version 1
    sams = product_fields(app, "Boerenbrood", price="3,90", version="1")
    sams["csrf_token"] = csrf_token(sams_form.text)
    assert sam.post(url, data=sams).status_code == 302
    mias = product_fields(app, "Boerenbrood XL", price="4,50", version="1", description="Groot")
    mias["csrf_token"] = csrf_token(mias_form.text)
    refused = mia.post(url, data=mias)
    assert refused.status_code == 200
    assert "Iemand anders heeft dit product intussen gewijzigd." in refused.text
    stored_now = refused.text.split('id="stored-now-title"')[1].split("</section>")[0]
    assert "3,90 €" in stored_now  # what Sam saved
    assert 'value="Boerenbrood XL"' in refused.text and 'value="4,50"' in refused.text
    assert 'name="version" type="hidden" value="2"' in refused.text
    product = stored_product(app, "Boerenbrood")
    assert product is not None
    assert (product.price_cents, product.version, product.description) == (390, 2, None)
    # saving again, having seen Sam's change, is on purpose: it goes through
    mias.update(version="2", csrf_token=csrf_token(refused.text))
    assert mia.post(url, data=mias).status_code == 302
    product = stored_product(app, "Boerenbrood XL")
    assert product is not None
    assert (product.price_cents, product.version, product.description) == (450, 3, "Groot")


def test_an_unknown_product_is_404(staff: FlaskClient, farm_shop: dict[str, Any]) -> None:
    assert staff.get("/admin/products/999999").status_code == 404
    assert staff.get("/admin/products/99999999999").status_code == 404


# --- switching off and on ------------------------------------------------------------------------


def test_deactivate_and_reactivate_keep_the_product(
    app: Flask, staff: FlaskClient, farm_shop: dict[str, Any]
) -> None:
    url = edit_url(farm_shop["eggs"])
    page = staff.get(url)
    token = csrf_token(page.text)
    off = staff.post(f"{url}/deactivate", data={"csrf_token": token, "back": "edit"})
    assert off.status_code == 302 and off.headers["Location"] == url
    assert existing_product(app, "Eieren (6)").active is False
    till = app.test_client().get("/api/v1/catalog", headers=farm_shop["headers"]).get_json()
    assert "Eieren (6)" not in str(till)
    assert "Dit product is uitgezet" in staff.get(url).text
    on = staff.post(f"{url}/reactivate", data={"csrf_token": token})
    assert on.status_code == 302 and on.headers["Location"] == "/admin/products"
    assert existing_product(app, "Eieren (6)").active is True
    assert "Eieren (6) staat weer op de kassa" in staff.get("/admin/products").text


def test_deactivate_without_csrf_token_changes_nothing(
    app: Flask, staff: FlaskClient, farm_shop: dict[str, Any]
) -> None:
    response = staff.post(f"{edit_url(farm_shop['eggs'])}/deactivate")
    assert response.status_code == 400  # CSRF protection refuses it before the view
    assert existing_product(app, "Eieren (6)").active is True


# --- the photo and the pictogram -----------------------------------------------------------------


def test_a_photo_is_scaled_and_stored(
    app: Flask, staff: FlaskClient, farm_shop: dict[str, Any]
) -> None:
    photo = (image_file("JPEG", size=(1200, 900)), "brood.jpg")
    assert submit(staff, NEW, product_fields(app, photo=photo)).status_code == 302
    product = stored_product(app, "Spelt-desem")
    assert product is not None and product.photo is not None
    assert re.fullmatch(r"[0-9a-f]{24}\.jpg", product.photo)
    assert (Path(app.instance_path) / "media" / product.photo).is_file()
    assert f'src="/media/{product.photo}"' in staff.get("/admin/products").text
    # an edit without a new photo keeps it; ticking "remove" drops it
    url = edit_url(product.id)
    kept = product_fields(app, version=str(product.version))
    assert submit(staff, url, kept).status_code == 302
    kept_product = stored_product(app, "Spelt-desem")
    assert kept_product is not None
    assert (kept_product.photo, kept_product.version) == (product.photo, 1)  # nothing changed
    removed = product_fields(app, version="1", remove_photo="y")
    assert submit(staff, url, removed).status_code == 302
    assert existing_product(app, "Spelt-desem").photo is None


def test_a_file_that_is_no_photo_is_refused(
    app: Flask, staff: FlaskClient, farm_shop: dict[str, Any]
) -> None:
    photo = (io.BytesIO(b"%PDF-1.7 geen foto"), "brood.jpg")
    response = submit(staff, NEW, product_fields(app, photo=photo))
    assert response.status_code == 200
    assert "Dit bestand is geen foto." in response.text
    assert 'value="Spelt-desem"' in response.text
    assert stored_product(app, "Spelt-desem") is None


def test_a_photo_over_the_configured_size_is_refused(
    app: Flask, staff: FlaskClient, farm_shop: dict[str, Any]
) -> None:
    app.config["PHOTO_MAX_BYTES"] = 1_000_000
    noise = Image.frombytes("RGB", (640, 640), os.urandom(640 * 640 * 3))
    data = io.BytesIO()
    noise.save(data, format="PNG", compress_level=0)
    assert 1_000_000 < len(data.getvalue()) < app.config["MAX_CONTENT_LENGTH"]
    data.seek(0)
    response = submit(staff, NEW, product_fields(app, photo=(data, "groot.png")))
    assert response.status_code == 200
    assert "De foto is te groot (hoogstens 1 MB)." in response.text
    assert stored_product(app, "Spelt-desem") is None
    assert not (Path(app.instance_path) / "media").exists()


def test_a_gif_is_refused(app: Flask, staff: FlaskClient, farm_shop: dict[str, Any]) -> None:
    photo = (image_file("GIF"), "brood.gif")
    response = submit(staff, NEW, product_fields(app, photo=photo))
    assert response.status_code == 200
    assert "Kies een foto in JPEG, PNG of WebP." in response.text


@pytest.mark.parametrize(
    ("query", "code"),
    [("brood", "1F35E"), ("bread", "1F35E"), ("kaas", "1F9C0"), ("cheese", "1F9C0")],
)
def test_the_pictogram_search_keeps_the_form_and_the_choice(
    app: Flask, staff: FlaskClient, farm_shop: dict[str, Any], query: str, code: str
) -> None:
    fields = product_fields(app, pictogram="1F36F", pictogram_query=query, action="search")
    response = submit(staff, NEW, fields)
    assert response.status_code == 200
    assert stored_product(app, "Spelt-desem") is None  # searching saves nothing
    assert re.search(r'name="pictogram" value="1F36F" checked', response.text)
    assert f'name="pictogram" value="{code}">' in response.text
    assert f'src="/pictograms/{code}.svg"' in response.text
    assert 'value="Spelt-desem"' in response.text and 'value="4,60"' in response.text
    assert "Dit veld is vereist" not in response.text


def test_a_pictogram_search_that_finds_nothing_says_so(
    app: Flask, staff: FlaskClient, farm_shop: dict[str, Any]
) -> None:
    fields = product_fields(app, pictogram_query="qwxyz", action="search")
    response = submit(staff, NEW, fields)
    assert "Geen pictogram gevonden voor „qwxyz”." in response.text


def test_the_pictogram_search_works_in_english_too(
    app: Flask, staff: FlaskClient, farm_shop: dict[str, Any]
) -> None:
    staff.get("/language/en")
    fields = product_fields(app, pictogram="", pictogram_query="beer", action="search")
    response = submit(staff, NEW, fields)
    assert 'name="pictogram" value="1F37A">' in response.text
    assert "beer mug" in response.text
