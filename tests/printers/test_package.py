"""The package is a library: importing it does nothing, and it never reaches into the app."""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pytest

import printers
from printers.documents import KitchenItem, Payment, Receipt, ReceiptLine
from tests.printers.conftest import make_receipt

PACKAGE = Path(printers.__file__).parent


def test_importing_printers_does_not_import_escpos(tmp_path: Path) -> None:
    code = (
        "import sys, printers, printers.render, printers.send, printers.preview\n"
        "loaded = sorted(m for m in sys.modules if m.split('.')[0] in "
        "('escpos', 'barcode', 'flask', 'kiosk', 'admin'))\n"
        "print(loaded)\n"
    )
    env = {**os.environ, "ESCPOS_CAPABILITIES_PICKLE_DIR": str(tmp_path)}
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env=env,
        check=True,
        cwd=PACKAGE.parent,
    )
    assert result.stdout.strip() == "[]"
    assert list(tmp_path.iterdir()) == []  # no capabilities cache written


def test_the_capabilities_cache_goes_where_the_app_says(tmp_path: Path) -> None:
    code = (
        "import printers\n"
        f"assert printers.use_capabilities_cache({str(tmp_path)!r})\n"
        "printers.paper_format('TM-T20II', 80)\n"
        f"assert not printers.use_capabilities_cache({str(tmp_path)!r})\n"
    )
    env = {k: v for k, v in os.environ.items() if k != "ESCPOS_CAPABILITIES_PICKLE_DIR"}
    subprocess.run([sys.executable, "-c", code], env=env, check=True, cwd=PACKAGE.parent)
    assert [path.name.endswith(".capabilities.pickle") for path in tmp_path.iterdir()] == [True]


def test_no_module_imports_flask_or_the_app_or_escpos_at_the_top() -> None:
    for module in PACKAGE.glob("*.py"):
        tree = ast.parse(module.read_text(encoding="utf-8"))
        for node in tree.body:  # top-level statements only: function bodies may import lazily
            if isinstance(node, ast.Import | ast.ImportFrom):
                names = (
                    [node.module or ""]
                    if isinstance(node, ast.ImportFrom)
                    else [alias.name for alias in node.names]
                )
                for name in names:
                    root = name.split(".")[0]
                    assert root not in {"flask", "kiosk", "admin", "escpos", "barcode"}, module


def test_money_must_be_integer_cents() -> None:
    with pytest.raises(TypeError, match="int number of cents"):
        ReceiptLine("Brood", "1", "piece", 1.6, 160, "6")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="int number of cents"):
        Payment("Contant", 3.3)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="int number of cents"):
        make_receipt(total_cents=True)
    with pytest.raises(TypeError):
        KitchenItem(1.5, "Soep")  # type: ignore[arg-type]


def test_documents_refuse_what_cannot_be_printed_right() -> None:
    with pytest.raises(ValueError, match="timezone-aware"):
        make_receipt(created_at=datetime(2026, 3, 3, 14, 5))
    with pytest.raises(ValueError, match="printable ASCII"):
        make_receipt(receipt_number="HW1-00004²")
    with pytest.raises(ValueError, match="decimal string"):
        ReceiptLine("Kaas", "0,745", "kg", 1890, 1408, "6")
    with pytest.raises(ValueError, match="'piece' or 'kg'"):
        ReceiptLine("Kaas", "1", "liter", 1890, 1890, "6")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="one letter"):
        ReceiptLine("Kaas", "1", "piece", 1890, 1890, "6", vat_code="AB")
    assert isinstance(make_receipt(), Receipt)
