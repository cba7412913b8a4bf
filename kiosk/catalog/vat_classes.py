"""A VAT class in Dutch: the words the back office shows and the products file reads.

The class's code (`food`, `soft_drink`, …) is what is stored; a products file may give the
code, the short Dutch word ("voeding", "frisdrank") or the label the product form shows.
"""

from __future__ import annotations

from flask_babel import force_locale
from flask_babel import lazy_gettext as _l

from kiosk.models.types import VatClass

#: what the back office shows for each class
VAT_CLASS_LABELS = {
    VatClass.FOOD: _l("Voeding"),
    VatClass.TAKEAWAY_MEAL: _l("Maaltijd om mee te nemen"),
    VatClass.SOFT_DRINK: _l("Drank zonder alcohol"),
    VatClass.ALCOHOL: _l("Drank met alcohol"),
    VatClass.NON_FOOD: _l("Geen voeding (ambacht, cadeaus)"),
}
#: the short Dutch word for each class in a products file (first) and the others it reads
VAT_CLASS_WORDS = {
    VatClass.FOOD: ("voeding",),
    VatClass.TAKEAWAY_MEAL: ("afhaalmaaltijd", "maaltijd"),
    VatClass.SOFT_DRINK: ("frisdrank", "drank zonder alcohol"),
    VatClass.ALCOHOL: ("alcohol", "drank met alcohol"),
    VatClass.NON_FOOD: ("geen voeding", "niet-voeding", "non-food"),
}


def read_vat_class(text: str) -> VatClass | None:
    """Return the VAT class a code, a Dutch word or the form's Dutch label names, or None."""
    wanted = " ".join(text.lower().split())
    for vat_class in VatClass:
        with force_locale("nl"):
            label = str(VAT_CLASS_LABELS[vat_class]).lower()
        if wanted in (vat_class.value, label, *VAT_CLASS_WORDS[vat_class]):
            return vat_class
    return None


def vat_class_choices_text() -> str:
    """List the words a products file may use, for a refusal: "voeding, frisdrank, …"."""
    return ", ".join(words[0] for words in VAT_CLASS_WORDS.values())
