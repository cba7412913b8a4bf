"""Printer URLs: parse ``tcp://``, ``usb://``, ``serial://`` and ``file://`` into typed addresses.

Examples of accepted URLs::

    tcp://192.168.1.50            (port 9100)
    tcp://bonprinter.local:9100
    usb://04b8:0202               (vendor id : product id, hexadecimal)
    serial:///dev/ttyUSB0?baudrate=19200
    file:///dev/usb/lp0

This module only parses text; opening a connection lives in :mod:`printers.transport`.
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass
from urllib.parse import parse_qsl

from printers.errors import PrinterUrlError

DEFAULT_TCP_PORT = 9100
DEFAULT_BAUDRATE = 9600
BAUDRATES = (1200, 2400, 4800, 9600, 19200, 38400, 57600, 115200)

_HOST_LABEL = re.compile(r"^[A-Za-z0-9]([A-Za-z0-9_-]{0,61}[A-Za-z0-9])?$")
_USB_ID = re.compile(r"^(?:0x)?([0-9A-Fa-f]{1,4})$")
_DEVICE_PATH = re.compile(r"^(/[A-Za-z0-9_.+-]+)+$")
_EXAMPLES = (
    "bv. tcp://192.168.1.50:9100, usb://04b8:0202, serial:///dev/ttyUSB0 of file:///dev/usb/lp0"
)


@dataclass(frozen=True)
class NetworkAddress:
    """A printer on the network, spoken to over raw TCP (port 9100 on most receipt printers)."""

    host: str
    port: int = DEFAULT_TCP_PORT

    @property
    def url(self) -> str:
        """Return the canonical URL of this address."""
        return f"tcp://{self.host}:{self.port}"

    @property
    def location(self) -> str:
        """Return a short description for messages to the shop staff."""
        return f"{self.host}:{self.port}"


@dataclass(frozen=True)
class UsbAddress:
    """A printer on a USB port, found by its vendor and product id."""

    vendor_id: int
    product_id: int

    @property
    def url(self) -> str:
        """Return the canonical URL of this address."""
        return f"usb://{self.vendor_id:04x}:{self.product_id:04x}"

    @property
    def location(self) -> str:
        """Return a short description for messages to the shop staff."""
        return f"USB {self.vendor_id:04x}:{self.product_id:04x}"


@dataclass(frozen=True)
class SerialAddress:
    """A printer on a serial port."""

    device: str
    baudrate: int = DEFAULT_BAUDRATE

    @property
    def url(self) -> str:
        """Return the canonical URL of this address."""
        if self.baudrate == DEFAULT_BAUDRATE:
            return f"serial://{self.device}"
        return f"serial://{self.device}?baudrate={self.baudrate}"

    @property
    def location(self) -> str:
        """Return a short description for messages to the shop staff."""
        return f"seriële poort {self.device}"


@dataclass(frozen=True)
class FileAddress:
    """A printer reached by writing to a device file, such as ``/dev/usb/lp0``."""

    path: str

    @property
    def url(self) -> str:
        """Return the canonical URL of this address."""
        return f"file://{self.path}"

    @property
    def location(self) -> str:
        """Return a short description for messages to the shop staff."""
        return self.path


PrinterAddress = NetworkAddress | UsbAddress | SerialAddress | FileAddress


def parse_printer_url(url: str) -> PrinterAddress:
    """Parse a printer URL into a typed address, or raise PrinterUrlError in Dutch."""
    text = url.strip()
    if not text:
        raise PrinterUrlError(f"Geef een printeradres op, {_EXAMPLES}.")
    scheme, separator, rest = text.partition("://")
    if not separator:
        raise PrinterUrlError(f"'{text}' is geen printeradres; {_EXAMPLES}.")
    scheme = scheme.lower()
    if scheme == "tcp":
        return _parse_tcp(text, rest)
    if scheme == "usb":
        return _parse_usb(text, rest)
    if scheme == "serial":
        return _parse_serial(text, rest)
    if scheme == "file":
        return _parse_file(text, rest)
    raise PrinterUrlError(
        f"Onbekend soort printeradres '{scheme}://'; gebruik tcp://, usb://, serial:// of file://."
    )


def format_printer_url(address: PrinterAddress) -> str:
    """Return the canonical URL for an address (the inverse of parse_printer_url)."""
    return address.url


def _parse_tcp(url: str, rest: str) -> NetworkAddress:
    authority = rest[:-1] if rest.endswith("/") else rest
    if any(char in authority for char in "/?#@"):
        raise PrinterUrlError(
            f"'{url}': een netwerkprinter heeft alleen een host en een poort, "
            "bv. tcp://192.168.1.50:9100."
        )
    if authority.startswith("["):
        raise PrinterUrlError(f"'{url}': IPv6-adressen worden niet ondersteund; gebruik IPv4.")
    host, colon, port_text = authority.partition(":")
    if not host:
        raise PrinterUrlError(f"'{url}': de host ontbreekt, bv. tcp://192.168.1.50:9100.")
    if not _is_host(host):
        raise PrinterUrlError(f"'{url}': '{host}' is geen geldige hostnaam of IPv4-adres.")
    port = DEFAULT_TCP_PORT
    if colon:
        if not port_text.isdigit() or not 1 <= int(port_text) <= 65535:
            raise PrinterUrlError(
                f"'{url}': poort '{port_text}' is geen poortnummer tussen 1 en 65535."
            )
        port = int(port_text)
    return NetworkAddress(host=host.lower(), port=port)


def _is_host(host: str) -> bool:
    if re.fullmatch(r"[0-9.]+", host):
        try:
            ipaddress.IPv4Address(host)
        except ValueError:
            return False
        return True
    labels = host.split(".")
    return len(host) <= 253 and all(_HOST_LABEL.match(label) for label in labels)


def _parse_usb(url: str, rest: str) -> UsbAddress:
    vendor_text, colon, product_text = rest.rstrip("/").partition(":")
    vendor, product = _USB_ID.match(vendor_text), _USB_ID.match(product_text)
    if not colon or vendor is None or product is None:
        raise PrinterUrlError(
            f"'{url}': een USB-printer schrijf je als usb://VVVV:PPPP met het vendor- en "
            "product-id in hexadecimaal, bv. usb://04b8:0202 (zie lsusb)."
        )
    vendor_id, product_id = int(vendor.group(1), 16), int(product.group(1), 16)
    if vendor_id == 0 or product_id == 0:
        # python-escpos skips a zero id, and would then print to whatever USB device it finds.
        raise PrinterUrlError(f"'{url}': vendor- en product-id mogen niet 0000 zijn.")
    return UsbAddress(vendor_id=vendor_id, product_id=product_id)


def _parse_serial(url: str, rest: str) -> SerialAddress:
    path, _, query = rest.partition("?")
    _check_device_path(url, path, "een seriële printer", "serial:///dev/ttyUSB0")
    baudrate = DEFAULT_BAUDRATE
    try:
        pairs = parse_qsl(query, keep_blank_values=True, strict_parsing=bool(query))
    except ValueError:
        pairs = [("", query)]
    for key, value in pairs:
        if key != "baudrate":
            raise PrinterUrlError(f"'{url}': onbekende instelling '{key}'; alleen baudrate kan.")
        if not value.isdigit() or int(value) not in BAUDRATES:
            allowed = ", ".join(str(rate) for rate in BAUDRATES)
            raise PrinterUrlError(f"'{url}': baudrate '{value}' kan niet; kies uit {allowed}.")
        baudrate = int(value)
    return SerialAddress(device=path, baudrate=baudrate)


def _parse_file(url: str, rest: str) -> FileAddress:
    _check_device_path(url, rest, "een printerbestand", "file:///dev/usb/lp0")
    return FileAddress(path=rest)


def _check_device_path(url: str, path: str, what: str, example: str) -> None:
    if not path.startswith("/"):
        raise PrinterUrlError(
            f"'{url}': {what} heeft een volledig pad met drie schuine strepen, bv. {example}."
        )
    if not _DEVICE_PATH.match(path) or "/../" in f"{path}/" or "/./" in f"{path}/":
        raise PrinterUrlError(
            f"'{url}': het pad '{path}' mag alleen letters, cijfers en . _ + - bevatten."
        )
