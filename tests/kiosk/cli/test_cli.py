"""The pluskassa command line: CliRunner for the small commands, a subprocess for demo."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import urllib.request
import uuid
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import func, select

from kiosk.extensions import db
from kiosk.models import Product, Sale, Till, User
from kiosk.organisation.queries import hash_token
from tests.conftest import Shop

PLUSKASSA = str(Path(sys.executable).parent / "pluskassa")


def test_db_upgrade_is_repeatable(cli: Any) -> None:
    for _ in range(2):
        result = cli("db", "upgrade")
        assert result.exit_code == 0, result.output
        assert "bijgewerkt" in result.output


def test_user_add_with_password_prompt(cli: Any, app: Flask) -> None:
    result = cli("user", "add", "Els", "--role", "staff", input="geheim-123\ngeheim-123\n")
    assert result.exit_code == 0, result.output
    with app.app_context():
        user = db.session.scalar(select(User).where(User.name == "Els"))
        assert user is not None
        assert user.role == "staff"
        assert user.check_password("geheim-123")
        assert not user.check_password("fout")


def test_user_add_refuses_bad_input_and_stores_nothing(cli: Any, app: Flask) -> None:
    assert cli("user", "add", "Els", "--role", "chef").exit_code != 0
    short = cli("user", "add", "Els", "--role", "manager", "--password", "kort")
    assert short.exit_code == 1
    assert "minstens 8 tekens" in short.output
    assert cli("user", "add", "Jan", "--role", "care").exit_code == 0
    twice = cli("user", "add", "jan", "--role", "care")
    assert twice.exit_code == 1
    assert "al iemand" in twice.output
    with app.app_context():
        assert db.session.scalar(select(func.count(User.id))) == 1


def test_till_add_prints_a_working_token_once(cli: Any, app: Flask, shop: Shop) -> None:
    shop.point_of_sale("HW")
    result = cli("till", "add", "Toog", "--point-of-sale", "hw")
    assert result.exit_code == 0, result.output
    token = result.output.split("Token (wordt maar één keer getoond): ")[1].strip()
    with app.app_context():
        till = db.session.scalar(select(Till).where(Till.code == "HW1"))
        assert till is not None
        assert till.token_hash == hash_token(token)
        assert token not in till.token_hash
    response = app.test_client().get(
        "/api/v1/catalog", headers={"Authorization": f"Bearer {token}"}
    )
    assert response.status_code == 200
    assert response.get_json()["till"] == {"code": "HW1", "name": "Toog", "role": "till"}


def test_till_add_pairs_a_kitchen_screen(cli: Any, app: Flask, shop: Shop) -> None:
    shop.point_of_sale("BI")
    result = cli("till", "add", "Keukenscherm", "--point-of-sale", "BI", "--role", "kitchen")
    assert result.exit_code == 0, result.output
    token = result.output.split("Token (wordt maar één keer getoond): ")[1].strip()
    headers = {"Authorization": f"Bearer {token}"}
    catalog = app.test_client().get("/api/v1/catalog", headers=headers).get_json()
    assert catalog["till"]["role"] == "kitchen"
    assert app.test_client().get("/api/v1/kitchen/orders", headers=headers).status_code == 200
    refused = cli("till", "add", "Raar", "--point-of-sale", "BI", "--role", "keuken")
    assert refused.exit_code == 2 and "keuken" in refused.output


def test_till_add_unknown_point_of_sale(cli: Any, app: Flask) -> None:
    result = cli("till", "add", "Toog", "--point-of-sale", "ZZ")
    assert result.exit_code == 1
    assert "Verkooppunt ZZ bestaat niet" in result.output


def test_seed_demo_loads_once(cli: Any, app: Flask) -> None:
    first = cli("seed", "demo")
    assert first.exit_code == 0, first.output
    with app.app_context():
        products = db.session.scalars(select(func.count(Product.id))).one()
    assert products >= 60
    again = cli("seed", "demo")
    assert again.exit_code == 1
    assert "niet leeg" in again.output
    with app.app_context():
        assert db.session.scalar(select(func.count(Product.id))) == products


def start_demo(instance: Path, port: int, env: dict[str, str]) -> tuple[subprocess.Popen, str]:
    """Start `pluskassa demo` and return the process and what it printed before serving."""
    process = subprocess.Popen(
        [PLUSKASSA, "demo", "--port", str(port), "--instance", str(instance)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        env=env,
    )
    printed = []
    assert process.stdout is not None
    for line in process.stdout:  # the banner ends with the logins
        printed.append(line)
        if "demo-logins" in line:
            break
    printed += [process.stdout.readline() for _ in range(3)]
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as answer:
                if answer.status == 200:
                    return process, "".join(printed)
        except OSError:
            time.sleep(0.2)
    process.kill()
    raise AssertionError("demo server did not answer:\n" + "".join(printed))


def stop(process: subprocess.Popen) -> None:
    """Stop a server process."""
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
    if process.stdout:
        process.stdout.close()


def free_port() -> int:
    """Return a TCP port that is free now."""
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def demo_token(banner: str, code: str) -> str:
    """Find a demo till's token in the banner."""
    for line in banner.splitlines():
        parts = line.split()
        if parts and parts[0] == code:
            return parts[-1]
    raise AssertionError(f"no token for {code} in:\n{banner}")


