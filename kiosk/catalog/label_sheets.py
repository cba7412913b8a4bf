"""A4 sticker sheets: the sheet layouts the shop can buy, and where each label lands on them.

Layouts are data (mm as decimal strings, so positions print exactly as written). A sheet page
places labels left to right, top to bottom; a partly used sheet starts at a later position.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from printers.labels import Label

A4_WIDTH_MM = Decimal(210)
A4_HEIGHT_MM = Decimal(297)


@dataclass(frozen=True)
class SheetLayout:
    """An A4 sheet of equal labels in a grid: sizes, margins and pitch (label plus gap) in mm."""

    key: str
    examples: str  # sheets sold in this layout, to recognise it on the box
    columns: int
    rows: int
    label_width_mm: Decimal
    label_height_mm: Decimal
    top_mm: Decimal
    left_mm: Decimal
    column_pitch_mm: Decimal
    row_pitch_mm: Decimal
    module_width_mm: Decimal  # one EAN-13 bar module on these labels
    bar_height_mm: Decimal

    @property
    def per_sheet(self) -> int:
        """Return how many labels one sheet holds."""
        return self.columns * self.rows

    def position(self, slot: int) -> tuple[Decimal, Decimal]:
        """Return the top and left edge in mm of the label in this slot (0 = top left)."""
        row, column = divmod(slot, self.columns)
        return self.top_mm + row * self.row_pitch_mm, self.left_mm + column * self.column_pitch_mm

    def fits_on_a4(self) -> bool:
        """Return whether every label lies on the A4 sheet."""
        bottom, right = self.position(self.per_sheet - 1)
        return (
            bottom + self.label_height_mm <= A4_HEIGHT_MM
            and right + self.label_width_mm <= A4_WIDTH_MM
        )


SHEET_LAYOUTS: dict[str, SheetLayout] = {
    layout.key: layout
    for layout in (
        # cut edge to edge, no gaps; a half mm left at the top and bottom
        SheetLayout(
            key="3x8",
            examples="Avery Zweckform 3474",
            columns=3,
            rows=8,
            label_width_mm=Decimal("70"),
            label_height_mm=Decimal("37"),
            top_mm=Decimal("0.5"),
            left_mm=Decimal("0"),
            column_pitch_mm=Decimal("70"),
            row_pitch_mm=Decimal("37"),
            module_width_mm=Decimal("0.264"),
            bar_height_mm=Decimal("14"),
        ),
        # rounded labels, centred on the sheet, a 2.5 mm gap between the columns
        SheetLayout(
            key="2x7",
            examples="Avery L7163",
            columns=2,
            rows=7,
            label_width_mm=Decimal("99.1"),
            label_height_mm=Decimal("38.1"),
            top_mm=Decimal("15.15"),
            left_mm=Decimal("4.65"),
            column_pitch_mm=Decimal("101.6"),
            row_pitch_mm=Decimal("38.1"),
            module_width_mm=Decimal("0.33"),
            bar_height_mm=Decimal("15"),
        ),
    )
}


@dataclass(frozen=True)
class PlacedLabel:
    """A label at its place on a sheet: its slot (0 = top left) and top and left edge in mm."""

    label: Label
    slot: int
    top_mm: Decimal
    left_mm: Decimal


def place_labels(
    labels: Sequence[Label], layout: SheetLayout, *, skip: int = 0
) -> list[list[PlacedLabel]]:
    """Lay labels out on as many sheets as needed, leaving the first skip places of sheet one."""
    if not 0 <= skip < layout.per_sheet:
        raise ValueError(f"skip must be 0 to {layout.per_sheet - 1}, not {skip}")
    sheets: list[list[PlacedLabel]] = []
    for number, label in enumerate(labels, start=skip):
        sheet, slot = divmod(number, layout.per_sheet)
        if sheet == len(sheets):
            sheets.append([])
        top, left = layout.position(slot)
        sheets[sheet].append(PlacedLabel(label, slot, top, left))
    return sheets
