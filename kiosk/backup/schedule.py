"""The automatic daily backup: a thread in the server process, like the print worker.

Once a day, at PLUSKASSA_BACKUP_TIME (Brussels), it writes a backup into PLUSKASSA_BACKUP_DIR and
keeps the newest PLUSKASSA_BACKUP_KEEP there. A shop's computer is often off at night: whenever
the last backup in the folder is older than the latest due moment, one is made (shortly after
the server starts, or at the next check). With PLUSKASSA_BACKUP_PASSPHRASE_FILE set, every
backup is encrypted with the passphrase in that file; when the file cannot be read, no backup is
made (never a plain one in its place) and the error is logged.
"""

from __future__ import annotations

import logging
import threading
from datetime import datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from flask import Flask

from kiosk.backup.archive import (
    make_backup,
    newest_backup,
    read_passphrase,
    record_backup,
    rotate,
)
from kiosk.extensions import db
from kiosk.models.types import utcnow
from kiosk.printing.worker import write_transaction

log = logging.getLogger(__name__)

#: after a failed backup, wait this long before the next try (a full disk should not spam the log)
RETRY_AFTER = timedelta(hours=1)


def backup_folder(app: Flask) -> Path:
    """Return the folder of the automatic backups."""
    configured = app.config.get("BACKUP_DIR")
    return Path(configured).expanduser() if configured else Path(app.instance_path) / "backups"


def backup_time(text: str) -> time:
    """Parse the daily backup time, "HH:MM"; an unreadable one falls back to 03:30."""
    try:
        return time.fromisoformat(str(text))
    except ValueError:
        log.error("PLUSKASSA_BACKUP_TIME %r is geen tijd (UU:MM); 03:30 wordt gebruikt", text)
        return time(3, 30)


def last_due(now: datetime, at: time, zone: ZoneInfo) -> datetime:
    """Return the latest moment at or before `now` when a daily backup was due."""
    local = now.astimezone(zone)
    due = datetime.combine(local.date(), at, tzinfo=zone)
    if due > local:
        due = datetime.combine(local.date() - timedelta(days=1), at, tzinfo=zone)
    return due


class BackupScheduler:
    """A background thread that makes the daily backup and rotates the folder."""

    def __init__(self, app: Flask, poll_seconds: float = 60.0, first_delay: float = 60.0) -> None:
        self.app = app
        self.poll_seconds = poll_seconds
        self.first_delay = first_delay
        self.stopping = threading.Event()
        self.failed_at: datetime | None = None
        self.thread = threading.Thread(target=self.run, name="backup", daemon=True)

    def start(self) -> None:
        """Start checking in the background."""
        self.thread.start()

    def stop(self) -> None:
        """Stop (a backup in progress finishes first)."""
        self.stopping.set()
        self.thread.join(timeout=120)

    def run(self) -> None:
        """Check now and then until stopped."""
        self.stopping.wait(self.first_delay)  # let the server start serving first
        while not self.stopping.is_set():
            try:
                self.check(utcnow())
            except Exception:  # a failed backup must never stop the server
                log.exception("automatic backup")
                self.failed_at = utcnow()
            self.stopping.wait(self.poll_seconds)

    def check(self, now: datetime) -> Path | None:
        """Make a backup if one is due at `now`; return its path."""
        config = self.app.config
        folder = backup_folder(self.app)
        due = last_due(now, backup_time(config["BACKUP_TIME"]), ZoneInfo(config["TIMEZONE"]))
        newest = newest_backup(folder)
        if newest is not None and newest >= due:
            return None
        if self.failed_at is not None and now - self.failed_at < RETRY_AFTER:
            return None
        folder.mkdir(parents=True, exist_ok=True)
        passphrase_file = config.get("BACKUP_PASSPHRASE_FILE")
        with self.app.app_context():
            passphrase = read_passphrase(Path(passphrase_file)) if passphrase_file else None
            backup = make_backup(folder, now, passphrase)
            write_transaction()
            record_backup(backup)
            db.session.commit()
        removed = rotate(folder, int(config["BACKUP_KEEP"]))
        log.info("back-up %s gemaakt; %d oude verwijderd", backup.path, len(removed))
        self.failed_at = None
        return backup.path


def start_backup_scheduler(app: Flask) -> BackupScheduler | None:
    """Start the daily backup thread when PLUSKASSA_BACKUP_AUTO is on."""
    if not app.config.get("BACKUP_AUTO"):
        return None
    scheduler = BackupScheduler(app)
    scheduler.start()
    return scheduler
