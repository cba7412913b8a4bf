"""Encrypted backups: nothing readable on the stick, and any change or wrong passphrase refused."""

from __future__ import annotations

import gzip
import os
import tarfile
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from kiosk.backup import encryption
from kiosk.backup.archive import BACKUP_NAME, BackupError, backup_name
from kiosk.backup.encryption import (
    HEADER,
    SealBroken,
    WrongPassphrase,
    decrypt_file,
    encrypt_file,
    is_encrypted,
)
from kiosk.backup.rows import count_rows
from kiosk.backup.schedule import BackupScheduler
from kiosk.extensions import db
from tests.conftest import Shop, postgres_url
from tests.kiosk.backup.test_backups import all_rows, app_on, restore, sell, target_url

__all__ = ["target_url"]  # the fixture, shared with test_backups

CARE_USER = "Mieke Vanderstraeten"
PHOTO = b"\xff\xd8 a photo of Mieke at the till \xff\xd9"


def passphrase_file(folder: Path, text: str) -> Path:
    path = folder / f"passphrase-{len(list(folder.glob('passphrase-*')))}.txt"
    path.write_text(text + "\n")
    return path


def changed(source: Path, target: Path, edit: Any) -> Path:
    """Write a copy of `source` with its bytes edited."""
    data = bytearray(source.read_bytes())
    target.write_bytes(bytes(edit(data)))
    return target


def flip(position: int) -> Any:
    def edit(data: bytearray) -> bytearray:
        data[position] ^= 0x01
        return data

    return edit


