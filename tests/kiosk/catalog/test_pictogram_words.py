"""The Dutch pictogram list finds everyday shop, craft and farm goods (#16 point 5)."""

from __future__ import annotations

import pytest

from kiosk.catalog.pictograms import search_pictograms

#: a word staff type → a picture it must find among the first results
EVERYDAY_GOODS = {
    "kaart": "1F48C",
    "wenskaart": "1F48C",
    "postkaart": "1F3E1",
    "verjaardagskaart": "1F48C",
    "kerstkaart": "1F384",
    "kaars": "1F56F",
    "theelichtje": "1FA94",
    "kandelaar": "1F56F",
    "vogelhuisje": "1FAB9",
    "nestkastje": "1FAB9",
    "zeep": "1F9FC",
    "handzeep": "1F9FC",
    "shampoo": "1F9F4",
    "sjaal": "1F9E3",
    "omslagdoek": "1F9E3",
    "mand": "1F9FA",
    "fruitmand": "1F9FA",
    "korf": "1F9FA",
    "tas": "1F6CD",
    "draagtas": "1F6CD",
    "rugzak": "1F392",
    "portemonnee": "1F45B",
    "wol": "1F9F6",
    "breiwerk": "1F9F6",
    "borduurwerk": "1F9F5",
    "naaiwerk": "1FAA1",
    "handschoenen": "1F9E4",
    "wanten": "1F9E4",
    "sokken": "1F9E6",
    "muts": "1F452",
    "ketting": "1F4FF",
    "armband": "1F4FF",
    "juweel": "1F48D",
    "sleutelhanger": "1F511",
    "knuffel": "1F9F8",
    "speelgoed": "1F9F8",
    "puzzel": "1F9E9",
    "vlieger": "1FA81",
    "gezelschapsspel": "1F3B2",
    "boek": "1F4D6",
    "schrift": "1F4D3",
    "notitieboekje": "1F4D3",
    "potlood": "270F",
    "kleurpotloden": "1F58D",
    "schilderij": "1F5BC",
    "fotokader": "1F5BC",
    "kalender": "1F4C5",
    "cadeau": "1F381",
    "geschenk": "1F381",
    "cadeaubon": "1F381",
    "lint": "1F380",
    "boeket": "1F490",
    "tulp": "1F337",
    "bloembollen": "1F337",
    "kamerplant": "1FAB4",
    "bloempot": "1FAB4",
    "zaden": "1F331",
    "kruiden": "1F33F",
    "vaas": "1F3FA",
    "theepot": "1FAD6",
    "mok": "2615",
    "kom": "1F963",
    "houten lepel": "1F944",
    "brandhout": "1FAB5",
    "magneet": "1F9F2",
    "spiegel": "1FA9E",
    "doos": "1F4E6",
    "lamp": "1F4A1",
    "hooi": "1F33E",
    "eieren": "1F95A",
}


def test_the_list_covers_at_least_sixty_everyday_words() -> None:
    assert len(EVERYDAY_GOODS) >= 60


@pytest.mark.parametrize(("word", "code"), sorted(EVERYDAY_GOODS.items()))
def test_an_everyday_word_finds_its_picture(word: str, code: str) -> None:
    found = [pictogram.code for pictogram in search_pictograms(word, limit=12)]
    assert code in found, f"{word!r} finds {found}"


def test_kaart_finds_the_cards_of_a_gift_shop() -> None:
    found = [pictogram.code for pictogram in search_pictograms("kaart")]
    # a greeting card, an envelope, a picture postcard, playing cards, a Christmas card …
    assert {"1F48C", "2709", "1F5BC", "1F3B4", "1F384", "1F3E1"} <= set(found)


def test_vogelhuisje_finds_a_nest_a_bird_and_a_little_house() -> None:
    found = {pictogram.code for pictogram in search_pictograms("vogelhuisje")}
    assert {"1FAB9", "1FABA", "1F426", "1F3E0"} <= found


def test_a_dutch_word_finds_the_compounds_it_ends_with() -> None:
    # Dutch compounds end in what they are: a 'postkaart' is a 'kaart'
    found = [pictogram.code for pictogram in search_pictograms("kaart")]
    assert "1F4B3" in found  # bankkaart
    assert found[0] == "1F48C"  # but the exact word comes first
