"""Open the python-escpos transport (Network, Usb, Serial, File) for a printer address."""

from __future__ import annotations

import warnings
from typing import TYPE_CHECKING

from printers.errors import PrinterUnavailable
from printers.urls import FileAddress, NetworkAddress, PrinterAddress, SerialAddress, UsbAddress

if TYPE_CHECKING:
    from escpos.escpos import Escpos

DEFAULT_TIMEOUT_SECONDS = 10.0


def make_transport(
    address: PrinterAddress, *, profile: str | None = None, timeout: float = DEFAULT_TIMEOUT_SECONDS
) -> Escpos:
    """Return an unopened python-escpos printer for address, with the given profile and timeout.

    Raises PrinterUnavailable when the USB or serial support (pyusb, pyserial) is not installed.
    """
    from escpos.printer import File, Network, Serial, Usb

    if isinstance(address, NetworkAddress):
        return Network(address.host, port=address.port, timeout=timeout, profile=profile)
    if isinstance(address, UsbAddress):
        _require_package(Usb.is_usable(), "pyusb", address)
        # pyusb counts its timeout in milliseconds.
        return Usb(
            address.vendor_id,
            address.product_id,
            timeout=max(1, round(timeout * 1000)),
            profile=profile,
        )
    if isinstance(address, SerialAddress):
        _require_package(Serial.is_usable(), "pyserial", address)
        return Serial(address.device, baudrate=address.baudrate, timeout=timeout, profile=profile)
    if isinstance(address, FileAddress):
        return File(address.path, profile=profile)
    raise TypeError(f"not a printer address: {address!r}")


def open_transport(
    address: PrinterAddress, *, profile: str | None = None, timeout: float = DEFAULT_TIMEOUT_SECONDS
) -> Escpos:
    """Open the python-escpos transport for address; the caller closes it.

    Raises python-escpos's DeviceNotFoundError, which :func:`printers.send.send` turns into
    PrinterUnavailable, and PrinterUnavailable itself when pyusb or pyserial is missing.
    """
    printer = make_transport(address, profile=profile, timeout=timeout)
    with warnings.catch_warnings():
        # python-escpos 3.1's Network.open() drops its socket without closing it when connect()
        # fails; the socket is closed as it is collected, right here, and warns of nothing new.
        warnings.simplefilter("ignore", ResourceWarning)
        printer.open()
    if isinstance(address, SerialAddress):
        # python-escpos sets only pyserial's read timeout; a stalled port would block writes.
        printer.device.write_timeout = timeout
    return printer


def _require_package(usable: bool, package: str, address: PrinterAddress) -> None:
    # Checked before building the transport: python-escpos's Usb without pyusb raises even from
    # __del__ (its close() needs pyusb too), which would only add noise to the log.
    if not usable:
        raise PrinterUnavailable(
            f"Afdrukken naar {address.location} vraagt het Python-pakket {package}, "
            "dat niet geïnstalleerd is. Vraag de beheerder om het te installeren.",
            detail=f"python-escpos reports {package} missing",
        )
