"""Split an ESC/POS byte stream into commands and text, so tests can read what a printer gets."""

from __future__ import annotations

from dataclasses import dataclass

ESC, GS = 0x1B, 0x1D

# Commands with a fixed number of parameter bytes after the two command bytes.
_FIXED = {
    (ESC, ord("@")): 0,
    (ESC, ord("t")): 1,
    (ESC, ord("E")): 1,
    (ESC, ord("!")): 1,
    (ESC, ord("a")): 1,
    (ESC, ord("d")): 1,
    (ESC, ord("p")): 3,
    (GS, ord("!")): 1,
    (GS, ord("h")): 1,
    (GS, ord("w")): 1,
    (GS, ord("f")): 1,
    (GS, ord("H")): 1,
}


@dataclass(frozen=True)
class Command:
    """One command: its two command bytes as text ("ESC t", "GS k") and its parameters."""

    name: str
    params: bytes


@dataclass(frozen=True)
class Text:
    """A run of printable bytes (and line feeds)."""

    data: bytes


def decode(stream: bytes) -> list[Command | Text]:
    """Split stream into commands and text runs; raise on a command this decoder does not know."""
    tokens: list[Command | Text] = []
    i = 0
    text_start = 0
    while i < len(stream):
        if stream[i] not in (ESC, GS):
            i += 1
            continue
        if text_start < i:
            tokens.append(Text(stream[text_start:i]))
        prefix, command = stream[i], stream[i + 1]
        name = f"{'ESC' if prefix == ESC else 'GS'} {chr(command)}"
        length = _length(stream, i, prefix, command)
        tokens.append(Command(name, stream[i + 2 : i + 2 + length]))
        i += 2 + length
        text_start = i
    if text_start < len(stream):
        tokens.append(Text(stream[text_start:]))
    return tokens


def _length(stream: bytes, i: int, prefix: int, command: int) -> int:
    if (prefix, command) in _FIXED:
        return _FIXED[(prefix, command)]
    if (prefix, command) == (GS, ord("V")):
        return 2 if stream[i + 2] in (65, 66) else 1
    if (prefix, command) == (GS, ord("k")):
        kind = stream[i + 2]
        if kind >= 65:  # function B: kind, length, data
            return 2 + stream[i + 3]
        return stream.index(0, i + 3) - i - 1  # function A: data ends with NUL
    if (prefix, command) == (GS, ord("(")):  # GS ( L pL pH data
        return 3 + stream[i + 3] + 256 * stream[i + 4]
    if (prefix, command) == (GS, ord("v")):  # GS v 0 m xL xH yL yH data (raster image)
        width = stream[i + 4] + 256 * stream[i + 5]
        height = stream[i + 6] + 256 * stream[i + 7]
        return 6 + width * height
    raise ValueError(f"unknown command {stream[i : i + 2]!r} at byte {i}")


def commands(stream: bytes, name: str) -> list[bytes]:
    """Return the parameters of every command called name, in order."""
    return [
        token.params
        for token in decode(stream)
        if isinstance(token, Command) and token.name == name
    ]


def printed_text(stream: bytes) -> str:
    """Return all printed text, decoded as CP858."""
    return b"".join(token.data for token in decode(stream) if isinstance(token, Text)).decode(
        "cp858"
    )


def printed_lines(stream: bytes) -> list[str]:
    """Return the printed text split into lines."""
    return printed_text(stream).split("\n")
