"""Commit a sale made under an Idempotency-Key, or answer with the sale that key made before.

Sales, refunds and tab payments store one sale per till and key. Two requests with one key
(a double tap, an offline queue sent twice) may both get past the operation's own look-up;
the unique rule then refuses the slower one, which answers with the faster one's sale.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from sqlalchemy.exc import IntegrityError

from kiosk.errors import OperationError
from kiosk.extensions import db
from kiosk.sales.queries import get_sale_by_key

Answer = TypeVar("Answer")


def commit_or_replay(
    till_id: int,
    idempotency_key: str,
    record: Callable[[], tuple[Answer, bool]],
    replay: Callable[[Any], Answer],
    *,
    refusal: OperationError | None = None,
    earlier: Callable[[], Any] | None = None,
) -> tuple[Answer, bool]:
    """Record and commit once per key; after losing a race, answer from the earlier sale.

    `record` returns its answer and whether it made a new sale; it describes the answer before
    the commit expires the rows. `replay` describes the sale another request with the same key
    committed first (and may refuse). A clash with no such sale tripped another unique rule:
    `refusal` is raised then, or else the database's own error. What a key made is a sale,
    unless `earlier` finds it (a customer's order taken at a till).
    """
    try:
        answer, created = record()
        db.session.commit()
    except IntegrityError as error:
        db.session.rollback()
        found = earlier() if earlier is not None else get_sale_by_key(till_id, idempotency_key)
        if found is None:
            if refusal is None:
                raise
            raise refusal from error
        return replay(found), False
    return answer, created
