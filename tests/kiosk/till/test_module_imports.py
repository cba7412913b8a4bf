"""The till's ES modules import each other without a cycle.

A module in a cycle can run before the module it imports from has defined its exports, and its
callers cannot be loaded apart; shared small helpers live in a module both sides import.
Only static imports count: `import("./x.js")` loads a module later, on first use.
"""

from __future__ import annotations

import re
from pathlib import Path

SCRIPTS = Path(__file__).resolve().parents[3] / "kiosk" / "static" / "till" / "js"
STATIC_IMPORT = re.compile(r'^import\s[^;]*?\sfrom\s+"\./([\w-]+)\.js";', re.M)


def imports() -> dict[str, set[str]]:
    """Return each module's statically imported modules, by name without `.js`."""
    return {
        script.stem: set(STATIC_IMPORT.findall(script.read_text(encoding="utf-8")))
        for script in sorted(SCRIPTS.glob("*.js"))
    }


def cycle_through(graph: dict[str, set[str]], start: str) -> list[str] | None:
    """Return a chain of imports from `start` back to itself, if there is one."""
    chains, seen = [[start]], set()
    while chains:
        chain = chains.pop()
        for imported in sorted(graph.get(chain[-1], set())):
            if imported == start:
                return [*chain, start]
            if imported not in seen:
                seen.add(imported)
                chains.append([*chain, imported])
    return None


def test_the_till_modules_import_each_other_without_a_cycle() -> None:
    graph = imports()
    assert {"api", "orders", "order_screens", "order_taking"} <= graph.keys()
    assert "api" in graph["orders"]  # the pattern reads the imports (a guard against a blind test)
    cycles = [chain for module in graph if (chain := cycle_through(graph, module))]
    assert cycles == []
