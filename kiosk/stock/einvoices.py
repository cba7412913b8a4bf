"""Read a producer's e-invoice (Peppol BIS Billing 3.0, UBL 2.1) into plain invoice lines.

The file is untrusted: defusedxml refuses DTDs, entity expansion and external entities before
anything is read, and every refusal is an EInvoiceError with a Dutch message. Quantities become
thousandths of a piece or a kg, prices integer cents per piece or per kg excluding VAT.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring
from flask_babel import lazy_gettext as _l

from kiosk.errors import Message, OperationError
from kiosk.identifiers import normalize_vat_number
from kiosk.models.types import Unit
from kiosk.money import round_half_up

#: the largest quantity (thousandths) or price (cents) of a line: what an integer column holds
MAX_AMOUNT = 2_000_000_000
#: the largest file accepted, in bytes
MAX_BYTES = 2 * 1024 * 1024
UBL = "urn:oasis:names:specification:ubl:schema:xsd:"
NS = {"cac": UBL + "CommonAggregateComponents-2", "cbc": UBL + "CommonBasicComponents-2"}
INVOICE = "{" + UBL + "Invoice-2}Invoice"
CREDIT_NOTE = "{" + UBL + "CreditNote-2}CreditNote"
#: UNTDID 1001 codes of a credit note sent as an Invoice document
CREDIT_NOTE_CODES = {"381", "396", "532"}
#: UN/ECE rec. 20 unit code → (our unit, thousandths of our unit in one of it)
UNIT_CODES = {
    "C62": (Unit.PIECE, 1000),
    "H87": (Unit.PIECE, 1000),
    "EA": (Unit.PIECE, 1000),
    "KGM": (Unit.KG, 1000),
    "GRM": (Unit.KG, 1),
}
#: EndpointID scheme of a Belgian VAT number
BELGIAN_VAT_SCHEME = "9925"
#: StandardItemIdentification scheme of a GTIN (EAN)
GTIN_SCHEME = "0160"


class EInvoiceError(OperationError):
    """An uploaded file that is not an invoice the shop can read."""

    def __init__(self, code: str, message: Message) -> None:
        super().__init__(422, code, message)


@dataclass(frozen=True)
class InvoiceLine:
    """One invoiced line: what, how much (thousandths of `unit`) and the price per unit."""

    position: int
    name: str
    ean: str | None
    item_code: str | None
    unit: str
    quantity_milli: int
    price_cents: int


@dataclass(frozen=True)
class EInvoice:
    """The parts of an invoice a delivery needs: number, seller, order reference, lines."""

    number: str
    seller_name: str
    seller_vat_number: str | None
    order_reference: str | None
    lines: list[InvoiceLine]


def read_einvoice(content: bytes) -> EInvoice:
    """Return the invoice in a UBL file; refuse anything else with a Dutch message."""
    if len(content) > MAX_BYTES:
        raise EInvoiceError(
            "file_too_large", _l("Het bestand is groter dan 2 MB: dit is geen e-factuur.")
        )
    try:
        root = fromstring(content, forbid_dtd=True)
    except DefusedXmlException:
        raise EInvoiceError(
            "unsafe_xml",
            _l("Het bestand bevat een DTD of entiteiten; een e-factuur heeft die niet."),
        ) from None
    except (ParseError, ValueError):
        raise EInvoiceError(
            "malformed_xml", _l("Het bestand is geen leesbare XML: is het een e-factuur?")
        ) from None
    if root.tag == CREDIT_NOTE or text(root, "cbc:InvoiceTypeCode") in CREDIT_NOTE_CODES:
        raise EInvoiceError(
            "credit_note",
            _l("Dit is een creditnota, geen factuur: een creditnota boek je niet als levering."),
        )
    if root.tag != INVOICE:
        raise EInvoiceError("not_an_invoice", _l("Dit bestand is geen e-factuur (UBL Invoice)."))
    lines = [
        read_line(line, index) for index, line in enumerate(root.findall("cac:InvoiceLine", NS), 1)
    ]
    if not lines:
        raise EInvoiceError("no_lines", _l("De e-factuur heeft geen regels."))
    return EInvoice(
        number=text(root, "cbc:ID") or "",
        seller_name=seller_name(root),
        seller_vat_number=seller_vat_number(root),
        order_reference=text(root, "cac:OrderReference/cbc:ID"),
        lines=lines,
    )


def text(element: Element, path: str) -> str | None:
    """Return the stripped text at a path, or None when it is missing or blank."""
    found = element.find(path, NS)
    return (found.text or "").strip() or None if found is not None else None


def seller_name(root: Element) -> str:
    """Return the seller's trading or legal name."""
    party = "cac:AccountingSupplierParty/cac:Party/"
    return (
        text(root, party + "cac:PartyName/cbc:Name")
        or text(root, party + "cac:PartyLegalEntity/cbc:RegistrationName")
        or ""
    )


