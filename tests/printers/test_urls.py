"""Printer URLs: good ones parse to typed addresses, bad ones get a clear Dutch message."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from printers.errors import PrinterUrlError
from printers.urls import (
    BAUDRATES,
    FileAddress,
    NetworkAddress,
    PrinterAddress,
    SerialAddress,
    UsbAddress,
    format_printer_url,
    parse_printer_url,
)


@pytest.mark.parametrize(
    ("url", "address"),
    [
        ("tcp://192.168.1.50:9100", NetworkAddress("192.168.1.50", 9100)),
        ("tcp://192.168.1.50", NetworkAddress("192.168.1.50", 9100)),
        ("tcp://192.168.1.50/", NetworkAddress("192.168.1.50", 9100)),
        ("TCP://Bonprinter.local:9101", NetworkAddress("bonprinter.local", 9101)),
        ("  tcp://keuken-printer:9100  ", NetworkAddress("keuken-printer", 9100)),
        ("usb://04b8:0202", UsbAddress(0x04B8, 0x0202)),
        ("usb://04B8:0E15", UsbAddress(0x04B8, 0x0E15)),
        ("usb://0x0416:0x5011", UsbAddress(0x0416, 0x5011)),
        ("serial:///dev/ttyUSB0", SerialAddress("/dev/ttyUSB0", 9600)),
        ("serial:///dev/ttyUSB0?baudrate=19200", SerialAddress("/dev/ttyUSB0", 19200)),
        (
            "serial:///dev/serial/by-id/usb-Prolific_PL2303-if00",
            SerialAddress("/dev/serial/by-id/usb-Prolific_PL2303-if00", 9600),
        ),
        ("file:///dev/usb/lp0", FileAddress("/dev/usb/lp0")),
    ],
)
def test_good_urls_parse(url: str, address: PrinterAddress) -> None:
    assert parse_printer_url(url) == address


@pytest.mark.parametrize(
    ("url", "words"),
    [
        ("", "Geef een printeradres op"),
        ("   ", "Geef een printeradres op"),
        ("192.168.1.50", "geen printeradres"),
        ("http://192.168.1.50", "Onbekend soort printeradres 'http://'"),
        ("lpt://1", "Onbekend soort printeradres"),
        ("tcp://", "de host ontbreekt"),
        ("tcp://:9100", "de host ontbreekt"),
        ("tcp://192.168.1.50:", "poort '' is geen poortnummer"),
        ("tcp://192.168.1.50:0", "poort '0' is geen poortnummer tussen 1 en 65535"),
        ("tcp://192.168.1.50:65536", "tussen 1 en 65535"),
        ("tcp://192.168.1.50:negen", "poort 'negen'"),
        ("tcp://192.168.1.500:9100", "geen geldige hostnaam of IPv4-adres"),
        ("tcp://printer_!:9100", "geen geldige hostnaam"),
        ("tcp://[::1]:9100", "IPv6-adressen worden niet ondersteund"),
        ("tcp://admin:geheim@printer:9100", "alleen een host en een poort"),
        ("tcp://printer:9100/afdrukken", "alleen een host en een poort"),
        ("usb://04b8", "usb://VVVV:PPPP"),
        ("usb://04b8:02g2", "hexadecimaal"),
        ("usb://04b80:0202", "hexadecimaal"),
        ("usb://0000:0202", "mogen niet 0000 zijn"),
        ("serial://dev/ttyUSB0", "drie schuine strepen"),
        ("serial:///dev/ttyUSB0?baudrate=12345", "baudrate '12345' kan niet"),
        ("serial:///dev/ttyUSB0?baudrate=snel", "baudrate 'snel' kan niet"),
        ("serial:///dev/ttyUSB0?pariteit=even", "onbekende instelling 'pariteit'"),
        ("file://dev/usb/lp0", "drie schuine strepen"),
        ("file:///dev/usb/../sda", "mag alleen letters"),
        ("file:///tmp/bon printer", "mag alleen letters"),
    ],
)
def test_bad_urls_raise_a_dutch_message(url: str, words: str) -> None:
    with pytest.raises(PrinterUrlError) as caught:
        parse_printer_url(url)
    assert words in str(caught.value)
    assert isinstance(caught.value, ValueError)


def test_canonical_urls() -> None:
    assert NetworkAddress("10.0.0.7").url == "tcp://10.0.0.7:9100"
    assert UsbAddress(0x4B8, 0x202).url == "usb://04b8:0202"
    assert SerialAddress("/dev/ttyS0").url == "serial:///dev/ttyS0"
    assert SerialAddress("/dev/ttyS0", 115200).url == "serial:///dev/ttyS0?baudrate=115200"
    assert FileAddress("/dev/usb/lp0").url == "file:///dev/usb/lp0"


_label = st.from_regex(r"[a-z0-9]([a-z0-9-]{0,10}[a-z0-9])?", fullmatch=True)
_hosts = st.one_of(
    # A hostname's last label has a letter; all-digit names are (bad) IPv4 addresses.
    st.lists(_label, min_size=1, max_size=4)
    .map(".".join)
    .filter(lambda host: any(char.isalpha() for char in host.rsplit(".", 1)[-1])),
    st.ip_addresses(v=4).map(str),
)
_paths = (
    st.lists(
        st.from_regex(r"[A-Za-z0-9_+-][A-Za-z0-9_.+-]{0,15}", fullmatch=True),
        min_size=1,
        max_size=4,
    )
    .map(lambda parts: "/" + "/".join(parts))
    .filter(lambda path: "/../" not in path + "/" and "/./" not in path + "/")
)
_addresses = st.one_of(
    st.builds(NetworkAddress, _hosts, st.integers(1, 65535)),
    st.builds(UsbAddress, st.integers(1, 0xFFFF), st.integers(1, 0xFFFF)),
    st.builds(SerialAddress, _paths, st.sampled_from(BAUDRATES)),
    st.builds(FileAddress, _paths),
)


@given(_addresses)
def test_every_address_survives_a_round_trip(address: PrinterAddress) -> None:
    url = format_printer_url(address)
    assert parse_printer_url(url) == address
    assert format_printer_url(parse_printer_url(url)) == url


@given(st.text(max_size=60))
def test_any_text_parses_or_raises_printer_url_error(text: str) -> None:
    try:
        address = parse_printer_url(text)
    except PrinterUrlError as error:
        assert str(error)
    else:
        assert parse_printer_url(address.url) == address
