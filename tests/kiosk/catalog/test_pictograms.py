"""The pictogram search: Dutch and English words, OpenMoji codes, and a Dutch list that holds up."""

from __future__ import annotations

import pytest

from kiosk.catalog.pictograms import (
    pictogram_exists,
    pictogram_index,
    pictogram_label,
    plain_words,
    read_dutch_keywords,
    search_pictograms,
)


def codes(query: str, limit: int = 48) -> list[str]:
    """Return the codes a search finds, best first."""
    return [pictogram.code for pictogram in search_pictograms(query, limit=limit)]


@pytest.mark.parametrize(
    ("dutch", "english", "code"),
    [
        ("brood", "bread", "1F35E"),
        ("kaas", "cheese", "1F9C0"),
        ("ei", "egg", "1F95A"),
        ("honing", "honey", "1F36F"),
        ("bier", "beer", "1F37A"),
        ("kaars", "candle", "1F56F"),
        ("appel", "apple", "1F34E"),
        ("koffie", "hot beverage", "2615"),
        ("soep", "bowl with spoon", "1F963"),
        ("zeep", "soap", "1F9FC"),
        ("wol", "yarn", "1F9F6"),
    ],
)
def test_a_dutch_and_an_english_word_find_the_same_pictogram_first(
    dutch: str, english: str, code: str
) -> None:
    assert codes(dutch)[0] == code
    assert code in codes(english)[:3]


def test_accents_and_case_do_not_matter() -> None:
    assert codes("Crème")[:2] == codes("creme")[:2]
    assert "1F36F" in codes("CRÈMEHONING")


def test_a_word_start_finds_longer_words_but_exact_words_come_first() -> None:
    found = codes("appel")
    assert found[:2] == ["1F34E", "1F34F"]
    assert "1FAD9-200D-1F7EB" in found  # appelstroop


def test_short_words_only_match_whole_words() -> None:
    # "ei" is an egg, never EIGHT o'clock
    assert codes("ei") == ["1F95A"]


def test_every_word_of_the_query_must_match() -> None:
    assert codes("rode wijn") == ["1F377"]
    assert codes("red apple")[0] == "1F34E"
    assert codes("rode fiets") == []


def test_an_openmoji_code_finds_itself() -> None:
    assert codes("1f35e") == ["1F35E"]
    assert codes("1FAD9-200D-1F7E5") == ["1FAD9-200D-1F7E5"]


@pytest.mark.parametrize("query", ["", "   ", "!!!", "qwxyz", "../etc/passwd"])
def test_nonsense_finds_nothing(query: str) -> None:
    assert codes(query) == []


def test_results_are_limited() -> None:
    assert len(search_pictograms("face", limit=10)) == 10


def test_every_dutch_keyword_names_a_pictogram_openmoji_draws() -> None:
    keywords = read_dutch_keywords()
    assert len(keywords) >= 200
    assert len({word for words in keywords.values() for word in words}) >= 400
    assert [code for code in keywords if not pictogram_exists(code)] == []
    assert all(keywords.values())


def test_the_index_holds_the_dutch_list_and_the_named_emoji() -> None:
    index = pictogram_index()
    assert set(read_dutch_keywords()) <= set(index)
    assert "1F3F3-FE0F-200D-1F308" not in index  # sequences without Dutch words are not searched
    assert len(index) > 1000


def test_labels_come_in_the_language_asked_for() -> None:
    assert pictogram_label("1F35E") == "brood"
    assert pictogram_label("1F35E", "en") == "bread"
    assert pictogram_label("E0CA", "en") == "brood"  # OpenMoji's own: only a Dutch word
    assert pictogram_label("FFFFF") == "FFFFF"


@pytest.mark.parametrize(
    ("code", "exists"),
    [("1F35E", True), ("1f35e", False), ("1F35E.svg", False), ("../1F35E", False), ("", False)],
)
def test_pictogram_exists_checks_the_form_and_the_file(code: str, exists: bool) -> None:
    assert pictogram_exists(code) is exists


def test_plain_words() -> None:
    assert plain_words("Crème-honing, 250 g") == ["creme", "honing", "250", "g"]
