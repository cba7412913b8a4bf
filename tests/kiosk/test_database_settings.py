"""Connection settings: PostgreSQL's planner is told index look-ups are cheap (SSD storage)."""

from __future__ import annotations

import pytest
from flask import Flask
from sqlalchemy import text

from kiosk.extensions import db


@pytest.mark.postgres_only
def test_postgresql_connections_use_the_configured_random_page_cost(app: Flask, ctx: None) -> None:
    assert db.session.scalar(text("SHOW random_page_cost")) == "1.1"
    assert db.session.scalar(text("SELECT 1")) == 1  # the connection still works after the SET
