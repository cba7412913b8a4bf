"""The bistro's floor: add and change the tables of a point of sale, switch them off and on.

Tables are never deleted (tabs refer to them): they are switched off. A table with an open tab
stays on, so nobody loses sight of what that table still has to pay.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from kiosk.errors import Message, OperationError
from kiosk.extensions import db
from kiosk.models import DiningTable, PointOfSale, Tab

#: the colours a table's picture may have; each carries white text at a contrast of 4.5:1 or more
TABLE_COLOURS = (
    "#1f6f3f",
    "#1c5d99",
    "#00695c",
    "#6a3d9a",
    "#ad1457",
    "#b3261e",
    "#a04a00",
    "#5b6300",
    "#4a5560",
)
MAX_TABLE_NUMBER = 999
MAX_POSITION = 9999


class TableError(OperationError):
    """A refused change of a table; `field` names the form field the message belongs next to."""

    def __init__(self, status: int, code: str, message: Message, field: str | None = None) -> None:
        super().__init__(status, code, message)
        self.field = field


def default_table_name(number: int) -> str:
    """Return the name a table gets when none is given: "Tafel 4"."""
    return f"Tafel {number}"


def save_table(
    table: DiningTable | None,
    point_of_sale: PointOfSale,
    number: int,
    *,
    name: str | None = None,
    colour: str = TABLE_COLOURS[0],
    position: int | None = None,
) -> DiningTable:
    """Add a table (when `table` is None) or change one; numbers are unique per point of sale."""
    if not 1 <= number <= MAX_TABLE_NUMBER:
        raise TableError(422, "invalid_number", _l("Geef een tafelnummer van 1 tot 999."), "number")
    if table is not None and table.point_of_sale_id != point_of_sale.id:
        raise TableError(
            422, "point_of_sale_fixed", _l("Een tafel blijft bij haar verkooppunt."), "number"
        )
    if number_taken(point_of_sale, number, table):
        raise number_taken_error(point_of_sale, number)
    colour = colour.strip().lower()
    if colour not in TABLE_COLOURS:
        raise TableError(422, "invalid_colour", _l("Kies een van de kleuren."), "colour")
    position = number if position is None else position
    if not 0 <= position <= MAX_POSITION:
        raise TableError(422, "invalid_position", _l("Geef een plaats van 0 tot 9999."), "position")
    name = (name or "").strip() or default_table_name(number)
    if len(name) > 40:
        raise TableError(422, "invalid_name", _l("Geef een naam van hoogstens 40 tekens."), "name")
    if table is None:
        table = DiningTable(point_of_sale=point_of_sale, active=True)
        db.session.add(table)
    table.number = number
    table.name = name
    table.colour = colour
    table.position = position
    db.session.flush()
    return table


def number_taken(point_of_sale: PointOfSale, number: int, table: DiningTable | None) -> bool:
    """Return whether another table of the point of sale has this number."""
    query = select(DiningTable.id).where(
        DiningTable.point_of_sale_id == point_of_sale.id, DiningTable.number == number
    )
    if table is not None and table.id is not None:
        query = query.where(DiningTable.id != table.id)
    return db.session.scalar(query.limit(1)) is not None


def number_taken_error(point_of_sale: PointOfSale, number: int) -> TableError:
    """Say that the point of sale already has a table with this number."""
    return TableError(
        409,
        "number_taken",
        _l(
            "%(point_of_sale)s heeft al een tafel %(number)s.",
            point_of_sale=point_of_sale.name,
            number=number,
        ),
        "number",
    )


def has_open_tab(table: DiningTable) -> bool:
    """Return whether the table has a tab that is still open."""
    query = select(Tab.id).where(Tab.table_id == table.id, Tab.state == "open")
    return db.session.scalar(query.limit(1)) is not None


def set_table_active(table: DiningTable, active: bool) -> None:
    """Switch a table off (not while it has an open tab) or on again."""
    # lock the table's row (PostgreSQL), so a tab opened on it meanwhile is seen or waits
    db.session.execute(select(DiningTable.id).where(DiningTable.id == table.id).with_for_update())
    if not active and has_open_tab(table):
        raise TableError(
            409,
            "table_has_open_tab",
            _l(
                "%(name)s heeft nog een open rekening. Reken die eerst af of zet ze op een "
                "andere tafel.",
                name=table.name,
            ),
        )
    table.active = active
    db.session.flush()