def seller_vat_number(root: Element) -> str | None:
    """Return the seller's Belgian VAT number (tax scheme or endpoint 9925), or None."""
    party = root.find("cac:AccountingSupplierParty/cac:Party", NS)
    if party is None:
        return None
    candidates = [
        (found.text or "") for found in party.findall(".//cac:PartyTaxScheme/cbc:CompanyID", NS)
    ]
    endpoint = party.find("cbc:EndpointID", NS)
    if endpoint is not None and endpoint.get("schemeID") == BELGIAN_VAT_SCHEME:
        candidates.append(endpoint.text or "")
    return next(filter(None, map(normalize_vat_number, candidates)), None)


def read_line(line: Element, index: int) -> InvoiceLine:
    """Return one invoice line (the index-th) with its quantity and price in the shop's units."""
    position = text(line, "cbc:ID") or str(index)
    quantity_element = line.find("cbc:InvoicedQuantity", NS)
    unit_code = quantity_element.get("unitCode", "") if quantity_element is not None else ""
    if unit_code not in UNIT_CODES:
        raise EInvoiceError(
            "unknown_unit",
            _l(
                "Regel %(line)s heeft eenheid '%(unit)s'; alleen stuks (C62, H87, EA), kg (KGM) "
                "en gram (GRM) kunnen geleverd worden.",
                line=position,
                unit=unit_code,
            ),
        )
    unit, milli_per_unit = UNIT_CODES[unit_code]
    quantity = number(line, "cbc:InvoicedQuantity", position)
    price = number(line, "cac:Price/cbc:PriceAmount", position)
    base = number(line, "cac:Price/cbc:BaseQuantity", position, default=Decimal(1))
    if quantity <= 0 or price < 0 or base <= 0:
        raise EInvoiceError(
            "negative_line",
            _l("Regel %(line)s heeft een hoeveelheid of prijs van nul of minder.", line=position),
        )
    ean = line.find("cac:Item/cac:StandardItemIdentification/cbc:ID", NS)
    return InvoiceLine(
        position=index,
        name=text(line, "cac:Item/cbc:Name") or "",
        ean=(ean.text or "").strip() or None
        if ean is not None and ean.get("schemeID") == GTIN_SCHEME
        else None,
        item_code=text(line, "cac:Item/cac:SellersItemIdentification/cbc:ID"),
        unit=unit,
        quantity_milli=bounded(lambda: quantity * milli_per_unit, position),
        # the price is per invoiced unit: per gram becomes per kg
        price_cents=bounded(lambda: price / base * 100 * 1000 / milli_per_unit, position),
    )


def bounded(amount: Callable[[], Decimal], position: str) -> int:
    """Return a quantity or price rounded half up; refuse one too large to store."""
    try:
        value = amount()
        if value < MAX_AMOUNT:
            return round_half_up(value)
    except ArithmeticError:  # decimal overflow of an absurd exponent
        pass
    raise EInvoiceError(
        "amount_too_large",
        _l("Regel %(line)s heeft een te grote hoeveelheid of prijs.", line=position),
    )


def number(line: Element, path: str, position: str, default: Decimal | None = None) -> Decimal:
    """Return a decimal amount of a line; refuse a missing or unreadable one."""
    found = text(line, path)
    try:
        if found is None and default is not None:
            return default
        amount = Decimal(found or "")
        if not amount.is_finite():
            raise InvalidOperation
        return amount
    except InvalidOperation:
        raise EInvoiceError(
            "invalid_amount",
            _l("Regel %(line)s heeft geen leesbaar getal in %(field)s.", line=position, field=path),
        ) from None
