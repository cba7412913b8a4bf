"""Exceptions of the printer layer, each carrying a Dutch message for the shop staff."""

from __future__ import annotations


class PrinterError(Exception):
    """Base class of every error the printer layer raises on purpose."""


class PrinterUrlError(PrinterError, ValueError):
    """A printer URL that cannot be understood; the message says what is wrong, in Dutch."""


class PrinterProfileError(PrinterError, ValueError):
    """A printer profile or paper width this layer cannot print with."""


class PrinterUnavailable(PrinterError):
    """The printer could not be reached or stopped answering; printing can be retried later.

    ``str(error)`` is a Dutch sentence fit for the back office; ``detail`` keeps the technical
    reason (in English, from the operating system or python-escpos) for the log.
    """

    def __init__(self, message: str, *, detail: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.detail = detail
