"""Text for a fixed-width receipt: Belgian amounts, paper-safe characters, columns and wrapping.

Everything here is pure and shared by the ESC/POS renderer and the HTML preview, so both show the
same lines. Money arrives as integer cents and becomes text only here, at the very last step.
"""

from __future__ import annotations

import textwrap
import unicodedata
from collections.abc import Iterable
from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from printers.paper import CODE_PAGE

BRUSSELS = ZoneInfo("Europe/Brussels")
EURO = "€"

# Typographic characters phones and word processors put in product names, folded to ones CP858 has.
_FOLDS = {
    "‘": "'", "’": "'", "‚": ",", "‛": "'", "“": '"', "”": '"', "„": '"', "‟": '"',
    "‐": "-", "‑": "-", "‒": "-", "–": "-", "—": "-", "―": "-", "−": "-",
    "…": "...", "•": "*", "\u00a0": " ", "\u2009": " ", "\u202f": " ", "\t": " ",
    "œ": "oe", "Œ": "OE", "Ł": "L", "ł": "l", "Đ": "D", "đ": "d",
}  # fmt: skip
_DROPPED_CATEGORIES = {"Cc", "Cf", "Cs", "Co", "Cn", "Mn", "Me"}


def format_amount(cents: int, *, euro: bool = False) -> str:
    """Format cents the Belgian way, "1.234,56", optionally as "€ 1.234,56"."""
    sign = "-" if cents < 0 else ""
    euros, rest = divmod(abs(cents), 100)
    text = f"{sign}{euros:,}".replace(",", ".") + f",{rest:02d}"
    return f"{EURO} {text}" if euro else text


def format_quantity(quantity: str) -> str:
    """Format a decimal quantity with a decimal comma, dropping a zero fraction ("2.000" → "2")."""
    number = Decimal(quantity)
    if number == 0:
        return "0"
    if number == number.to_integral_value():
        return f"{number.to_integral_value():f}"
    return f"{number:f}".replace(".", ",")


def format_rate(rate: str) -> str:
    """Format a VAT rate as a percentage with a decimal comma ("6" → "6%", "5.50" → "5,5%")."""
    text = f"{Decimal(rate):f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text.replace(".", ",") + "%"


def format_time(moment: datetime) -> str:
    """Format an aware datetime as Brussels local time, "03-03-2026 14:05"."""
    return moment.astimezone(BRUSSELS).strftime("%d-%m-%Y %H:%M")


def rate_key(rate: str) -> Decimal:
    """Return the rate as a number, so "6", "6.0" and "6.00" are the same rate."""
    return Decimal(rate).normalize()


def vat_codes(rates: Iterable[str], given: Iterable[tuple[str, str]] = ()) -> dict[Decimal, str]:
    """Map each distinct rate to its letter: given letters first, then A, B, C… by rising rate.

    Belgian certified tills (GKS) use fixed letters (A=21, B=12, C=6, D=0); pass those as
    ``given`` to follow that convention instead of deriving letters per receipt.
    """
    codes: dict[Decimal, str] = {}
    for rate, code in given:
        key = rate_key(rate)
        if codes.get(key, code.upper()) != code.upper():
            raise ValueError(f"VAT rate {rate} has two codes: {codes[key]} and {code}")
        codes[key] = code.upper()
    free = (letter for letter in "ABCDEFGHIJKLMNOPQRSTUVWXYZ" if letter not in codes.values())
    for key in sorted({rate_key(rate) for rate in rates} - codes.keys()):
        codes[key] = next(free)
    return codes


def paper_text(text: str) -> str:
    """Return text with only characters code page CP858 prints; others become "?" or are dropped.

    Accents survive (é è ë ï ç à ô, composed or not); curly quotes and dashes fold to plain ones;
    control, zero-width and combining characters are dropped; emoji and other scripts become "?".
    One character of the result is one column on paper.
    """
    result: list[str] = []
    for char in unicodedata.normalize("NFC", text.replace("\r\n", "\n")):
        if char == "\n":
            result.append(" ")
        elif char in _FOLDS:
            result.append(_FOLDS[char])
        elif _encodable(char):
            result.append(char)
        elif unicodedata.category(char) in _DROPPED_CATEGORIES or _is_emoji_modifier(char):
            continue
        else:
            result.append(_decomposed(char))
    return "".join(result)


def _encodable(char: str) -> bool:
    if unicodedata.category(char) in _DROPPED_CATEGORIES:
        return False
    try:
        char.encode(CODE_PAGE.lower())
    except UnicodeEncodeError:
        return False
    return True


def _is_emoji_modifier(char: str) -> bool:
    return "\U0001f3fb" <= char <= "\U0001f3ff"


def _decomposed(char: str) -> str:
    # "ő" or "ł" are not in CP858: print the base letter when Unicode knows one, else "?".
    base = "".join(
        part for part in unicodedata.normalize("NFKD", char) if unicodedata.category(part) != "Mn"
    )
    return base if base and all(_encodable(part) for part in base) else "?"


def paper_lines(text: str) -> list[str]:
    """Split text into paper-safe lines, keeping the author's line breaks and dropping blanks."""
    lines = (paper_text(line).strip() for line in text.replace("\r\n", "\n").split("\n"))
    return [line for line in lines if line]


def wrap(text: str, width: int, *, indent: str = "") -> list[str]:
    """Wrap paper-safe text to width columns, breaking words longer than a line."""
    lines = textwrap.wrap(
        text,
        width,
        subsequent_indent=indent,
        break_long_words=True,
        break_on_hyphens=False,
    )
    return lines or [""]


def center(text: str, width: int) -> list[str]:
    """Wrap text to width and center every line (no trailing spaces)."""
    return [line.center(width).rstrip() for line in wrap(text, width)]


def columns_row(left: str, right: str, width: int) -> list[str]:
    """Put left text and a right-aligned value on one line, wrapping the left text if needed.

    The value is never cut: the left text wraps within what the value leaves free, and the value
    sits on the first line. A value wider than the line gets a line of its own.
    """
    if len(right) + 2 > width:
        value_lines = [part.rjust(width) for part in wrap(right, width)]
        return (wrap(left, width) if left else []) + value_lines
    room = width - len(right) - 1
    lines = wrap(left, room)
    return [lines[0].ljust(room) + " " + right, *lines[1:]]


def rule(width: int, char: str = "-") -> str:
    """Return a horizontal rule as wide as the paper."""
    return char * width
