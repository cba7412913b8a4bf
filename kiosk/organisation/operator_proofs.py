"""Proof that a person entered their PIN at a till today, signed by the server.

The PIN check at a till (POST /api/v1/operators/<id>/pin) hands the till an `operator_proof`;
the till sends it with every sale, refund and tab change made in that person's name. A proof
names the till, the person and the business day (Europe/Brussels) and carries a digest of the
person's PIN hash, so it works only at that till, for that person, on that day, and stops
working when their PIN is changed or removed. The till forgets it when the person taps Stop.
"""

from __future__ import annotations

import hashlib
from datetime import datetime
from typing import Any, Protocol

from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer

from kiosk.models import Till, User
from kiosk.periods import business_day

#: its own salt, so no other signed value of the app (a session, a CSRF token) passes as a proof
SALT = "pluskassa.operator-proof"


def signer() -> URLSafeSerializer:
    """Return the serializer that signs proofs with the app's SECRET_KEY."""
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=SALT)


class Person(Protocol):
    """What a proof reads of a person: a User row, or one kept in the sale catalog."""

    @property
    def id(self) -> int:
        """The row id."""

    @property
    def pin_hash(self) -> str | None:
        """The hash of their PIN, if they have one."""


def pin_digest(operator: Person) -> str:
    """Return a short digest of the person's PIN hash: a new PIN ends their old proofs."""
    return hashlib.sha256((operator.pin_hash or "").encode()).hexdigest()[:16]


def proof_claims(till: Till, operator: Person, moment: datetime) -> dict[str, Any]:
    """Return what a proof says: which till, which person, which day, which PIN."""
    return {
        "till": till.id,
        "operator": operator.id,
        "day": business_day(moment).isoformat(),
        "pin": pin_digest(operator),
    }


def issue_operator_proof(till: Till, operator: User, moment: datetime) -> str:
    """Sign a proof that the operator entered their PIN at this till on the moment's day."""
    return str(signer().dumps(proof_claims(till, operator, moment)))


def is_proven(till: Till, operator: Person, proof: str | None, moment: datetime) -> bool:
    """Return whether a proof was issued at this till to this person on the moment's day."""
    if proof is None:
        return False
    try:
        claims = signer().loads(proof)
    except BadSignature:
        return False
    return bool(claims == proof_claims(till, operator, moment))
