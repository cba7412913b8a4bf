"""The data model, split by domain; importing this package registers every table."""

from kiosk.models.audit import AuditEntry, GuessLock
from kiosk.models.bistro import DiningTable, KitchenOrder, Tab, TabItem
from kiosk.models.cash import CashMovement, CashSession, LedgerAccount, ZReport
from kiosk.models.catalog import Category, PointOfSale, Producer, Product
from kiosk.models.customer_orders import (
    CustomerInvoice,
    CustomerOrder,
    CustomerOrderLine,
    InvoiceSequence,
)
from kiosk.models.orders import OrderStatus, PurchaseOrder, PurchaseOrderLine
from kiosk.models.people import BackOfficeSession, Organisation, Till, User
from kiosk.models.printing import Printer, PrintJob
from kiosk.models.rules import Threshold, VatRate
from kiosk.models.sales import Payment, Sale, SaleLine, SaleVat, TicketSequence
from kiosk.models.stock import Delivery, Location, Lot, StockBalance, StockMove
from kiosk.models.vending import (
    VendingCompartment,
    VendingCount,
    VendingCountLine,
    VendingEmptying,
)

__all__ = [
    "AuditEntry",
    "BackOfficeSession",
    "CashMovement",
    "CashSession",
    "Category",
    "CustomerInvoice",
    "CustomerOrder",
    "CustomerOrderLine",
    "Delivery",
    "DiningTable",
    "GuessLock",
    "InvoiceSequence",
    "KitchenOrder",
    "LedgerAccount",
    "Location",
    "Lot",
    "OrderStatus",
    "Organisation",
    "Payment",
    "PointOfSale",
    "PrintJob",
    "Printer",
    "Producer",
    "Product",
    "PurchaseOrder",
    "PurchaseOrderLine",
    "Sale",
    "SaleLine",
    "SaleVat",
    "StockBalance",
    "StockMove",
    "Tab",
    "TabItem",
    "Threshold",
    "TicketSequence",
    "Till",
    "User",
    "VatRate",
    "VendingCompartment",
    "VendingCount",
    "VendingCountLine",
    "VendingEmptying",
    "ZReport",
]
