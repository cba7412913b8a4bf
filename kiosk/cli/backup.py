"""`pluskassa backup` and `pluskassa restore`: a consistent copy of the shop, and back."""

from __future__ import annotations

from pathlib import Path

import click

from kiosk.backup.archive import make_backup, record_backup, rotate
from kiosk.backup.restore import restore_backup
from kiosk.backup.schedule import backup_folder
from kiosk.cli.base import Context, instance_option, pass_context
from kiosk.models.types import utcnow


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
@pass_context
def backup(context: Context, out: Path | None, rotate_after: bool, keep: int | None) -> None:
    """Maak een back-up terwijl de kassa verkoopt: database, foto's en controlesommen."""
    folder = backup_folder(context.app)
    target = out if out is not None else folder
    if out is None:
        folder.mkdir(parents=True, exist_ok=True)
    with context.transaction():
        try:
            made = make_backup(target, utcnow())
        except OSError as error:
            raise click.ClickException(
                f"Kan de back-up niet schrijven naar {target}: {error.strerror or error}."
            ) from error
        record_backup(made)
    counts = made.manifest["row_counts"]
    click.echo(
        f"Back-up geschreven naar {made.path} ({made.manifest['format']}, "
        f"{counts.get('sale', 0)} verkopen, {sum(counts.values())} rijen)."
    )
    if rotate_after:
        removed = rotate(made.path.parent, keep or int(context.app.config["BACKUP_KEEP"]))
        click.echo(f"{len(removed)} oudere back-up(s) verwijderd uit {made.path.parent}.")


@click.command()
@instance_option
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--force", is_flag=True, help="Overschrijf een database die al gegevens bevat.")
@pass_context
def restore(context: Context, file: Path, force: bool) -> None:
    """Zet een back-up terug en breng de database naar het nieuwste schema."""
    with context.transaction():
        manifest = restore_backup(file, force=force)
    click.echo(
        f"Back-up van {manifest['created_at']} teruggezet "
        f"({manifest['row_counts'].get('sale', 0)} verkopen). Start de server opnieuw."
    )
