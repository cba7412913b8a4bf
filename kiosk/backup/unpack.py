"""Open a backup for restoring: decrypt it, then unpack only what its manifest names, checked.

Nothing here touches the shop's data: everything lands in a work folder, and any doubt (a wrong
passphrase, a changed byte, a member the manifest does not name, a link, a path that leaves the
folder, a checksum that does not match) refuses the whole backup.
"""

from __future__ import annotations

import json
import re
import shutil
import tarfile
from pathlib import Path
from typing import Any

from flask_babel import lazy_gettext as _l

from kiosk.backup.archive import (
    DATABASE_MEMBERS,
    FORMAT_VERSION,
    MANIFEST,
    BackupError,
    sha256,
)
from kiosk.backup.encryption import SealBroken, WrongPassphrase, decrypt_file, is_encrypted

#: a photo in the archive: media/ and a plain file name (photos are named by their content)
MEDIA_MEMBER = re.compile(r"^media/[A-Za-z0-9][A-Za-z0-9._-]*$")


def open_backup(file: Path, work: Path, passphrase: bytes | None) -> tuple[dict[str, Any], Path]:
    """Decrypt (when sealed) and unpack a backup under `work`; return its manifest and folder."""
    plain = file
    if is_encrypted(file):
        if passphrase is None:
            raise BackupError(
                "backup_encrypted",
                _l(
                    "%(file)s is versleuteld: geef de wachtwoordzin met --passphrase-file.",
                    file=file.name,
                ),
            )
        plain = work / "decrypted.tar.gz"
        try:
            decrypt_file(file, plain, passphrase)
        except WrongPassphrase as error:
            raise BackupError(
                "backup_passphrase",
                _l(
                    "De wachtwoordzin past niet bij %(file)s; er is niets teruggezet.",
                    file=file.name,
                ),
            ) from error
        except SealBroken as error:
            raise BackupError(
                "backup_tampered",
                _l(
                    "%(file)s is veranderd of onvolledig sinds de back-up gemaakt werd; "
                    "er is niets teruggezet.",
                    file=file.name,
                ),
            ) from error
    elif passphrase is not None:
        raise BackupError(
            "backup_not_encrypted",
            _l(
                "%(file)s is niet versleuteld en dus niet te controleren met de wachtwoordzin; "
                "laat --passphrase-file weg om hem toch terug te zetten.",
                file=file.name,
            ),
        )
    content = work / "content"
    return read_backup(plain, content, file.name), content


def read_backup(file: Path, folder: Path, name: str | None = None) -> dict[str, Any]:
    """Unpack a backup into `folder` after checking its manifest, its members and checksums."""
    name = name or file.name
    broken = f"{name} is beschadigd of geen PlusKassa-back-up; er is niets teruggezet."
    try:
        with tarfile.open(file, "r:gz") as archive:
            manifest = json.loads(archive.extractfile(MANIFEST).read())  # type: ignore[union-attr]
            files = manifest["files"]
            if manifest.get("app") != "pluskassa" or manifest["format"] not in DATABASE_MEMBERS:
                raise BackupError("backup_unknown", broken)
            if manifest["format_version"] > FORMAT_VERSION:
                raise BackupError(
                    "backup_too_new",
                    "Deze back-up komt van een nieuwere PlusKassa; werk eerst bij.",
                )
            members = archive.getmembers()
            check_members(name, manifest, members)
            for member in members:
                if member.name != MANIFEST:
                    target = folder / member.name
                    target.parent.mkdir(parents=True, exist_ok=True)
                    with archive.extractfile(member) as data, target.open("wb") as out:  # type: ignore[union-attr]
                        shutil.copyfileobj(data, out)
    except BackupError:
        raise
    except (OSError, EOFError, tarfile.TarError, KeyError, TypeError, ValueError) as error:
        raise BackupError("backup_unreadable", broken) from error
    for member, digest in files.items():
        path = folder / member
        if not path.is_file() or sha256(path) != digest:
            raise BackupError(
                "backup_checksum",
                f"{name} is beschadigd: {member} klopt niet met zijn controlesom; "
                "er is niets teruggezet.",
            )
    return manifest  # type: ignore[no-any-return]


def check_members(name: str, manifest: dict[str, Any], members: list[tarfile.TarInfo]) -> None:
    """Refuse an archive holding anything but the manifest's files, once each, as plain files.

    Links, folders, devices, absolute paths and `..` never pass: the manifest may only name the
    database and photos under media/, and every member must be one of those.
    """
    named = set(manifest["files"])
    database = DATABASE_MEMBERS[manifest["format"]]
    strange = [f for f in named if f != database and not MEDIA_MEMBER.match(f)]
    seen: set[str] = set()
    for member in members:
        if not member.isfile() or member.name in seen or member.name not in named | {MANIFEST}:
            strange.append(member.name)  # a second copy of a name would overwrite the first
        seen.add(member.name)
    if strange or database not in named:
        raise BackupError(
            "backup_members",
            _l(
                "%(file)s bevat bestanden die de inhoudslijst niet noemt (%(members)s); "
                "er is niets teruggezet.",
                file=name,
                members=", ".join(sorted(set(strange))[:3]) or database,
            ),
        )
