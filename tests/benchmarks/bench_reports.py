"""Benchmark: reports and exports over a generated history of about a million sales.

Run from the repository root (not part of the test run):

    python -m tests.benchmarks.bench_reports                     # SQLite, 3 years × 3 × 300/day
    PLUSKASSA_TEST_DATABASE_URL=postgresql://… python -m tests.benchmarks.bench_reports --postgres
    python -m tests.benchmarks.bench_reports --years 1 --per-day 100   # a quicker run

It builds the demo plus-plek (three points of sale, one till each) on a fresh database, writes
`--years` of history ending yesterday with `--per-day` sales a till a day (kiosk/demo/history.py),
then prints tables of:
- generation: sales and lines written per second;
- the day summary (one point of sale, one day) and the month summary (one point of sale, one
  month) through `get_figures`, the same code the back office and the Z report use: p50, p95
  and max over random days and months;
- the export of the last full year, one row per sale line, as Belgian CSV and as XLSX, beside
  the raw floor of the same file (tests/benchmarks/export_floor.py: the driver's cursor and the
  csv module, or the XLSX writer's core, kiosk/exports/xlsx_stream.py) and, for XLSX, xlsxwriter
  called directly (the library used before), `--rounds` times each: lines per second of wall
  time and of CPU time (the fairer figure on a shared machine), peak memory, the ratios app ÷
  raw, and the load (`uptime`) before and after. The app's CSV and the raw CSV must be the same
  bytes, and so must the app's and the raw XLSX's sheets; the table says so when they are not.
  Each export runs in a child process of its own, and its peak memory is the child's peak
  resident size minus its size before the export began, so the figure shows whether memory
  stays bounded while rows stream.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

REPO_ROOT = Path(__file__).resolve().parents[2]
SECRET = "bench-secret-key"


def make_app(url: str, instance: Path) -> Any:
    """Return the app on `url` with its own instance folder."""
    os.environ.setdefault("ESCPOS_CAPABILITIES_PICKLE_DIR", str(instance))
    from kiosk import create_app

    return create_app(
        {"TESTING": True, "DATABASE_URL": url, "SECRET_KEY": SECRET, "PRINT_WORKER": False},
        instance_path=str(instance),
    )


def build(url: str, instance: Path, years: int, per_day: int) -> tuple[date, date, float, Any]:
    """Make the demo and its history; return the first and last day, the seconds and a summary."""
    from kiosk.database import upgrade_database
    from kiosk.demo.history import generate_history
    from kiosk.demo.loader import load_demo
    from kiosk.extensions import db
    from kiosk.models.types import utcnow
    from kiosk.periods import business_day

    app = make_app(url, instance)
    with app.app_context():
        upgrade_database()
        load_demo(SECRET)
        db.session.commit()
        last_day = business_day(utcnow()) - timedelta(days=1)
        first_day = last_day - timedelta(days=365 * years - 1)
        started = time.perf_counter()
        summary = generate_history(first_day, last_day, per_day, seed=7)
        db.session.commit()
        seconds = time.perf_counter() - started
        db.engine.dispose()
    return first_day, last_day, seconds, summary


def percentiles(samples: list[float]) -> tuple[float, float, float]:
    """Return p50, p95 and max of millisecond samples."""
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return statistics.median(ordered), p95, ordered[-1]


def time_summaries(
    url: str, instance: Path, first_day: date, last_day: date, runs: int
) -> dict[str, tuple[float, float, float]]:
    """Time day and month summaries of one point of sale at random moments of the history."""
    from sqlalchemy import select

    from kiosk.extensions import db
    from kiosk.models import PointOfSale
    from kiosk.periods import period_containing
    from kiosk.reports.day_figures import SalesScope, get_figures

    rng = random.Random(11)
    app = make_app(url, instance)
    results = {}
    with app.app_context():
        points = db.session.scalars(select(PointOfSale.id)).all()
        span = (last_day - first_day).days
        for kind in ("day", "month"):
            samples = []
            for _run in range(runs):
                day = first_day + timedelta(days=rng.randrange(span))
                period = period_containing(kind, day)
                scope = SalesScope(period.first_day, period.last_day, None, rng.choice(points))
                started = time.perf_counter()
                figures = get_figures(scope)
                samples.append((time.perf_counter() - started) * 1000)
                assert figures.turnover_cents == figures.received_cents - figures.rounding_cents
                db.session.rollback()
            results[kind] = percentiles(samples)
        db.engine.dispose()
    return results


def export_child(
    url: str, instance: str, first: str, last: str, file_format: str, writer: str
) -> None:
    """In a child process: write the sale-line export, the app's or the raw floor's.

    Print lines, wall and CPU seconds, peak memory, size and the file's SHA-256.
    """
    from kiosk.exports.accounting import sale_lines_export
    from kiosk.exports.files import write_export
    from tests.benchmarks.export_floor import raw_csv, raw_xlsx, raw_xlsxwriter

    app = make_app(url, Path(instance))
    first_day, last_day = date.fromisoformat(first), date.fromisoformat(last)
    with app.app_context():
        reset_peak_memory()
        before = memory_kib("VmHWM")
        target = Path(instance) / f"year-{writer}.{file_format}"
        started, cpu = time.perf_counter(), time.process_time()
        if writer == "raw":
            lines = (raw_csv if file_format == "csv" else raw_xlsx)(
                url, first_day, last_day, target
            )
        elif writer == "xlsxwriter":
            lines = raw_xlsxwriter(url, first_day, last_day, target)
        else:
            lines = write_export(sale_lines_export(first_day, last_day), target, file_format)
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
        grown = memory_kib("VmHWM") - before
        size = target.stat().st_size
        digest = content_digest(target, file_format)
        target.unlink()
    print(json.dumps({
        "lines": lines, "seconds": seconds, "cpu": cpu, "peak_kib": grown, "bytes": size,
        "sha256": digest,
    }))  # fmt: skip


def content_digest(path: Path, file_format: str) -> str:
    """Return the SHA-256 of a CSV file, or of an XLSX file's sheets (the rest holds a date)."""
    digest = hashlib.sha256()
    if file_format == "csv":
        digest.update(path.read_bytes())
        return digest.hexdigest()
    import zipfile

    with zipfile.ZipFile(path) as archive:
        for name in sorted(archive.namelist()):
            if name.startswith("xl/worksheets/"):
                with archive.open(name) as part:
                    while chunk := part.read(1 << 20):
                        digest.update(chunk)
    return digest.hexdigest()


