"""Dutch first, English complete: the catalogue covers every text, and English is a choice."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import DEFAULT_KEYWORDS, extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po
from flask.testing import FlaskClient

from tests.conftest import Shop, csrf_token

ROOT = Path(__file__).resolve().parents[2]
ENGLISH = ROOT / "kiosk" / "translations" / "en" / "LC_MESSAGES" / "messages.po"
KEYWORDS = {**DEFAULT_KEYWORDS, "_l": None, "lazy_gettext": None}  # as `pybabel extract -k`
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]")


def extract_msgids() -> dict[str, list[str]]:
    """Extract every msgid the way `pybabel extract -F babel.cfg` does; map it to its places."""
    with (ROOT / "babel.cfg").open() as mapping_file:
        method_map, options_map = parse_mapping_cfg(mapping_file)
    msgids: dict[str, list[str]] = {}
    for filename, lineno, message, _comments, _context in extract_from_dir(
        str(ROOT), method_map, options_map, keywords=KEYWORDS
    ):
        for msgid in message if isinstance(message, tuple) else (message,):
            if msgid:
                msgids.setdefault(msgid, []).append(f"{filename}:{lineno}")
    return msgids


def english_catalogue() -> Catalog:
    """Read the English catalogue."""
    with ENGLISH.open("rb") as po_file:
        return read_po(po_file, locale="en")


def translation(catalogue: Catalog, msgid: str) -> str:
    """Return the single (not plural) translation of this msgid."""
    string = catalogue[msgid].string
    assert isinstance(string, str), f"{msgid!r} has no single translation"
    return string


@pytest.fixture(scope="module")
def msgids() -> dict[str, list[str]]:
    """Return the freshly extracted msgids."""
    return extract_msgids()


def test_extraction_finds_texts_of_python_templates_and_lazy_labels(
    msgids: dict[str, list[str]],
) -> None:
    # one known text per kind of source: a proof the mapping file reaches each of them
    assert any(
        place.startswith("admin/auth.py") for place in msgids["Naam of wachtwoord klopt niet."]
    )
    assert any(place.startswith("admin/") for place in msgids["Zorggebruiker"])  # _l(...)
    assert any(place.startswith("kiosk/errors.py") for place in msgids["Het bestand is te groot."])
    assert any(place.startswith("kiosk/templates/admin/") for place in msgids["Kassa koppelen"])
    assert any(place.startswith("kiosk/templates/till/") for place in msgids["Over PlusKassa"])
    assert not [place for places in msgids.values() for place in places if "tests/" in place]


def test_every_text_has_an_english_translation(msgids: dict[str, list[str]]) -> None:
    catalogue = english_catalogue()
    untranslated = {
        msgid: places
        for msgid, places in msgids.items()
        if msgid not in catalogue
        or not str(catalogue[msgid].string).strip()
        or catalogue[msgid].fuzzy
    }
    assert untranslated == {}, "translate these in " + str(ENGLISH.relative_to(ROOT))


def test_translations_keep_their_placeholders(msgids: dict[str, list[str]]) -> None:
    catalogue = english_catalogue()
    changed = {
        msgid: catalogue[msgid].string
        for msgid in msgids
        if msgid in catalogue
        and sorted(PLACEHOLDER.findall(msgid))
        != sorted(PLACEHOLDER.findall(translation(catalogue, msgid)))
    }
    assert changed == {}
    assert any(PLACEHOLDER.search(msgid) for msgid in msgids)  # the check above had work to do


def test_catalogue_holds_no_stale_or_fuzzy_entries(msgids: dict[str, list[str]]) -> None:
    catalogue = english_catalogue()
    assert not catalogue.fuzzy
    assert dict(catalogue.obsolete) == {}
    stale = sorted(message.id for message in catalogue if message.id and message.id not in msgids)
    assert stale == []
    assert [message.id for message in catalogue if message.fuzzy] == []


def test_no_compiled_catalogue_in_the_source_tree() -> None:
    assert list((ROOT / "kiosk" / "translations").rglob("*.mo")) == []


def test_dutch_is_the_default_whatever_the_browser_asks(client: FlaskClient) -> None:
    page = client.get("/admin/login", headers={"Accept-Language": "en-GB,en;q=0.9"})
    assert page.status_code == 200
    assert '<html lang="nl">' in page.text
    assert "<h1>Aanmelden</h1>" in page.text
    assert ">Naam</label>" in page.text
    assert "Log in" not in page.text


def test_choosing_english_switches_the_pages_and_dutch_switches_back(
    client: FlaskClient, shop: Shop
) -> None:
    headers = {"Accept-Language": "nl-BE"}  # the choice counts, not the browser
    chosen = client.get("/language/en?next=/admin/login", headers=headers)
    assert chosen.status_code == 302
    assert chosen.headers["Location"] == "/admin/login"

    page = client.get("/admin/login", headers=headers)
    assert '<html lang="en">' in page.text
    assert "<h1>Log in</h1>" in page.text
    assert ">Name</label>" in page.text
    assert ">Password</label>" in page.text
    assert "Aanmelden" not in page.text

    # messages from the code and from WTForms follow the choice too
    refused = client.post(
        "/admin/login",
        data={"name": "Niemand", "password": "fout", "csrf_token": csrf_token(page.text)},
    )
    assert "Wrong name or password." in refused.text
    empty = client.post("/admin/login", data={"csrf_token": csrf_token(page.text)})
    assert "This field is required." in empty.text

    client.get("/language/nl?next=/admin/login")
    page = client.get("/admin/login", headers={"Accept-Language": "en"})
    assert '<html lang="nl">' in page.text
    assert "<h1>Aanmelden</h1>" in page.text
    empty = client.post("/admin/login", data={"csrf_token": csrf_token(page.text)})
    assert "Dit veld is vereist." in empty.text


def test_an_unknown_language_changes_nothing(client: FlaskClient) -> None:
    client.get("/language/en")
    response = client.get("/language/fr?next=/admin/login")
    assert response.status_code == 302
    assert '<html lang="en">' in client.get("/admin/login").text


def test_error_pages_speak_the_chosen_language(client: FlaskClient) -> None:
    assert "Deze pagina bestaat niet." in client.get("/nergens").text
    client.get("/language/en")
    missing = client.get("/nergens")
    assert missing.status_code == 404
    assert "This page does not exist." in missing.text


def test_the_back_office_in_english(manager: FlaskClient, farm_shop: dict[str, Any]) -> None:
    manager.get("/language/en")
    tills = manager.get("/admin/tills")
    assert '<html lang="en">' in tills.text
    for text in ("<h1>Tills</h1>", ">Pair a till</a>", "<th>Status</th>", "<td>paired</td>"):
        assert text in tills.text
    assert 'Unpair<span class="visually-hidden"> HW1</span>' in tills.text
    assert ">Log out</button>" in tills.text
    assert (
        '<a href="/language/en?next=/admin/tills" lang="en" hreflang="en" aria-current="true">'
        in tills.text
    )
    users = manager.get("/admin/users/new")
    assert '<option value="care">Care user</option>' in users.text
    assert ">PIN (4 to 6 digits, empty = none)</label>" in users.text
