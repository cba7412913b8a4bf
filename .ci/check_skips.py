"""Fail when a browser test was skipped anywhere, or any test was skipped on PostgreSQL.

On SQLite only the PostgreSQL-only tests may be skipped.
"""

import sys
import xml.etree.ElementTree as ET

POSTGRES_ONLY_REASON = "PLUSKASSA_TEST_DATABASE_URL"


def skipped(path: str) -> list[tuple[str, str]]:
    """Return (test, reason) for every skipped test in a JUnit report."""
    found = []
    for case in ET.parse(path).getroot().iter("testcase"):
        for skip in case.findall("skipped"):
            name = f"{case.get('classname')}::{case.get('name')}"
            found.append((name, skip.get("message") or ""))
    return found


def main(sqlite_report: str, postgres_report: str) -> int:
    """Check both reports; print offenders and return the exit status."""
    bad = [
        ("sqlite", name, reason)
        for name, reason in skipped(sqlite_report)
        if "browser" in name or POSTGRES_ONLY_REASON not in reason
    ]
    bad += [("postgresql", name, reason) for name, reason in skipped(postgres_report)]
    for database, name, reason in bad:
        print(f"SKIPPED on {database}: {name}: {reason}")
    if bad:
        print(f"{len(bad)} test(s) were skipped that must run.")
        return 1
    print("No browser or PostgreSQL test was skipped.")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
