"""The back office's main menu: a few grouped menus, each link shown to whoever may open it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask_babel import lazy_gettext as _l
from flask_login import current_user

from admin.blueprint import bp, may_open

#: every back-office page reachable from the menu, grouped by what staff and managers do
MENUS: tuple[tuple[Any, tuple[tuple[str, Any], ...]], ...] = (
    (
        _l("Verkoop"),
        (
            ("admin.sale_list", _l("Verkopen")),
            ("admin.customer_order_list", _l("Klantenbestellingen")),
            ("admin.open_tab_list", _l("Open rekeningen")),
        ),
    ),
    (
        _l("Kassa & dag"),
        (
            ("admin.cash_overview", _l("Kaslade")),
            ("admin.vending_emptying_list", _l("Geld uit automaten")),
            ("admin.print_job_list", _l("Printwachtrij")),
            ("admin.lock_list", _l("Vergrendelingen")),
        ),
    ),
    (
        _l("Voorraad"),
        (
            ("admin.stock_levels", _l("Voorraad")),
            ("admin.morning_list", _l("Ochtendlijst")),
            ("admin.delivery_list", _l("Leveringen")),
            ("admin.purchase_order_list", _l("Bestellingen")),
            ("admin.stock_count_start", _l("Tellen")),
            ("admin.vending_list", _l("Automaten")),
            ("admin.valuation_show", _l("Voorraadwaarde")),
        ),
    ),
    (
        _l("Catalogus"),
        (
            ("admin.product_list", _l("Producten")),
            ("admin.category_list", _l("Categorieën")),
            ("admin.producer_list", _l("Producenten")),
            ("admin.label_list", _l("Etiketten")),
        ),
    ),
    (
        _l("Rapporten & export"),
        (
            ("admin.report_summary", _l("Omzet")),
            ("admin.report_products", _l("Verkopen per product")),
            ("admin.dashboard", _l("Dashboard")),
            ("admin.settlement_index", _l("Afrekening producent")),
            ("admin.export_new", _l("Exporteren")),
            ("admin.account_list", _l("Rekeningen")),
        ),
    ),
    (
        _l("Beheer"),
        (
            ("admin.user_list", _l("Gebruikers")),
            ("admin.till_list", _l("Kassa's")),
            ("admin.printer_list", _l("Printers")),
            ("admin.point_of_sale_list", _l("Verkooppunten")),
            ("admin.location_list", _l("Plaatsen")),
            ("admin.table_list", _l("Tafels")),
            ("admin.organisation_edit", _l("Organisatie")),
            ("admin.audit_list", _l("Auditlogboek")),
        ),
    ),
)


@dataclass(frozen=True)
class Menu:
    """One menu of the bar: its title and the (endpoint, label) links this user may open."""

    title: str
    links: list[tuple[str, str]]


@bp.context_processor
def main_menu() -> dict[str, Any]:
    """Give the back-office templates the menus of the logged-in user (none when logged out)."""
    if not current_user.is_authenticated:
        return {"main_menu": []}
    menus = [
        Menu(str(title), [(e, str(label)) for e, label in links if may_open(e)])
        for title, links in MENUS
    ]
    return {"main_menu": [menu for menu in menus if menu.links]}
