"""Send rendered bytes to a printer, and probe whether a printer answers.

Every way a printer can fail (switched off, wrong address, cable out, paper jam that stalls the
connection, missing USB or serial support) becomes one :class:`PrinterUnavailable` with a Dutch
message, so the print queue can show it and retry later.
"""

from __future__ import annotations

import contextlib
import os
import socket
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from printers.errors import PrinterUnavailable
from printers.transport import DEFAULT_TIMEOUT_SECONDS, open_transport
from printers.urls import FileAddress, NetworkAddress, PrinterAddress, SerialAddress, UsbAddress

if TYPE_CHECKING:
    from escpos.escpos import Escpos

STATUS_TIMEOUT_SECONDS = 3.0


@dataclass(frozen=True)
class PrinterStatus:
    """Whether a printer answered, with a Dutch sentence saying so."""

    state: Literal["online", "offline"]
    message: str

    @property
    def online(self) -> bool:
        """Return True when the printer answered."""
        return self.state == "online"


def send(address: PrinterAddress, data: bytes, *, timeout: float = DEFAULT_TIMEOUT_SECONDS) -> None:
    """Send ESC/POS bytes to the printer at address, or raise PrinterUnavailable."""
    printer = _open(address, timeout)
    try:
        printer._raw(data)
        # Closing flushes what is still buffered (serial, file), so it is part of the send.
        printer.close()
    except _failures() as error:
        raise _unavailable(address, error, timeout) from error
    finally:
        with contextlib.suppress(*_failures()):
            printer.close()


def status(address: PrinterAddress, *, timeout: float = STATUS_TIMEOUT_SECONDS) -> PrinterStatus:
    """Check whether the printer at address can be reached, without printing anything."""
    if isinstance(address, FileAddress):
        # Opening the file (as python-escpos does, "wb") would create or empty a regular file.
        if os.path.exists(address.path) and os.access(address.path, os.W_OK):
            return PrinterStatus("online", f"Printerbestand {address.path} is beschikbaar.")
        return PrinterStatus("offline", _file_message(address))
    try:
        printer = _open(address, timeout)
    except PrinterUnavailable as error:
        return PrinterStatus("offline", error.message)
    with contextlib.suppress(*_failures()):
        printer.close()
    return PrinterStatus("online", f"De printer op {address.location} is bereikbaar.")


def _open(address: PrinterAddress, timeout: float) -> Escpos:
    try:
        return open_transport(address, timeout=timeout)
    except _failures() as error:
        raise _unavailable(address, error, timeout) from error


def _failures() -> tuple[type[Exception], ...]:
    from escpos.exceptions import Error as EscposError

    # USB errors (pyusb) and serial errors (pyserial) are OSError subclasses.
    return (EscposError, OSError)


def _unavailable(
    address: PrinterAddress, error: BaseException, timeout: float
) -> PrinterUnavailable:
    cause = _os_cause(error)
    detail = f"{type(error).__name__}: {error}"
    if cause is not None and cause is not error:
        detail += f" ({type(cause).__name__}: {cause})"
    return PrinterUnavailable(_message(address, cause, timeout), detail=detail)


def _os_cause(error: BaseException) -> OSError | None:
    # python-escpos raises DeviceNotFoundError while handling the OSError, which stays the context.
    seen: BaseException | None = error
    while seen is not None:
        if isinstance(seen, OSError):
            return seen
        seen = seen.__cause__ or seen.__context__
    return None


def _message(address: PrinterAddress, cause: OSError | None, timeout: float) -> str:
    if isinstance(address, NetworkAddress):
        return _network_message(address, cause, timeout)
    if isinstance(address, UsbAddress):
        return (
            f"De USB-printer {address.location[4:]} is niet gevonden of antwoordt niet. "
            "Staat hij aan en zit de kabel erin?"
        )
    if isinstance(address, SerialAddress):
        return (
            f"De printer op de seriële poort {address.device} antwoordt niet. "
            "Staat hij aan, zit de kabel erin en klopt de baudrate?"
        )
    return _file_message(address)


def _network_message(address: NetworkAddress, cause: OSError | None, timeout: float) -> str:
    where = address.location
    if isinstance(cause, socket.gaierror):
        return f"De printernaam '{address.host}' is onbekend op het netwerk. Klopt het adres?"
    if isinstance(cause, ConnectionRefusedError):
        return (
            f"De printer op {where} weigert de verbinding. "
            "Staat hij aan, en klopt het adres en de poort?"
        )
    if isinstance(cause, TimeoutError):
        seconds = f"{timeout:g}".replace(".", ",")
        return (
            f"De printer op {where} antwoordt niet binnen {seconds} seconden. "
            "Staat hij aan, is hij verbonden met het netwerk en is het papier niet vastgelopen?"
        )
    if isinstance(cause, ConnectionResetError | BrokenPipeError):
        return f"De verbinding met de printer op {where} viel weg tijdens het afdrukken."
    return f"De printer op {where} is niet bereikbaar. Staat hij aan en klopt het adres?"


def _file_message(address: FileAddress) -> str:
    return (
        f"Kan niet naar de printer {address.path} schrijven. Staat hij aan, zit de kabel erin "
        "en mag PlusKassa naar dat apparaat schrijven?"
    )
