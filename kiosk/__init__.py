"""PlusKassa: a point-of-sale and kiosk system for Flemish plus-plekken."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from flask import Flask

from kiosk.compression import register_compression
from kiosk.config import default_instance_path, load_config
from kiosk.database import register_database
from kiosk.errors import register_error_handlers
from kiosk.extensions import csrf, db, login_manager, migrate
from kiosk.i18n import register_babel
from kiosk.security import register_security
from kiosk.till.assets import register_till_assets
from printers import use_capabilities_cache

MIGRATIONS = str(Path(__file__).parent / "migrations")


def create_app(
    test_config: Mapping[str, Any] | None = None, *, instance_path: str | None = None
) -> Flask:
    """Build the PlusKassa application."""
    folder = Path(instance_path).expanduser().resolve() if instance_path else None
    app = Flask(__name__, instance_path=str(folder or default_instance_path()))
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    load_config(app, test_config)
    use_capabilities_cache(app.instance_path)  # python-escpos writes a cache when first used
    register_database(app)
    register_extensions(app)
    register_babel(app)
    register_blueprints(app)
    register_till_assets(app)
    register_error_handlers(app)
    register_security(app)
    register_compression(app)
    return app


def register_extensions(app: Flask) -> None:
    """Bind migrations, logins and CSRF protection."""
    migrate.init_app(app, db, directory=MIGRATIONS, render_as_batch=True, compare_type=True)
    csrf.init_app(app)
    login_manager.init_app(app)


def register_blueprints(app: Flask) -> None:
    """Mount the till, the API and the back office."""
    # admin builds on kiosk (imports flow admin → kiosk), so it is imported here, not at the top
    from admin import bp as admin_bp
    from kiosk import api, till

    csrf.exempt(api.bp)  # the API authenticates by bearer token, never by cookie
    app.register_blueprint(till.bp)
    app.register_blueprint(api.bp)
    app.register_blueprint(admin_bp)