def reset_peak_memory() -> None:
    """Make the kernel's peak resident size start again from the present size (Linux)."""
    Path("/proc/self/clear_refs").write_text("5")


def memory_kib(field: str) -> int:
    """Return a memory figure of this process from /proc (VmRSS now, VmHWM the peak)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise LookupError(field)


def time_export(
    url: str, instance: Path, first: date, last: date, file_format: str, writer: str
) -> dict[str, Any]:
    """Run one export in a child process and return what it measured."""
    command = [
        sys.executable, "-m", "tests.benchmarks.bench_reports", "--export-child", file_format,
        "--writer", writer, "--url", url, "--instance", str(instance),
        "--first", first.isoformat(), "--last", last.isoformat(),
    ]  # fmt: skip
    result = subprocess.run(command, cwd=REPO_ROOT, capture_output=True, text=True, check=True)
    return json.loads(result.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def load() -> str:
    """Return the machine's load averages as `uptime` shows them."""
    return subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip()


def print_exports(url: str, instance: Path, first: date, last: date, rounds: int) -> None:
    """Print the year's export as CSV and XLSX beside the raw floor, round after round."""
    print(f"\nload: {load()}")
    print("\n| year export, one row per line | writer | lines | lines/s | lines/s of CPU "
          "| peak memory MiB | file MiB |\n|---|---|---|---|---|---|---|")  # fmt: skip
    ratios: dict[str, list[tuple[float, float]]] = {"csv": [], "xlsx": []}
    for _round in range(rounds):
        for file_format in ("csv", "xlsx"):
            writers = ("app", "raw") if file_format == "csv" else ("app", "raw", "xlsxwriter")
            measured = {
                writer: time_export(url, instance, first, last, file_format, writer)
                for writer in writers
            }
            for writer, figures in measured.items():
                rate, cpu_rate = (
                    figures["lines"] / figures["seconds"],
                    figures["lines"] / figures["cpu"],
                )
                peak, size = figures["peak_kib"] / 1024, figures["bytes"] / 2**20
                print(f"| {file_format} | {writer} | {figures['lines']:,} | {rate:,.0f} "
                      f"| {cpu_rate:,.0f} | {peak:.1f} | {size:.1f} |")  # fmt: skip
            app, raw = measured["app"], measured["raw"]
            ratios[file_format].append((raw["seconds"] / app["seconds"], raw["cpu"] / app["cpu"]))
            if app["sha256"] != raw["sha256"]:
                print(
                    f"| {file_format} | **the app's and the raw writer's cells differ** | | | | | |"
                )
    print("\n| export | app ÷ raw, lines/s | app ÷ raw, lines/s of CPU |\n|---|---|---|")
    for file_format, pairs in ratios.items():
        wall = ", ".join(f"{ratio:.2f}" for ratio, _cpu in pairs)
        cpu = ", ".join(f"{ratio:.2f}" for _wall, ratio in pairs)
        print(f"| {file_format} | {wall} | {cpu} |")
    print(f"\nload: {load()}")


