"""Check and normalise Belgian identifiers: VAT numbers, IBANs, BICs and EAN-13 barcodes."""

from __future__ import annotations

import re

from flask_babel import lazy_gettext as _l

from kiosk.errors import Message


def normalize_vat_number(text: str) -> str | None:
    """Return a Belgian VAT number as 'BE0123.456.749', or None if it is not valid (mod 97)."""
    digits = re.sub(r"[\s.\-]", "", text.strip().upper()).removeprefix("BE")
    if len(digits) == 9:
        digits = "0" + digits  # old numbers had nine digits
    if not (len(digits) == 10 and digits.isdigit() and digits[0] in "01"):
        return None
    if 97 - int(digits[:8]) % 97 != int(digits[8:]):
        return None
    return f"BE{digits[:4]}.{digits[4:7]}.{digits[7:]}"


def normalize_iban(text: str) -> str | None:
    """Return a Belgian IBAN compact ('BE68539007547034'), or None if it is not valid (mod 97).

    Spaces are allowed on input (the IBAN is usually written in groups of four); a Belgian
    IBAN is BE, two check digits and 12 digits, and its mod-97 check (ISO 13616) gives 1.
    """
    compact = re.sub(r"\s", "", text).upper()
    if not re.fullmatch(r"BE[0-9]{14}", compact, re.ASCII):
        return None
    rearranged = compact[4:] + compact[:4]
    number = "".join(str(int(char, 36)) for char in rearranged)
    return compact if int(number) % 97 == 1 else None


def normalize_bic(text: str) -> str | None:
    """Return a BIC in capitals without spaces (8 or 11 characters), or None if it is not one."""
    compact = re.sub(r"\s", "", text).upper()
    if not re.fullmatch(r"[A-Z]{6}[A-Z0-9]{2}([A-Z0-9]{3})?", compact, re.ASCII):
        return None
    return compact


def iban_groups(iban: str) -> str:
    """Write a compact IBAN in groups of four, as people read it: 'BE68 5390 0754 7034'."""
    return " ".join(iban[i : i + 4] for i in range(0, len(iban), 4))


def ean13_check_digit(first_twelve: str) -> int:
    """Return the check digit of the first twelve digits of an EAN-13."""
    total = sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(first_twelve))
    return (10 - total % 10) % 10


def is_valid_ean13(code: str) -> bool:
    """Return whether a code is thirteen digits with the right check digit."""
    return len(code) == 13 and code.isdigit() and ean13_check_digit(code[:12]) == int(code[12])


def ean13_problem(code: str) -> Message | None:
    """Say what is wrong with an EAN-13 (its characters, its length, its check digit), or None."""
    if not (code.isascii() and code.isdigit()):
        return _l(
            "%(code)s bevat andere tekens dan cijfers: een EAN-13 heeft alleen cijfers.", code=code
        )
    if len(code) != 13:
        return _l(
            "%(code)s heeft %(count)s cijfers, een EAN-13 heeft er 13.", code=code, count=len(code)
        )
    expected = ean13_check_digit(code[:12])
    if expected != int(code[12]):
        return _l(
            "Het controlecijfer van %(code)s klopt niet: het laatste cijfer moet "
            "%(expected)s zijn, niet %(found)s.",
            code=code,
            expected=expected,
            found=code[12],
        )
    return None


#: EAN-13 codes starting with 2 are the shop's own: the till reads them as scale labels
INTERNAL_PREFIX = "2"
MAX_ITEM_NUMBER = 999_999


def internal_ean13(item_number: int) -> str:
    """Return the shop's own EAN-13 for an item number: 2, six digits, price 00000, check digit."""
    if not 0 < item_number <= MAX_ITEM_NUMBER:
        raise ValueError(f"item number {item_number} is not between 1 and {MAX_ITEM_NUMBER}")
    first_twelve = f"{INTERNAL_PREFIX}{item_number:06d}00000"
    return first_twelve + str(ean13_check_digit(first_twelve))


def is_internal_ean13(code: str) -> bool:
    """Return whether a code is a valid EAN-13 in the shop's own range (prefix 2)."""
    return code.startswith(INTERNAL_PREFIX) and is_valid_ean13(code)


def internal_item_number(code: str) -> int | None:
    """Return the item number (digits 2-7) of a shop's own code, or None for other codes."""
    return int(code[1:7]) if is_internal_ean13(code) else None


def scale_label_key(code: str) -> str | None:
    """Return the first seven digits the till matches a scale label by, for a prefix-2 code."""
    return code[:7] if is_internal_ean13(code) else None
