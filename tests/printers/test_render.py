"""ESC/POS bytes: code page, euro sign, accents, barcode, cut and drawer, large text; one golden."""

from __future__ import annotations

import itertools

import pytest

from printers.documents import Payment, ReceiptLine, TextReport, VatSummary
from printers.paper import paper_format
from printers.render import (
    render_kitchen_ticket,
    render_receipt,
    render_report,
    render_test_page,
)
from tests.printers.conftest import SALE_TIME, make_kitchen_ticket, make_receipt
from tests.printers.escpos_stream import (
    Command,
    Text,
    commands,
    decode,
    printed_lines,
    printed_text,
)

EURO_CP858 = b"\xd5"
DOUBLE_HEIGHT_AND_WIDTH = b"\x30"
DOUBLE_HEIGHT = b"\x10"


def cp858_index(profile: str) -> int:
    """Look up the ESC t number of CP858 in python-escpos's profile (it differs per printer)."""
    from escpos.capabilities import get_profile

    return int(get_profile(profile).get_code_pages()["CP858"])


@pytest.mark.parametrize(("profile", "width_mm"), [("TM-T20II", 80), ("POS-5890", 58)])
def test_the_job_resets_the_printer_and_forces_cp858_first(profile: str, width_mm: int) -> None:
    data = render_receipt(make_receipt(), paper_format(profile, width_mm))
    tokens = decode(data)
    assert tokens[:2] == [Command("ESC @", b""), Command("ESC t", bytes([cp858_index(profile)]))]
    assert commands(data, "ESC t") == [bytes([cp858_index(profile)])]  # never switched away
    assert cp858_index("TM-T20II") == 19 and cp858_index("POS-5890") == 53


def test_euro_sign_and_accents_are_cp858_bytes() -> None:
    data = render_receipt(make_receipt(), paper_format("TM-T20II", 80))
    assert EURO_CP858 + b" 34,73" in data
    assert "Crème brûlée".encode("cp858") in data
    assert b"Cr\x8ame br\x96l\x82e" in data  # è=0x8A, û=0x96, é=0x82 in CP858
    assert "Bediende: Anaïs".encode("cp858") in data
    assert "€".encode() not in data


def test_receipt_text_shows_the_document_exactly() -> None:
    receipt = make_receipt()
    lines = printed_lines(render_receipt(receipt, paper_format("TM-T20II", 80)))
    assert "Ticket: HW1-000042 (nr. 42)" in lines
    assert "Datum: 03-03-2026 14:05" in lines
    assert "Bediende: Anaïs" in lines
    assert "Verkooppunt: Hoevewinkel" in lines
    assert "Kassa: HW1" in lines
    assert "Btw BE 0123.456.789" in [line.strip() for line in lines]
    expected_rows = {
        "Bruin brood": "3,20 A",
        "Jonge kaas van 't Hof": "14,08 A",
        "Crème brûlée": "4,50 B",
        "Hagelands wijn, rosé": "12,95 C",
    }
    for description, amount in expected_rows.items():
        assert any(line.startswith(description) and line.endswith(amount) for line in lines)
    assert "  0,745 kg x 18,90/kg" in lines
    assert "  2 x 1,60" in lines
    money = {
        label: line
        for line in lines
        for label in ("TOTAAL", "Afronding contant", "Te betalen", "Contant", "Wisselgeld")
        if line.startswith(label)
    }
    assert money["TOTAAL"].endswith("€ 34,73")
    assert money["Afronding contant"].endswith("€ 0,02")
    assert money["Te betalen"].endswith("€ 34,75")
    assert money["Contant"].endswith("€ 50,00")
    assert money["Wisselgeld"].endswith("€ 15,25")


