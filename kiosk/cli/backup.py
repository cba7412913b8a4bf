"""`pluskassa backup` and `pluskassa restore`: a consistent copy of the shop, and back."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from kiosk.backup.archive import make_backup, read_passphrase, record_backup, rotate
from kiosk.backup.restore import restore_backup
from kiosk.backup.schedule import backup_folder
from kiosk.cli.base import Context, Refusal, instance_option, pass_context
from kiosk.errors import OperationError
from kiosk.models.types import utcnow

PASSPHRASE_HELP = "Bestand met de wachtwoordzin die de back-up versleutelt (AES-256-GCM)."


class Refused(Refusal):
    """A refused restore: its one Dutch sentence on stderr, exit status 2, nothing changed."""

    exit_code = 2


def passphrase_option(command: Any) -> Any:
    """Add the `--passphrase-file` option to a command."""
    return click.option(
        "--passphrase-file",
        type=click.Path(exists=True, dir_okay=False, path_type=Path),
        default=None,
        help=PASSPHRASE_HELP,
    )(command)


@click.command()
@instance_option
@click.option(
    "--out",
    type=click.Path(path_type=Path),
    default=None,
    help="Bestand (.tar.gz) of map; standaard de back-upmap (PLUSKASSA_BACKUP_DIR).",
)
@click.option("--rotate", "rotate_after", is_flag=True, help="Hou daarna alleen de nieuwste over.")
@click.option("--keep", type=click.IntRange(1), default=None, help="Hoeveel (standaard 14).")
@passphrase_option
@pass_context
def backup(
    context: Context,
    out: Path | None,
    rotate_after: bool,
    keep: int | None,
    passphrase_file: Path | None,
) -> None:
    """Maak een back-up terwijl de kassa verkoopt: database, foto's en controlesommen."""
    folder = backup_folder(context.app)
    target = out if out is not None else folder
    if out is None:
        folder.mkdir(parents=True, exist_ok=True)
    with context.transaction():
        passphrase = read_passphrase(passphrase_file) if passphrase_file else None
        try:
            made = make_backup(target, utcnow(), passphrase)
        except OSError as error:
            raise click.ClickException(
                f"Kan de back-up niet schrijven naar {target}: {error.strerror or error}."
            ) from error
        record_backup(made)
    counts = made.manifest["row_counts"]
    click.echo(
        f"Back-up geschreven naar {made.path} ({made.manifest['format']}, "
        f"{'versleuteld, ' if passphrase else ''}"
        f"{counts.get('sale', 0)} verkopen, {sum(counts.values())} rijen)."
    )
    if rotate_after:
        removed = rotate(made.path.parent, keep or int(context.app.config["BACKUP_KEEP"]))
        click.echo(f"{len(removed)} oudere back-up(s) verwijderd uit {made.path.parent}.")


@click.command()
@instance_option
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Overschrijf een database die al gegevens bevat.")
@passphrase_option
@pass_context
def restore(context: Context, file: Path, force: bool, passphrase_file: Path | None) -> None:
    """Zet een back-up terug en breng de database naar het nieuwste schema."""
    with context.transaction():
        try:
            passphrase = read_passphrase(passphrase_file) if passphrase_file else None
            manifest = restore_backup(file, force=force, passphrase=passphrase)
        except OperationError as refusal:
            raise Refused(refusal.message) from refusal
    click.echo(
        f"Back-up van {manifest['created_at']} teruggezet "
        f"({manifest['row_counts'].get('sale', 0)} verkopen). Start de server opnieuw."
    )
