"""Kitchen and bar stations: their printers and screens, and whether each works now.

A station is the place an order is made (Product.preparation: kitchen or bar). It is reached by
a printer with that role, a paired screen with that role, or both; an order goes to all of them.
A printer is down when a job waits on it after failing; a screen is down when it has not asked
for its orders for a while.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import exists, select

from kiosk.bistro.kitchen_tickets import STATIONS
from kiosk.errors import Message
from kiosk.extensions import db
from kiosk.models import (
    DiningTable,
    KitchenOrder,
    PointOfSale,
    Printer,
    PrintJob,
    Product,
    TabItem,
    Till,
)
from kiosk.models.catalog import product_point_of_sale

#: a screen that has not asked for its orders for this long is down (it asks every few seconds)
SCREEN_SILENCE = timedelta(minutes=2)
STATION_NAMES = {"kitchen": _l("Keuken"), "bar": _l("Bar")}


@dataclass(frozen=True)
class StationDevice:
    """A printer or screen of a station, and whether it works now."""

    kind: str  # printer or screen
    name: str
    up: bool


@dataclass(frozen=True)
class Station:
    """A station at a point of sale with its printers and screens."""

    station: str
    devices: tuple[StationDevice, ...]

    @property
    def state(self) -> str:
        """Return up (something works), down (all it has fails) or missing (it has nothing)."""
        if not self.devices:
            return "missing"
        return "up" if any(device.up for device in self.devices) else "down"

    def reached(self, kind: str) -> bool:
        """Return whether a working printer (or screen) of this station got the order."""
        return any(device.up for device in self.devices if device.kind == kind)


def items_by_station(items: Iterable[TabItem]) -> dict[str, list[TabItem]]:
    """Group items by the station that makes them; items made nowhere are left out."""
    grouped: dict[str, list[TabItem]] = defaultdict(list)
    for item in items:
        if item.product.preparation in STATIONS:
            grouped[item.product.preparation].append(item)
    return grouped


def station_printers(point_of_sale_id: int, role: str) -> list[Printer]:
    """Return the active printers of a station (kitchen or bar) at a point of sale."""
    return list(
        db.session.scalars(
            select(Printer).where(
                Printer.point_of_sale_id == point_of_sale_id,
                Printer.role == role,
                Printer.active.is_(True),
            )
        )
    )


def station_screens(point_of_sale_id: int, role: str) -> list[Till]:
    """Return the paired (not revoked) screens of a station at a point of sale."""
    return list(
        db.session.scalars(
            select(Till).where(
                Till.point_of_sale_id == point_of_sale_id,
                Till.role == role,
                Till.revoked_at.is_(None),
            )
        )
    )


def printer_up(printer: Printer) -> bool:
    """Return whether a printer prints: no job of it waits after a failed attempt."""
    failing = exists().where(
        PrintJob.printer_id == printer.id,
        PrintJob.state.in_(("pending", "printing")),
        PrintJob.last_error.is_not(None),
    )
    return not db.session.scalar(select(failing))


def screen_up(screen: Till, now: datetime) -> bool:
    """Return whether a screen asked for its orders lately."""
    return screen.last_seen_at is not None and now - screen.last_seen_at <= SCREEN_SILENCE


def get_station(point_of_sale_id: int, station: str, now: datetime) -> Station:
    """Return a station with its printers and screens and whether each works now."""
    printers = [
        StationDevice("printer", printer.name, printer_up(printer))
        for printer in station_printers(point_of_sale_id, station)
    ]
    screens = [
        StationDevice("screen", screen.name, screen_up(screen, now))
        for screen in station_screens(point_of_sale_id, station)
    ]
    return Station(station, tuple(printers + screens))


def show_on_screens(
    point_of_sale_id: int, tab_id: int, station: str, payload: dict[str, Any], now: datetime
) -> KitchenOrder | None:
    """Put an order on the station's screens, when it has any (kept until a cook taps Klaar)."""
    if not station_screens(point_of_sale_id, station):
        return None
    order = KitchenOrder(
        point_of_sale_id=point_of_sale_id,
        tab_id=tab_id,
        station=station,
        payload=json.dumps(payload["ticket"]),
        sent_at=now,
    )
    db.session.add(order)
    return order


@dataclass(frozen=True)
class StationWarning:
    """A station staff must look at: down or missing while its products are sold."""

    point_of_sale: str
    station: str
    state: str

    @property
    def message(self) -> Message:
        """Say in one sentence what is wrong and what to do."""
        station = STATION_NAMES[self.station]
        if self.state == "down":
            return _l(
                "%(station)s van %(point_of_sale)s krijgt geen bestellingen: de printer of het "
                "scherm werkt niet. Kijk de printer (Printwachtrij) of het scherm na.",
                station=station,
                point_of_sale=self.point_of_sale,
            )
        return _l(
            "%(station)s van %(point_of_sale)s heeft geen printer en geen scherm: bestellingen "
            "komen er niet aan. Voeg een printer met die rol toe of koppel een scherm.",
            station=station,
            point_of_sale=self.point_of_sale,
        )


def get_station_warnings(now: datetime) -> list[StationWarning]:
    """Return the stations of the bistros whose products are made there but which are not up."""
    bistros = db.session.scalars(
        select(PointOfSale)
        .where(exists().where(DiningTable.point_of_sale_id == PointOfSale.id, DiningTable.active))
        .order_by(PointOfSale.name)
    )
    warnings = []
    for point_of_sale in bistros:
        for station in STATIONS:
            if not made_at(point_of_sale.id, station):
                continue
            state = get_station(point_of_sale.id, station, now).state
            if state != "up":
                warnings.append(StationWarning(point_of_sale.name, station, state))
    return warnings


def made_at(point_of_sale_id: int, station: str) -> bool:
    """Return whether an active product of a point of sale is made at a station."""
    made = exists().where(
        Product.id == product_point_of_sale.c.product_id,
        product_point_of_sale.c.point_of_sale_id == point_of_sale_id,
        Product.preparation == station,
        Product.active.is_(True),
    )
    return bool(db.session.scalar(select(made)))
