"""A pre-packed product's net quantity (350 g, 1 l, 25 cl) and its price per kg or litre.

Belgian price indication: a pre-packed good sold by the piece shows, beside its price, the
price per kg (solids) or per litre (liquids). The unit price is integer cents from Decimal
math, rounded half-up to the cent (:func:`kiosk.money.round_half_up`).
"""

from __future__ import annotations

import re
from decimal import Decimal

from kiosk.money import round_half_up

#: a net quantity's unit → the unit its price is shown per, and how many of it make one of those
NET_UNITS: dict[str, tuple[str, int]] = {
    "g": ("kg", 1000),
    "kg": ("kg", 1),
    "ml": ("l", 1000),
    "cl": ("l", 100),
    "l": ("l", 1),
}
#: the largest net quantity a product may say (fits the integer column with room to spare)
MAX_NET_QUANTITY = 100_000
#: a quantity at the end of a product's name: "Aardbeienconfituur 350 g", "Appelsap 1 l"
QUANTITY_IN_NAME = re.compile(r"\s(\d{1,6})\s?(g|kg|ml|cl|l)$", re.IGNORECASE)


def unit_price(price_cents: int, net_quantity: int, net_unit: str) -> tuple[int, str]:
    """Return the price per kg or litre in cents, and "kg" or "l": 450 for 350 g → (1286, "kg")."""
    per, count = NET_UNITS[net_unit]
    return round_half_up(Decimal(price_cents) * count / Decimal(net_quantity)), per


def quantity_in_name(name: str) -> tuple[int, str] | None:
    """Return the net quantity a product's name ends with ("… 350 g" → (350, "g")), or None."""
    found = QUANTITY_IN_NAME.search(name)
    if found is None or int(found.group(1)) == 0:
        return None
    return int(found.group(1)), found.group(2).lower()