def run(url: str, label: str, years: int, per_day: int, runs: int, rounds: int) -> None:
    """Build a history on `url` and print the tables."""
    with tempfile.TemporaryDirectory(prefix="bench-reports-") as folder:
        instance = Path(folder)
        first_day, last_day, seconds, summary = build(url, instance, years, per_day)
        print(f"\n## {label}: {summary.sales:,} sales, {summary.lines:,} lines, "
              f"{first_day} to {last_day}, {len(summary.till_codes)} tills")  # fmt: skip
        print("\n| generation | sales/s | lines/s | seconds |\n|---|---|---|---|")
        print(f"| history | {summary.sales / seconds:,.0f} | {summary.lines / seconds:,.0f} "
              f"| {seconds:,.0f} |")  # fmt: skip
        timings = time_summaries(url, instance, first_day, last_day, runs)
        print("\n| summary (one point of sale) | p50 ms | p95 ms | max ms |\n|---|---|---|---|")
        for kind, (p50, p95, worst) in timings.items():
            print(f"| {kind} | {p50:.1f} | {p95:.1f} | {worst:.1f} |")
        year_first = last_day - timedelta(days=364)
        print_exports(url, instance, year_first, last_day, rounds)


def postgres_database(base: str) -> tuple[str, Any]:
    """Create a database for the benchmark beside the configured one; return its URL and dropper."""
    sys.path.insert(0, str(REPO_ROOT))
    from tests.conftest import create_postgres_database, drop_postgres_database

    url = create_postgres_database(base)
    return url, lambda: drop_postgres_database(base, url)


def main() -> None:
    """Parse the options and run."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--years", type=int, default=3)
    parser.add_argument("--per-day", type=int, default=300, help="sales a till a day")
    parser.add_argument("--runs", type=int, default=30, help="summaries timed per kind")
    parser.add_argument("--postgres", action="store_true", help="PostgreSQL instead of SQLite")
    parser.add_argument("--rounds", type=int, default=3, help="exports timed per format")
    parser.add_argument("--export-child", choices=["csv", "xlsx"], help=argparse.SUPPRESS)
    parser.add_argument("--writer", choices=["app", "raw", "xlsxwriter"], help=argparse.SUPPRESS)
    parser.add_argument("--url", help=argparse.SUPPRESS)
    parser.add_argument("--instance", help=argparse.SUPPRESS)
    parser.add_argument("--first", help=argparse.SUPPRESS)
    parser.add_argument("--last", help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.export_child:
        export_child(options.url, options.instance, options.first, options.last,
                     options.export_child, options.writer)  # fmt: skip
        return
    if options.postgres:
        base = os.environ["PLUSKASSA_TEST_DATABASE_URL"]
        url, drop = postgres_database(base)
        try:
            run(url, "PostgreSQL", options.years, options.per_day, options.runs, options.rounds)
        finally:
            drop()
    else:
        with tempfile.TemporaryDirectory(prefix="bench-reports-db-") as folder:
            url = f"sqlite:///{folder}/bench.db"
            run(url, "SQLite", options.years, options.per_day, options.runs, options.rounds)


if __name__ == "__main__":
    main()
