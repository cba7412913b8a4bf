"""What every `pluskassa` command shares: the instance folder, the app, one transaction."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import IO, Any, TypeVar

import click
from flask import Flask

from kiosk import create_app
from kiosk.database import DatabaseUnversioned
from kiosk.errors import OperationError
from kiosk.extensions import db


class Refusal(click.ClickException):
    """A refused command: its Dutch sentence alone on stderr, exit status 1, nothing changed."""

    def show(self, file: IO[Any] | None = None) -> None:
        """Print the sentence alone (no English "Error:" before it)."""
        click.echo(self.format_message(), err=True, file=file)


class Context:
    """What every command needs: a way to build the app for the chosen instance folder."""

    def __init__(self, instance: str | None) -> None:
        self.instance = instance
        self._app: Flask | None = None

    @property
    def app(self) -> Flask:
        """Build the application once."""
        if self._app is None:
            self._app = create_app(instance_path=self.instance)
        return self._app

    def close(self) -> None:
        """Close the database connections the command opened."""
        if self._app is not None:
            with self._app.app_context():
                db.engine.dispose()

    @contextmanager
    def transaction(self) -> Iterator[None]:
        """Run a command's work in one transaction: commit at the end, or change nothing."""
        with self.app.app_context():
            try:
                yield
                db.session.commit()
            except OperationError as error:
                db.session.rollback()
                raise click.ClickException(error.message) from error
            except DatabaseUnversioned as error:
                db.session.rollback()
                raise Refusal(str(error)) from error
            except BaseException:
                db.session.rollback()
                raise


pass_context = click.make_pass_decorator(Context)


def remember_instance(ctx: click.Context, _param: click.Parameter, value: str | None) -> None:
    """Let `--instance DIR` also follow the command name (`pluskassa demo --instance DIR`)."""
    if value:
        ctx.ensure_object(Context).instance = value


INSTANCE_HELP = "Map met de gegevens (standaard PLUSKASSA_INSTANCE of ~/.local/share/pluskassa)."

#: a command function, before or after click's decorators
F = TypeVar("F", bound=Callable[..., Any])


def instance_option(command: F) -> F:
    """Add the `--instance` option to a command."""
    return click.option(
        "--instance",
        type=click.Path(file_okay=False),
        expose_value=False,
        callback=remember_instance,
        help=INSTANCE_HELP,
    )(command)
