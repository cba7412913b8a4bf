"""Restores that never destroy: a doubtful backup is refused and the shop keeps its own data."""

from __future__ import annotations

import hashlib
import io
import json
import sqlite3
import tarfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from kiosk.extensions import db
from tests.kiosk.backup.test_backups import all_rows, sell, small_sqlite_shop

#: a change to one archive member: its new bytes, or None to leave it out
Change = Callable[[str, bytes], bytes | None]


def repack(
    source: Path, target: Path, change: Change, extra: tuple[tarfile.TarInfo, ...] = ()
) -> None:
    """Copy an archive with some members changed, and the manifest's checksums made to match."""
    members: dict[str, bytes] = {}
    with tarfile.open(source, "r:gz") as archive:
        for member in archive.getmembers():
            content = archive.extractfile(member).read()  # type: ignore[union-attr]
            changed = change(member.name, content)
            if changed is not None:
                members[member.name] = changed
    manifest = json.loads(members.pop("manifest.json"))
    manifest["files"] = {
        name: hashlib.sha256(content).hexdigest() for name, content in members.items()
    }
    with tarfile.open(target, "w:gz") as archive:
        for name, content in [("manifest.json", json.dumps(manifest).encode()), *members.items()]:
            info = tarfile.TarInfo(name)
            info.size = len(content)
            archive.addfile(info, io.BytesIO(content))
        for info in extra:
            archive.addfile(info, io.BytesIO(b"x" * info.size) if info.isfile() else None)


def damage_sqlite(content: bytes) -> bytes:
    """Return a SQLite file whose `sale` table has a broken page (the file still opens)."""
    with sqlite3.connect(":memory:") as probe:
        probe.deserialize(content)
        page_size = probe.execute("PRAGMA page_size").fetchone()[0]
        root = probe.execute("SELECT rootpage FROM sqlite_master WHERE name = 'sale'").fetchone()[0]
    broken = bytearray(content)
    broken[(root - 1) * page_size] = 0xFF  # the page type byte: no page is of type 255
    return bytes(broken)


def backup_between_sales(
    cli: Any, client: FlaskClient, world: dict[str, Any], file: Path, before: int, after: int
) -> Path:
    """Sell, back up to `file`, sell again (the backup then lacks the later sales)."""
    sell(client, world, before)
    assert cli("backup", "--out", str(file)).exit_code == 0
    sell(client, world, after)
    return file


def stop_server(app: Flask) -> None:
    """Close the app's connections, as a restore wants the server stopped."""
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def assert_refused_and_untouched(
    result: Any, app: Flask, before: dict[str, Any], text: str
) -> None:
    """The restore was refused with one Dutch sentence and exit 2; the shop has all its rows."""
    assert result.exit_code == 2, result.output
    assert text in result.stderr
    assert result.stderr.count("\n") == 1 and not result.stderr.startswith("Error")
    assert all_rows(app) == before  # the live database opens and holds every row it had
    stop_server(app)


def test_a_damaged_database_with_matching_checksums_is_refused_even_with_force(
    app: Flask, cli: Any, client: FlaskClient, farm_shop: dict[str, Any], tmp_path: Path
) -> None:
    sell(client, farm_shop, 3)
    damaged = tmp_path / "damaged.tar.gz"
    repack(
        small_sqlite_shop(tmp_path)[0],
        damaged,
        lambda name, content: damage_sqlite(content) if name == "database.sqlite" else content,
    )
    before = all_rows(app)
    stop_server(app)

    result = cli("restore", str(damaged), "--force")

    assert_refused_and_untouched(result, app, before, "is beschadigd; er is niets teruggezet")


def test_a_backup_whose_rows_differ_from_its_manifest_is_refused_and_changes_nothing(
    app: Flask, cli: Any, client: FlaskClient, farm_shop: dict[str, Any], tmp_path: Path
) -> None:
    """On PostgreSQL the rows are loaded and counted in one transaction, which rolls back."""
    good = backup_between_sales(cli, client, farm_shop, tmp_path / "good.tar.gz", 1, 2)

    def claim_more_sales(name: str, content: bytes) -> bytes:
        if name != "manifest.json":
            return content
        manifest = json.loads(content)
        manifest["row_counts"]["sale"] += 4
        return json.dumps(manifest).encode()

    edited = tmp_path / "edited.tar.gz"
    repack(good, edited, claim_more_sales)
    before = all_rows(app)
    stop_server(app)

    result = cli("restore", str(edited), "--force")

    assert_refused_and_untouched(
        result, app, before, "komen niet overeen met de back-up; er is niets teruggezet"
    )


def link(name: str, target: str, kind: bytes = tarfile.SYMTYPE) -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.type, info.linkname = kind, target
    return info


def plain(name: str) -> tarfile.TarInfo:
    info = tarfile.TarInfo(name)
    info.size = 3
    return info


@pytest.mark.parametrize(
    "extra",
    [
        plain("notes.txt"),
        plain("media/../../escaped.txt"),
        plain("/tmp/pluskassa-absolute.txt"),
        link("media/abc123.jpg", "/etc/passwd"),
        link("media/hard.jpg", "database.sqlite", tarfile.LNKTYPE),
        plain("database.sqlite"),  # a second copy that would overwrite the first
    ],
    ids=["extra-file", "dot-dot", "absolute", "symlink", "hard-link", "twice"],
)
def test_an_archive_with_members_the_manifest_does_not_name_is_refused(
    app: Flask,
    cli: Any,
    client: FlaskClient,
    farm_shop: dict[str, Any],
    tmp_path: Path,
    extra: tarfile.TarInfo,
) -> None:
    good = backup_between_sales(cli, client, farm_shop, tmp_path / "good.tar.gz", 2, 1)
    strange = tmp_path / "strange.tar.gz"
    repack(good, strange, lambda _name, content: content, (extra,))
    before = all_rows(app)
    stop_server(app)

    result = cli("restore", str(strange), "--force")

    assert_refused_and_untouched(result, app, before, "die de inhoudslijst niet noemt")
    assert not (tmp_path / "escaped.txt").exists()
    assert not Path("/tmp/pluskassa-absolute.txt").exists()
