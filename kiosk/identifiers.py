"""Check and normalise Belgian identifiers: VAT numbers and EAN-13 barcodes."""

from __future__ import annotations

import re


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


def ean13_check_digit(first_twelve: str) -> int:
    """Return the check digit of the first twelve digits of an EAN-13."""
    total = sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(first_twelve))
    return (10 - total % 10) % 10


def is_valid_ean13(code: str) -> bool:
    """Return whether a code is thirteen digits with the right check digit."""
    return len(code) == 13 and code.isdigit() and ean13_check_digit(code[:12]) == int(code[12])