def test_vat_table_carries_each_rate_exactly() -> None:
    receipt = make_receipt()
    lines = printed_lines(render_receipt(receipt, paper_format("TM-T20II", 80)))
    assert lines[
        lines.index(next(line for line in lines if line.startswith("Tarief")))
    ].split() == ["Tarief", "Basis", "Btw", "Totaal"]
    letters = {"6": "A", "12": "B", "21": "C"}
    for summary in receipt.vat_summaries:
        row = next(line for line in lines if line.startswith(f"{letters[summary.rate]} "))
        cells = row.split()
        assert cells[1] == f"{summary.rate}%"
        cents = [int(cell.replace(",", "").replace(".", "")) for cell in cells[2:]]
        assert cents == [summary.base_cents, summary.vat_cents, summary.total_cents]


def test_receipt_number_is_a_code128_barcode() -> None:
    data = render_receipt(make_receipt(), paper_format("TM-T20II", 80))
    payload = b"{BHW1-000042"
    assert commands(data, "GS k") == [bytes([73, len(payload)]) + payload]  # 73: CODE128
    assert commands(data, "GS w") == [b"\x03"]  # module width 3 dots on 80 mm paper


def test_the_job_ends_with_a_cut_and_kicks_the_drawer_only_when_asked() -> None:
    sheet = paper_format("TM-T20II", 80)
    plain = render_receipt(make_receipt(), sheet)
    cash = render_receipt(make_receipt(), sheet, open_drawer=True)
    assert decode(plain)[-1] == Command("GS V", b"\x00")
    assert decode(cash)[-1] == Command("GS V", b"\x00")
    assert commands(plain, "ESC p") == []
    assert commands(cash, "ESC p") == [b"\x00\x32\x32"]  # pin 2, 100 ms on and off


def test_bold_survives_a_size_change() -> None:
    # ESC ! (size) also clears bold, so bold must be sent after it, never just before.
    tokens = decode(render_receipt(make_receipt(), paper_format("TM-T20II", 80)))
    for before, after in itertools.pairwise(tokens):
        if before == Command("ESC E", b"\x01"):
            assert not (isinstance(after, Command) and after.name == "ESC !")
    name = next(i for i, token in enumerate(tokens) if token == Command("ESC !", DOUBLE_HEIGHT))
    assert tokens[name + 1] == Command("ESC E", b"\x01")
    assert tokens[name + 2] == Text(b"           Zorgboerderij De Linde vzw\n")


def test_duplicate_is_printed_large() -> None:
    data = render_receipt(make_receipt(duplicate=True), paper_format("TM-T20II", 80))
    tokens = decode(data)
    large_texts = [
        tokens[i + 2]
        for i, token in enumerate(tokens)
        if token == Command("ESC !", DOUBLE_HEIGHT_AND_WIDTH)
    ]
    assert large_texts == [Text(b"       DUPLICAAT\n"), Text(b"       DUPLICAAT\n")]


def test_refund_names_the_original_receipt() -> None:
    refund = make_receipt(
        lines=(ReceiptLine("Bruin brood", "-1", "piece", 160, -160, "6"),),
        total_cents=-160,
        vat_summaries=(VatSummary("6", -151, -9, -160),),
        payments=(Payment("Contant", -160),),
        rounding_cents=0,
        change_cents=0,
        refund_of="HW1-000040",
    )
    text = printed_text(render_receipt(refund, paper_format("TM-T20II", 80)))
    assert "TERUGBETALING" in text
    assert "bij ticket HW1-000040" in text
    assert "  -1 x 1,60" in text.split("\n")
    assert "€ -1,60" in text


def test_kitchen_ticket_is_large_and_cancel_says_annuleer() -> None:
    sheet = paper_format("TM-T20II", 80)
    order = render_kitchen_ticket(make_kitchen_ticket(), sheet)
    cancel = render_kitchen_ticket(make_kitchen_ticket(cancel=True), sheet)
    assert Command("ESC !", DOUBLE_HEIGHT_AND_WIDTH) in decode(order)
    assert "2 x Soep van de dag\n1 x Croque monsieur\n" in printed_text(order)
    assert "  > zonder kaas" in printed_lines(order)
    assert "ANNULEER" not in printed_text(order)
    assert [line.strip() for line in printed_lines(cancel)].count("*** ANNULEER ***") == 2
    assert decode(cancel)[-1] == Command("GS V", b"\x00")