def assert_demo_pins(banner: str) -> None:
    """Check the banner gives every care user's PIN (or none) and the staff's PINs with logins."""
    lines = [line.split() for line in banner.splitlines()]
    assert ["Lotte", "4827"] in lines
    for name in ("Jan", "Sam", "Anke", "Wout"):
        assert [name, "geen", "pincode:", "tik", "op", "de", "foto"] in lines
    assert ["Els", "staff", "demo-els", "2468"] in lines
    assert ["Bram", "staff", "demo-bram", "1357"] in lines
    assert ["Greet", "manager", "demo-greet", "9753"] in lines


def test_demo_serves_and_sells_and_keeps_tokens_across_restarts(
    app: Flask, database_url: str, instance_path: Path
) -> None:
    env = {**os.environ, "PLUSKASSA_DATABASE_URL": database_url}
    port = free_port()
    process, banner = start_demo(instance_path, port, env)
    try:
        assert f"http://127.0.0.1:{port}/till" in banner
        assert "Greet" in banner and "demo-greet" in banner
        assert_demo_pins(banner)
        token = demo_token(banner, "HW1")
        headers = {"Authorization": f"Bearer {token}"}
        request = urllib.request.Request(f"http://127.0.0.1:{port}/api/v1/catalog", headers=headers)
        with urllib.request.urlopen(request, timeout=10) as answer:
            catalog = json.load(answer)
        product = next(p for p in catalog["products"] if p["unit"] == "piece")
        body = {
            "operator_id": catalog["operators"][0]["id"],
            "lines": [{"product_id": product["id"], "quantity": "1"}],
            "payments": [{"method": "card", "amount_cents": product["price_cents"]}],
        }
        request = urllib.request.Request(
            f"http://127.0.0.1:{port}/api/v1/sales",
            data=json.dumps(body).encode(),
            headers={
                **headers,
                "Content-Type": "application/json",
                "Idempotency-Key": str(uuid.uuid4()),
            },
        )
        with urllib.request.urlopen(request, timeout=10) as answer:
            assert answer.status == 201
            receipt_number = json.load(answer)["receipt_number"]
    finally:
        stop(process)
    process, second_banner = start_demo(instance_path, port, env)
    stop(process)
    assert demo_token(second_banner, "HW1") == token
    assert_demo_pins(second_banner)
    with app.app_context():
        # the demo's sales history ends yesterday: today's sale comes last and carries on HW1's
        # unbroken ticket numbers; the restart loaded nothing twice
        sales = db.session.scalars(select(Sale).order_by(Sale.created_at, Sale.id)).all()
        assert sales[-1].receipt_number == receipt_number
        farm = [sale.ticket_number for sale in sales if sale.receipt_number.startswith("HW1-")]
        assert farm == list(range(1, len(farm) + 1))
        assert receipt_number == f"HW1-{len(farm):06d}"
        products_csv = Path(__file__).parents[3] / "seed" / "demo" / "products.csv"
        product_rows = len(products_csv.read_text(encoding="utf-8").splitlines()) - 1
        assert db.session.scalar(select(func.count(Product.id))) == product_rows


def test_a_relative_instance_folder_is_taken_from_where_the_command_runs(
    app: Flask, database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from click.testing import CliRunner

    from kiosk.cli.main import main

    monkeypatch.setenv("PLUSKASSA_DATABASE_URL", database_url)
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["--instance", "winkel", "db", "upgrade"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "winkel" / "secret_key").is_file()
