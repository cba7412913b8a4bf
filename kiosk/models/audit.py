"""The audit log (who did what, when, before and after) and the locks on guessing.

The locks count wrong PINs and passwords. Audit entries are only ever added: the application
has no way to change or delete one.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, Text, event
from sqlalchemy.orm import Mapped, mapped_column, relationship

from kiosk.extensions import Model
from kiosk.models.people import Till, User
from kiosk.models.types import UTCDateTime, utcnow


class AuditEntry(Model):
    """One thing that happened: a refund, a price change, a login, an export, a backup."""

    __tablename__ = "audit_entry"
    id: Mapped[int] = mapped_column(primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    #: what happened, a fixed word such as "refund", "login_failed", "product_changed"
    action: Mapped[str] = mapped_column(String(40), index=True)
    #: who did it (NULL: the system, or someone unknown such as a failed login's name)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), index=True)
    #: the name as it was then (a user may be renamed later; a failed login names no user)
    user_name: Mapped[str] = mapped_column(String(80), default="")
    till_id: Mapped[int | None] = mapped_column(ForeignKey("till.id"))
    #: the address the request came from
    remote_addr: Mapped[str] = mapped_column(String(45), default="")
    #: what it was done to: "product:12", "sale:HW1-000042", "till:3" …
    subject: Mapped[str] = mapped_column(String(120), default="", index=True)
    #: a Dutch sentence for people
    summary: Mapped[str] = mapped_column(Text, default="")
    #: JSON of the changed fields before and after (NULL where there is no before or after)
    before: Mapped[str | None] = mapped_column(Text)
    after: Mapped[str | None] = mapped_column(Text)

    user: Mapped[User | None] = relationship()
    till: Mapped[Till | None] = relationship()

    def __repr__(self) -> str:
        return f"<AuditEntry {self.action} {self.subject!r}>"


@event.listens_for(AuditEntry, "before_update")
@event.listens_for(AuditEntry, "before_delete")
def _refuse_change(_mapper: object, _connection: object, entry: AuditEntry) -> None:
    raise PermissionError(f"Het auditlogboek kan niet gewijzigd worden ({entry!r}).")


class GuessLock(Model):
    """Failed PIN or password attempts of one person at one place, or of one place, and its lock.

    `key` names what is counted: a person's PIN at a till ("user:12:pin@till:3"), a name's
    password from an address ("user:12:password@ip:192.0.2.7", or "name:jan@ip:192.0.2.7" for a
    name no user has), a till ("till:3") or an address ("ip:192.0.2.7").
    """

    __tablename__ = "guess_lock"
    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    first_failure_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime)

    def __repr__(self) -> str:
        return f"<GuessLock {self.key} {self.failures}>"
