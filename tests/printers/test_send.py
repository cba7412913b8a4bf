"""Sending to a real (loopback) network printer, and every way a printer can be unavailable."""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from printers.errors import PrinterUnavailable
from printers.formatting import format_amount
from printers.paper import paper_format
from printers.render import render_receipt, render_test_page
from printers.send import send, status
from printers.urls import FileAddress, NetworkAddress, parse_printer_url
from tests.fake_printer import FakeNetworkPrinter
from tests.printers.conftest import make_receipt
from tests.printers.escpos_stream import Command, commands, decode, printed_lines


def test_a_receipt_arrives_byte_for_byte(fake_printer: FakeNetworkPrinter) -> None:
    from escpos.capabilities import get_profile

    receipt = make_receipt()
    data = render_receipt(receipt, paper_format("TM-T20II", 80), open_drawer=True)
    send(parse_printer_url(fake_printer.url), data, timeout=2)

    [job] = fake_printer.wait_for_jobs(1)
    assert job == data
    cp858 = int(get_profile("TM-T20II").get_code_pages()["CP858"])
    assert decode(job)[:2] == [Command("ESC @", b""), Command("ESC t", bytes([cp858]))]
    assert b"\xd5 " + format_amount(receipt.total_cents).encode() in job
    lines = printed_lines(job)
    assert "Bediende: Anaïs" in lines
    assert any(line.startswith("Crème brûlée") for line in lines)
    for summary in receipt.vat_summaries:
        amounts = [
            format_amount(cents)
            for cents in (summary.base_cents, summary.vat_cents, summary.total_cents)
        ]
        assert any(line.split()[1:] == [f"{summary.rate}%", *amounts] for line in lines)
    assert commands(job, "GS k") == [b"\x49\x0c{BHW1-000042"]
    assert commands(job, "ESC p") == [b"\x00\x32\x32"]
    assert decode(job)[-1] == Command("GS V", b"\x00")


def test_several_jobs_arrive_in_order(fake_printer: FakeNetworkPrinter) -> None:
    address = parse_printer_url(fake_printer.url)
    sheet = paper_format("TM-T88V", 80)
    first = render_test_page("Bar", sheet)
    second = render_receipt(make_receipt(), sheet)
    send(address, first)
    send(address, second)
    assert fake_printer.wait_for_jobs(2) == [first, second]
    assert commands(second, "ESC p") == []


def test_status_of_a_printer_that_answers(fake_printer: FakeNetworkPrinter) -> None:
    result = status(parse_printer_url(fake_printer.url))
    assert result.online and result.state == "online"
    assert result.message == f"De printer op 127.0.0.1:{fake_printer.port} is bereikbaar."
    assert fake_printer.wait_for_jobs(1) == [b""]  # a probe prints nothing


@pytest.fixture
def closed_port() -> int:
    """Return a loopback port nothing listens on."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_a_printer_that_is_off_is_unavailable_at_once(closed_port: int) -> None:
    address = NetworkAddress("127.0.0.1", closed_port)
    started = time.monotonic()
    with pytest.raises(PrinterUnavailable) as caught:
        send(address, b"hallo", timeout=5)
    assert time.monotonic() - started < 1
    assert str(caught.value) == (
        f"De printer op 127.0.0.1:{closed_port} weigert de verbinding. "
        "Staat hij aan, en klopt het adres en de poort?"
    )
    assert "ConnectionRefusedError" in caught.value.detail
    offline = status(address)
    assert offline.state == "offline" and not offline.online
    assert offline.message == str(caught.value)


@pytest.fixture
def full_backlog() -> Iterator[int]:
    """Yield the port of a listener that never accepts and whose backlog is already full.

    Linux then drops new connection attempts, as a printer host that does not answer would.
    """
    listener = socket.create_server(("127.0.0.1", 0), backlog=0)
    port = listener.getsockname()[1]
    fillers: list[socket.socket] = []
    try:
        for _ in range(8):
            filler = socket.socket()
            fillers.append(filler)
            filler.settimeout(0.2)
            try:
                filler.connect(("127.0.0.1", port))
            except TimeoutError:
                break
        else:
            pytest.skip("this system never fills a listen backlog")
        yield port
    finally:
        for filler in fillers:
            filler.close()
        listener.close()


def test_a_host_that_does_not_answer_uses_the_timeout(full_backlog: int) -> None:
    started = time.monotonic()
    with pytest.raises(PrinterUnavailable) as caught:
        send(NetworkAddress("127.0.0.1", full_backlog), b"hallo", timeout=0.3)
    elapsed = time.monotonic() - started
    assert 0.25 < elapsed < 2
    assert "antwoordt niet binnen 0,3 seconden" in str(caught.value)


def test_a_stalled_printer_times_out_while_sending() -> None:
    # The connection is made (it waits in the backlog) but nobody reads: the buffers fill up.
    with socket.create_server(("127.0.0.1", 0), backlog=1) as listener:
        address = NetworkAddress("127.0.0.1", listener.getsockname()[1])
        started = time.monotonic()
        with pytest.raises(PrinterUnavailable, match="antwoordt niet binnen 0,5 seconden"):
            send(address, b"x" * 64_000_000, timeout=0.5)
        assert time.monotonic() - started < 3


def test_an_unknown_printer_name_is_reported() -> None:
    with pytest.raises(PrinterUnavailable, match=r"'printer\.invalid' is onbekend op het netwerk"):
        send(NetworkAddress("printer.invalid", 9100), b"hallo", timeout=2)


def test_a_file_printer_receives_the_bytes(tmp_path: Path) -> None:
    device = tmp_path / "lp0"
    device.write_bytes(b"")
    data = render_test_page("Bestand", paper_format("TM-T20II", 58))
    address = parse_printer_url(f"file://{device}")
    assert status(address).online
    send(address, data)
    assert device.read_bytes() == data


def test_a_missing_file_printer_is_unavailable(tmp_path: Path) -> None:
    address = FileAddress(str(tmp_path / "weg" / "lp0"))
    result = status(address)
    assert result.state == "offline"
    assert "Kan niet naar de printer" in result.message
    assert not (tmp_path / "weg").exists()  # probing creates nothing
    with pytest.raises(PrinterUnavailable, match="Kan niet naar de printer"):
        send(address, b"hallo")


def test_usb_and_serial_printers_fail_with_a_dutch_message() -> None:
    # Without the hardware (and here without pyusb/pyserial) both are simply unavailable.
    for url, where in [("usb://04b8:0202", "04b8:0202"), ("serial:///dev/ttyNIETS", "ttyNIETS")]:
        address = parse_printer_url(url)
        with pytest.raises(PrinterUnavailable) as caught:
            send(address, b"hallo", timeout=0.5)
        assert where in str(caught.value)
        assert status(address, timeout=0.5).state == "offline"
