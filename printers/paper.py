"""Printer profiles and paper formats: how many columns and dots a receipt may use.

python-escpos writes a capabilities cache when it is first imported, in the folder named by
``ESCPOS_CAPABILITIES_PICKLE_DIR``. This package imports python-escpos only inside functions, so
``import printers`` has no side effect; call :func:`use_capabilities_cache` before the first render.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from typing import Any, Literal

from printers.errors import PrinterProfileError

PaperWidth = Literal[58, 80]
CODE_PAGE = "CP858"
CAPABILITIES_ENV = "ESCPOS_CAPABILITIES_PICKLE_DIR"

# Font A columns and printable dots when the profile does not describe this paper width.
_FALLBACK_COLUMNS: dict[int, int] = {58: 32, 80: 48}
_FALLBACK_DOTS: dict[int, int] = {58: 360, 80: 512}
_SOFTWARE_BARCODE_MODES = ("graphics", "bitImageRaster", "bitImageColumn")


@dataclass(frozen=True)
class PaperFormat:
    """The printer profile and paper a document is laid out for."""

    profile: str
    width_mm: PaperWidth
    columns: int
    dots: int
    hardware_barcode: bool = True
    software_barcode: bool = False

    @property
    def large_columns(self) -> int:
        """Return the columns available to double-width text."""
        return self.columns // 2


def use_capabilities_cache(folder: str | os.PathLike[str]) -> bool:
    """Point python-escpos's capabilities cache at folder; return False if it is too late."""
    os.environ[CAPABILITIES_ENV] = os.fspath(folder)
    return "escpos.capabilities" not in sys.modules


def known_profiles() -> list[str]:
    """Return the python-escpos profile names that can print the euro sign (CP858)."""
    from escpos.capabilities import CAPABILITIES

    profiles: dict[str, Any] = CAPABILITIES["profiles"]
    return sorted(name for name, data in profiles.items() if CODE_PAGE in _code_pages(data))


def paper_format(profile: str, width_mm: int) -> PaperFormat:
    """Return the paper format for a python-escpos profile name and a 58 or 80 mm paper roll."""
    from escpos.capabilities import CAPABILITIES

    if width_mm not in (58, 80):
        raise PrinterProfileError(f"Papierbreedte {width_mm} mm kan niet; kies 58 of 80 mm.")
    width: PaperWidth = 58 if width_mm == 58 else 80
    profiles: dict[str, Any] = CAPABILITIES["profiles"]
    data = profiles.get(profile)
    if data is None:
        raise PrinterProfileError(
            f"Onbekend printerprofiel '{profile}'; kies bv. TM-T20II of TM-T88V."
        )
    if CODE_PAGE not in _code_pages(data):
        raise PrinterProfileError(
            f"Printerprofiel '{profile}' kent codetabel {CODE_PAGE} niet, "
            "dus het euroteken kan niet afgedrukt worden; kies een ander profiel."
        )
    features: dict[str, Any] = data.get("features", {})
    columns, dots = _fallback(width)
    if _profile_paper_matches(data, width):
        columns = _font_a_columns(data) or columns
        dots = _media_dots(data) or dots
    return PaperFormat(
        profile=profile,
        width_mm=width,
        columns=columns,
        dots=dots,
        hardware_barcode=bool(features.get("barcodeB")),
        software_barcode=any(features.get(mode) for mode in _SOFTWARE_BARCODE_MODES),
    )


def _fallback(width: PaperWidth) -> tuple[int, int]:
    return _FALLBACK_COLUMNS[width], _FALLBACK_DOTS[width]


def _code_pages(data: dict[str, Any]) -> set[str]:
    return set(data.get("codePages", {}).values())


def _profile_paper_matches(data: dict[str, Any], width: PaperWidth) -> bool:
    # A profile's columns describe the paper it was written for (e.g. TM-T20II: 80 mm); the same
    # printer loaded with 58 mm paper prints fewer columns, so then the fallback applies.
    media_mm = data.get("media", {}).get("width", {}).get("mm")
    if not isinstance(media_mm, int | float):
        return False
    return (media_mm > 60) == (width == 80)


def _font_a_columns(data: dict[str, Any]) -> int | None:
    columns = data.get("fonts", {}).get("0", {}).get("columns")
    return columns if isinstance(columns, int) and columns > 0 else None


def _media_dots(data: dict[str, Any]) -> int | None:
    pixels = data.get("media", {}).get("width", {}).get("pixels")
    return pixels if isinstance(pixels, int) and pixels > 0 else None
