"""Turn the bistro tablets' JSON bodies into requests, refusing anything malformed in Dutch."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l

from kiosk.api.parsing import (
    CLIENT_KEY_PATTERN,
    invalid,
    matches,
    parse_payments,
    parse_quantity,
    record_id,
    whole_number,
)
from kiosk.bistro.payments import MAX_PARTS, Split, TabPayment
from kiosk.bistro.tabs import WantedItem
from kiosk.errors import OperationError

MAX_ITEMS = 100
MAX_NOTE_CHARS = 200


def parse_object(body: Any) -> dict[str, Any]:
    """Return the body if it is a JSON object."""
    if not isinstance(body, dict):
        raise invalid(_l("Stuur de gegevens als JSON-object."))
    return body


def parse_operator(body: Any) -> int:
    """Return the operator of a request that only names who does it."""
    return record_id(parse_object(body).get("operator_id"), "operator_id")


def parse_move(body: Any) -> tuple[int, int]:
    """Return the operator and the table a tab moves to."""
    return parse_operator(body), record_id(body.get("table_id"), "table_id")


def parse_new_items(body: Any) -> tuple[int, tuple[WantedItem, ...]]:
    """Return the operator and the items a tablet adds to a tab."""
    operator_id = parse_operator(body)
    items = body.get("items")
    if not isinstance(items, list) or not items:
        raise invalid(_l("Stuur minstens één item."))
    if len(items) > MAX_ITEMS:
        raise invalid(_l("Stuur hoogstens %(max_items)s items tegelijk.", max_items=MAX_ITEMS))
    return operator_id, tuple(parse_new_item(item) for item in items)


def parse_new_item(item: Any) -> WantedItem:
    """Check one item: its client_key, product, quantity, and optional consumption and note."""
    if not isinstance(item, dict):
        raise invalid(_l("Elk item is een JSON-object met client_key, product_id en quantity."))
    key = item.get("client_key")
    if not isinstance(key, str) or not matches(CLIENT_KEY_PATTERN, key):
        raise invalid(_l("De client_key van een item is ongeldig."), "invalid_client_key")
    consumption = item.get("consumption")
    if consumption is not None and not isinstance(consumption, str):
        raise invalid(_l("Kies meenemen (takeaway) of ter plaatse (eat_in)."))
    note = item.get("note")
    if note is not None and not isinstance(note, str):
        raise invalid(_l("Een opmerking is tekst."))
    if note is not None and len(note) > MAX_NOTE_CHARS:
        raise OperationError(
            422,
            "invalid_note",
            _l(
                "Een opmerking heeft hoogstens %(max_note_chars)s tekens.",
                max_note_chars=MAX_NOTE_CHARS,
            ),
        )
    return WantedItem(
        client_key=key,
        product_id=record_id(item.get("product_id"), "product_id"),
        quantity=parse_quantity(item.get("quantity")),
        consumption=consumption,
        note=(note or "").strip() or None,
    )


def parse_tab_payment(body: Any) -> TabPayment:
    """Check a request to pay (part of) a tab."""
    operator_id = parse_operator(body)
    return TabPayment(
        operator_id=operator_id,
        split=parse_split(body.get("split")),
        payments=parse_payments(body),
    )


def parse_split(split: Any) -> Split:
    """Check what part of the tab is paid: all, items (item_ids) or equal (parts, part)."""
    if not isinstance(split, dict) or split.get("kind") not in ("all", "items", "equal"):
        raise invalid(_l('Kies wat betaald wordt: split.kind is "all", "items" of "equal".'))
    if split["kind"] == "items":
        item_ids = split.get("item_ids")
        if not isinstance(item_ids, list) or not item_ids or len(item_ids) > MAX_ITEMS * 2:
            raise invalid(_l("Kies de items die betaald worden (item_ids)."))
        return Split("items", item_ids=tuple(record_id(i, "item_id") for i in item_ids))
    if split["kind"] == "equal":
        parts = whole_number(split.get("parts"), "parts")
        part = whole_number(split.get("part"), "part")
        if not 1 <= parts <= MAX_PARTS or not 1 <= part <= parts:
            raise OperationError(
                422,
                "invalid_split",
                _l(
                    "Kies een deel van 1 tot het aantal delen (hoogstens %(max_parts)s).",
                    max_parts=MAX_PARTS,
                ),
            )
        return Split("equal", parts=parts, part=part)
    return Split("all")
