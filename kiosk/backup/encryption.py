"""Encrypted backups: AES-256-GCM in authenticated chunks, with a key made from a passphrase.

An encrypted file is a header, then chunks. The header holds a magic, the format version, the
scrypt parameters and salt, the chunk size, a nonce prefix and a check value of the key, so that
a wrong passphrase is told apart from a changed file. Every chunk is sealed with the whole header
as associated data and a nonce made of the prefix, the chunk's index and a final flag (the STREAM
construction): a changed byte anywhere, chunks swapped or dropped, and a cut-off end all fail.
Files of any size pass through in chunks, never whole in memory. No Flask here.
"""

from __future__ import annotations

import hmac
import os
import struct
from dataclasses import dataclass, replace
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

MAGIC = b"PKBACKUP"
VERSION = 1
#: magic, version, log2(scrypt n), scrypt r, scrypt p, chunk size, salt, nonce prefix, key check
HEADER = struct.Struct(">8sBBBBI16s7s16s")
#: scrypt's cost: 2**15 x 8 x 128 bytes = 32 MiB of memory, a fraction of a second
SCRYPT_LOG2_N, SCRYPT_R, SCRYPT_P = 15, 8, 1
CHUNK = 1 << 16
TAG = 16


class WrongPassphrase(Exception):
    """The passphrase does not open this file."""


class SealBroken(Exception):
    """The file is not an encrypted backup we know, or was changed or cut off after sealing."""


@dataclass(frozen=True)
class Header:
    """The parameters at the start of an encrypted file."""

    log2_n: int
    r: int
    p: int
    chunk_size: int
    salt: bytes
    nonce_prefix: bytes
    key_check: bytes

    def pack(self) -> bytes:
        """Return the header's bytes."""
        return HEADER.pack(
            MAGIC,
            VERSION,
            self.log2_n,
            self.r,
            self.p,
            self.chunk_size,
            self.salt,
            self.nonce_prefix,
            self.key_check,
        )

    @classmethod
    def unpack(cls, data: bytes) -> Header:
        """Read a header; refuse unknown versions and costs no backup of ours would use."""
        if len(data) != HEADER.size:
            raise SealBroken("short header")
        magic, version, log2_n, r, p, chunk_size, salt, prefix, check = HEADER.unpack(data)
        if magic != MAGIC or version != VERSION:
            raise SealBroken("unknown format")
        if not (10 <= log2_n <= 18 and 1 <= r <= 16 and 1 <= p <= 4):
            raise SealBroken("unreasonable key costs")  # would take gigabytes or hours
        if not 1024 <= chunk_size <= 1 << 24:
            raise SealBroken("unreasonable chunk size")
        return cls(log2_n, r, p, chunk_size, salt, prefix, check)


def is_encrypted(path: Path) -> bool:
    """Return whether a file starts like an encrypted backup."""
    with path.open("rb") as handle:
        return handle.read(len(MAGIC)) == MAGIC


def derive_key(passphrase: bytes, header: Header) -> tuple[bytes, bytes]:
    """Return the AES key and the check value that scrypt makes from the passphrase."""
    material = Scrypt(
        salt=header.salt, length=48, n=2**header.log2_n, r=header.r, p=header.p
    ).derive(passphrase)
    return material[:32], material[32:]


def chunk_nonce(prefix: bytes, index: int, final: bool) -> bytes:
    """Return the 12-byte nonce of chunk `index`: prefix, index, and whether it is the last."""
    return prefix + index.to_bytes(4, "big") + (b"\x01" if final else b"\x00")


def encrypt_file(source: Path, target: Path, passphrase: bytes) -> None:
    """Write `source` encrypted and authenticated to `target`."""
    draft = Header(SCRYPT_LOG2_N, SCRYPT_R, SCRYPT_P, CHUNK, os.urandom(16), os.urandom(7), b"")
    key, check = derive_key(passphrase, draft)
    header = replace(draft, key_check=check).pack()
    sealer = AESGCM(key)
    with source.open("rb") as plain, target.open("wb") as out:
        out.write(header)
        block, index = plain.read(CHUNK), 0
        while True:
            following = plain.read(CHUNK)
            final = not following
            out.write(sealer.encrypt(chunk_nonce(draft.nonce_prefix, index, final), block, header))
            if final:
                return
            block, index = following, index + 1


def decrypt_file(source: Path, target: Path, passphrase: bytes) -> None:
    """Write the plain content of `source` to `target`; raise at the first sign of a change."""
    with source.open("rb") as sealed, target.open("wb") as out:
        header_bytes = sealed.read(HEADER.size)
        header = Header.unpack(header_bytes)
        key, check = derive_key(passphrase, header)
        if not hmac.compare_digest(check, header.key_check):
            raise WrongPassphrase()
        opener = AESGCM(key)
        size = header.chunk_size + TAG
        block, index = sealed.read(size), 0
        while True:
            following = sealed.read(size)
            final = not following
            nonce = chunk_nonce(header.nonce_prefix, index, final)
            try:
                out.write(opener.decrypt(nonce, block, header_bytes))
            except InvalidTag as error:
                raise SealBroken(f"chunk {index} does not authenticate") from error
            if final:
                return
            block, index = following, index + 1