def test_report_prints_rows_and_preformatted_lines() -> None:
    report = TextReport(
        title="X-rapport",
        rows=(("Tickets", "12"), ("Omzet", "€ 345,60")),
        lines=("Contant      120,00", "  Bancontact  225,60"),
        created_at=SALE_TIME,
    )
    lines = printed_lines(render_report(report, paper_format("TM-T88V", 80)))
    assert any(line.startswith("Omzet") and line.endswith("€ 345,60") for line in lines)
    assert "  Bancontact  225,60" in lines
    assert "Datum: 03-03-2026 14:05" in [line.strip() for line in lines]


def test_test_page_shows_printer_profile_code_page_and_a_barcode() -> None:
    data = render_test_page("Bonprinter winkel", paper_format("TM-T88V", 80))
    text = printed_text(data)
    assert "Bonprinter winkel" in text
    assert "TM-T88V" in text
    assert "Codetabel CP858: € é è ç ë" in text
    assert "80 mm, 42 kolommen" in text
    assert "123456789012345678901234567890123456789012\n" in text
    assert commands(data, "GS k") == [bytes([73, 16]) + b"{BPLUSKASSA-TEST"]


def test_a_printer_without_hardware_code128_gets_an_image() -> None:
    data = render_receipt(make_receipt(), paper_format("POS-5890", 58))
    assert commands(data, "GS k") == []
    assert commands(data, "GS (") or commands(data, "GS v")


# A 58 mm TM-T20II receipt: one line, card payment. Generated once from render_receipt and
# read back by eye: ESC @, ESC t 19 (CP858), the tall bold name, "Zo" 0x89 (ë), TOTAAL 0xD5 (€)
# 3,30, the VAT row "A 6%  3,11  0,19  3,30", GS k 73 12 "{BHW1-000007", ESC d 6, GS V 0.
GOLDEN_HEX = (
    "1b401b74131b21001b21001b21101b45012020202020202020202020204465204c696e64650a1b21001b21001b21001b"
    "4500202020202020202020202020202047656e740a20202020202042747720424520303132332e3435362e3738390a0a"
    "5665726b6f6f7070756e743a20486f65766577696e6b656c0a4b617373613a204857310a5469636b65743a204857312d"
    "30303030303720286e722e2037290a446174756d3a2030332d30332d323032362031343a30350a42656469656e64653a"
    "205a6f890a2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d0a45696572656e20283629"
    "20202020202020202020202020202020332c333020410a2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d"
    "2d2d2d2d2d2d2d0a1b21001b21001b21101b4501544f5441414c2020202020202020202020202020202020202020d520"
    "332c33300a1b21001b21001b21001b450042616e636f6e7461637420202020202020202020202020202020d520332c33"
    "300a2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d0a54617269656620202020204261"
    "73697320202020204274772020546f7461616c0a412036252020202020202020332c313120202020302c313920202020"
    "332c33300a2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d2d0a20202020202020202020"
    "2020204d65726369210a1b61011d68401d77021d66001d48021d6b490c7b424857312d3030303030371b61001b64061d"
    "5600"
)


def test_small_receipt_is_byte_exact() -> None:
    receipt = make_receipt(
        organisation_name="De Linde",
        organisation_address="Gent",
        header_text="",
        footer_text="Merci!",
        operator="Zoë",
        lines=(ReceiptLine("Eieren (6)", "1", "piece", 330, 330, "6"),),
        total_cents=330,
        vat_summaries=(VatSummary("6", 311, 19, 330),),
        payments=(Payment("Bancontact", 330),),
        rounding_cents=0,
        change_cents=0,
        receipt_number="HW1-000007",
        ticket_number=7,
    )
    assert render_receipt(receipt, paper_format("TM-T20II", 58)).hex() == GOLDEN_HEX
