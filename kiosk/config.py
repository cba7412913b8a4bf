"""Configuration: defaults, then the instance folder, then PLUSKASSA_* environment, then tests.

This is the only module that reads the environment.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Mapping
from datetime import timedelta
from pathlib import Path
from typing import Any

from flask import Flask

ENV_PREFIX = "PLUSKASSA"
INSTANCE_CONFIG_FILE = "pluskassa.cfg"
SECRET_KEY_FILE = "secret_key"

DEFAULTS: dict[str, Any] = {
    "DATABASE_URL": None,  # None: SQLite file pluskassa.db in the instance folder
    "SQLITE_BUSY_TIMEOUT_MS": 10000,
    "LANGUAGES": ["nl", "en"],
    "BABEL_DEFAULT_LOCALE": "nl",
    "BABEL_DEFAULT_TIMEZONE": "Europe/Brussels",
    "TIMEZONE": "Europe/Brussels",
    "MAX_CONTENT_LENGTH": 8 * 1024 * 1024,
    "PHOTO_MAX_BYTES": 5 * 1024 * 1024,
    "PRODUCT_FILE_MAX_BYTES": 2 * 1024 * 1024,
    # PostgreSQL planner: 1.1 suits SSD storage; 4 is PostgreSQL's default for spinning disks
    "POSTGRESQL_RANDOM_PAGE_COST": 1.1,
    "SESSION_COOKIE_HTTPONLY": True,
    "SESSION_COOKIE_SAMESITE": "Lax",
    "REMEMBER_COOKIE_HTTPONLY": True,
    "WTF_CSRF_TIME_LIMIT": None,
    "SQLALCHEMY_TRACK_MODIFICATIONS": False,
    "WAITRESS_THREADS": 8,
    "PRINT_WORKER": True,  # serve and demo print in a background thread
    "PRINT_POLL_SECONDS": 2.0,
    "PRINT_TIMEOUT_SECONDS": 5.0,
    "HOST": "127.0.0.1",
    "PORT": 8080,
    # --- limits on guessing and back-office sessions (kiosk/organisation/login_limits.py) ---
    "PIN_MAX_FAILURES_PER_USER": 5,  # wrong PINs for one user within the window lock that user
    "PIN_MAX_FAILURES_PER_TILL": 20,  # wrong PINs at one till (any user) lock that till
    "PIN_FAILURE_WINDOW_MINUTES": 15,
    "PIN_LOCK_MINUTES": 15,
    "LOGIN_MAX_FAILURES_PER_USER": 5,  # wrong back-office passwords for one user name
    "LOGIN_MAX_FAILURES_PER_IP": 20,  # wrong logins from one address (any name)
    "LOGIN_FAILURE_WINDOW_MINUTES": 15,
    "LOGIN_LOCK_MINUTES": 15,
    "ADMIN_IDLE_MINUTES": 30,  # a back-office session ends after this long without a request
    "ADMIN_SESSION_MAX_HOURS": 12,  # and this long after logging in, whatever happens
    # --- end of limits on guessing ---
    # --- backups (issue #8, kiosk/backup/archive.py, kiosk/backup/schedule.py) ---
    "BACKUP_DIR": None,  # None: the folder backups/ in the instance folder
    "BACKUP_TIME": "03:30",  # the daily automatic backup, Europe/Brussels
    "BACKUP_KEEP": 14,  # automatic backups kept in BACKUP_DIR (older ones are deleted)
    "BACKUP_AUTO": True,  # serve and demo make the daily backup in a background thread
    "BACKUP_PASSPHRASE_FILE": None,  # a file with a passphrase: the daily backups are encrypted
    # --- end of backups ---
    # customers' personal data on orders is erased this many days after payment or handing over
    "ORDER_PRIVACY_DAYS": 30,
    # an association's monthly invoice of customers' orders is due this many days after it is made
    "INVOICE_PAYMENT_DAYS": 30,
}


def default_instance_path() -> str:
    """Return the instance folder: PLUSKASSA_INSTANCE, else the user's data folder."""
    configured = os.environ.get(f"{ENV_PREFIX}_INSTANCE")
    if configured:
        return str(Path(configured).expanduser().resolve())
    data_home = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return str(Path(data_home) / "pluskassa")


def load_config(app: Flask, test_config: Mapping[str, Any] | None) -> None:
    """Fill app.config in order: defaults, instance file, environment, test mapping."""
    app.config.from_mapping(DEFAULTS)
    app.config.from_pyfile(INSTANCE_CONFIG_FILE, silent=True)
    app.config.from_prefixed_env(ENV_PREFIX)
    if test_config:
        app.config.from_mapping(test_config)
    # limits on guessing: the session cookie lives as long as an idle back-office session may
    app.config["PERMANENT_SESSION_LIFETIME"] = timedelta(
        minutes=float(app.config["ADMIN_IDLE_MINUTES"])
    )
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = instance_secret_key(Path(app.instance_path))
    app.config["SQLALCHEMY_DATABASE_URI"] = database_url(app)
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = engine_options(app.config["SQLALCHEMY_DATABASE_URI"])


def instance_secret_key(instance: Path) -> str:
    """Read the secret key kept in the instance folder, making one on first run."""
    key_file = instance / SECRET_KEY_FILE
    if key_file.exists():
        return key_file.read_text().strip()
    key = secrets.token_hex(32)
    try:
        fd = os.open(key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another process made it a moment ago
        return key_file.read_text().strip()
    with os.fdopen(fd, "w") as handle:
        handle.write(key)
    return key


def database_url(app: Flask) -> str:
    """Return the SQLAlchemy URL: PLUSKASSA_DATABASE_URL or SQLite in the instance folder."""
    url = app.config.get("DATABASE_URL")
    if url:
        return str(url).replace("postgresql://", "postgresql+psycopg://", 1)
    return "sqlite:///" + str(Path(app.instance_path) / "pluskassa.db")


def engine_options(url: str) -> dict[str, Any]:
    """Return engine options fit for the database behind `url`."""
    if url.startswith("sqlite"):
        return {"connect_args": {"check_same_thread": False}}
    return {"pool_pre_ping": True, "pool_size": 10, "max_overflow": 10}