def test_an_encrypted_backup_reveals_nothing_and_restores_only_with_its_passphrase(
    app: Flask,
    cli: Any,
    client: FlaskClient,
    shop: Shop,
    farm_shop: dict[str, Any],
    instance_path: Path,
    target_url: str,
    tmp_path: Path,
) -> None:
    shop.user(CARE_USER, pin="4711")
    sell(client, farm_shop, 2)
    (instance_path / "media").mkdir()
    (instance_path / "media" / "face123.jpg").write_bytes(PHOTO)
    secret = passphrase_file(tmp_path, "paarden-batterij-nietje correct")
    stick = tmp_path / "usb"
    stick.mkdir()

    made = cli("backup", "--out", str(stick), "--passphrase-file", str(secret))

    assert made.exit_code == 0, made.output
    [sealed] = list(stick.iterdir())
    assert BACKUP_NAME.match(sealed.name) and sealed.name.endswith(".tar.gz.enc")
    content = sealed.read_bytes()
    for plain_text in (CARE_USER.encode(), b"Vanderstraeten", PHOTO, b"manifest.json"):
        assert plain_text not in content
    with pytest.raises(tarfile.ReadError), tarfile.open(sealed):
        pass  # not a (compressed) archive either
    if not postgres_url():  # the control: unencrypted, the stick does show the name
        assert cli("backup", "--out", str(tmp_path / "plain.tar.gz")).exit_code == 0
        assert CARE_USER.encode() in gzip.decompress((tmp_path / "plain.tar.gz").read_bytes())
    new = tmp_path / "new-machine"
    header_end = HEADER.size
    wrong = passphrase_file(tmp_path, "paarden-batterij-nietje fout")
    flipped = changed(sealed, tmp_path / "flipped.enc", flip(header_end + len(content) // 3))
    cut = changed(sealed, tmp_path / "cut.enc", lambda data: data[:-40])
    refusals = [
        ("is versleuteld: geef de wachtwoordzin met --passphrase-file", sealed, None),
        ("De wachtwoordzin past niet bij", sealed, wrong),
        ("is veranderd of onvolledig sinds de back-up gemaakt werd", flipped, secret),
        ("is veranderd of onvolledig sinds de back-up gemaakt werd", cut, secret),
        ("is niet versleuteld", tmp_path / "plain.tar.gz", secret),
    ]
    for message, file, passphrase in refusals:
        if not file.exists():
            continue  # the plain control backup is only made on SQLite
        flags = ("--passphrase-file", str(passphrase)) if passphrase else ()
        result = restore(file, new, target_url, *flags)
        assert result.exit_code == 2, (message, result.output)
        assert message in result.stderr and result.stderr.count("\n") == 1
        check = app_on(target_url, new)
        with check.app_context(), db.engine.connect() as connection:
            assert "sale" not in count_rows(connection)  # nothing was put in place
        with check.app_context():
            db.engine.dispose()

    restored = restore(sealed, new, target_url, "--passphrase-file", str(secret))

    assert restored.exit_code == 0, restored.output
    assert (new / "media" / "face123.jpg").read_bytes() == PHOTO
    new_app = app_on(target_url, new)
    before, after = all_rows(app), all_rows(new_app)
    for name in ("sale", "sale_line", "payment", "user_account", "product"):
        assert after[name] == before[name], name
    with new_app.app_context():
        db.engine.dispose()


def test_sealed_chunks_catch_truncation_reordering_and_appending(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(encryption, "CHUNK", 1024)
    plain = tmp_path / "plain"
    plain.write_bytes(os.urandom(4 * 1024 + 100))  # five chunks, the last one short
    sealed = tmp_path / "sealed"
    encrypt_file(plain, sealed, b"geheim")
    opened = tmp_path / "opened"
    decrypt_file(sealed, opened, b"geheim")
    assert opened.read_bytes() == plain.read_bytes()
    size = 1024 + encryption.TAG
    start = HEADER.size

    def swap_chunks(data: bytearray) -> bytearray:
        first, second = data[start : start + size], data[start + size : start + 2 * size]
        return data[:start] + second + first + data[start + 2 * size :]

    edits = {
        "cut at a chunk boundary": lambda data: data[: start + 3 * size],
        "cut in the header": lambda data: data[: start - 5],
        "chunks swapped": swap_chunks,
        "a chunk appended": lambda data: data + data[start : start + size],
        "one byte in the last chunk": flip(-1),
        "the chunk size in the header": flip(8 + 4 + 2),
    }
    for what, edit in edits.items():
        with pytest.raises(SealBroken):
            decrypt_file(changed(sealed, tmp_path / "edited", edit), opened, b"geheim")
            pytest.fail(what)
    with pytest.raises(WrongPassphrase):
        decrypt_file(sealed, opened, b"Geheim")
    empty = tmp_path / "empty"
    empty.write_bytes(b"")
    encrypt_file(empty, sealed, b"geheim")
    decrypt_file(sealed, opened, b"geheim")
    assert opened.read_bytes() == b"" and is_encrypted(sealed) and not is_encrypted(plain)


def test_the_daily_backup_encrypts_when_a_passphrase_file_is_set(
    app: Flask, farm_shop: dict[str, Any], tmp_path: Path
) -> None:
    folder = tmp_path / "daily"
    folder.mkdir()
    monday = datetime(2026, 11, 23, 11, 0, tzinfo=UTC)
    for days, encrypted in ((3, False), (2, True)):  # older backups of both kinds
        (folder / backup_name(monday - timedelta(days=days), encrypted=encrypted)).write_text("x")
    app.config.update(BACKUP_DIR=str(folder), BACKUP_KEEP=2)
    app.config["BACKUP_PASSPHRASE_FILE"] = str(tmp_path / "missing.txt")
    scheduler = BackupScheduler(app)

    with pytest.raises(BackupError, match="kan niet gelezen worden"):
        scheduler.check(monday)  # never a plain backup in an encrypted one's place
    assert len(list(folder.iterdir())) == 2

    app.config["BACKUP_PASSPHRASE_FILE"] = str(passphrase_file(tmp_path, "nachtelijk geheim"))
    made = scheduler.check(monday)

    assert made is not None and made.name == backup_name(monday, encrypted=True)
    assert is_encrypted(made)
    opened = tmp_path / "opened.tar.gz"
    decrypt_file(made, opened, b"nachtelijk geheim")
    with tarfile.open(opened) as archive:
        assert "manifest.json" in archive.getnames()
    # rotation keeps the newest two, whichever kind they are
    assert sorted(p.name for p in folder.iterdir()) == [
        backup_name(monday - timedelta(days=2), encrypted=True),
        made.name,
    ]
