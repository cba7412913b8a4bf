"""Benchmark: what the till weighs on the network and how fast a tap shows, in the system Chromium.

Run from the repository root (not part of the test run):

    python -m tests.benchmarks.bench_till              # prints the tables
    python -m tests.benchmarks.bench_till --taps 60    # more tap samples
    python -m tests.benchmarks.bench_till --no-taps    # the loads only

The app (demo plus-plek on a fresh SQLite file) is served by waitress in this process, behind a
WSGI middleware that counts every response's bytes (status line, headers and body) as it leaves
the server: what a tablet receives over the network. Requests the browser answers from its HTTP
cache or the service worker's cache never reach the server, so they count as 0.

1. First load, per role: a paired tablet (token in localStorage, empty caches) opens /till, until
   the service worker controls the page and the network is quiet (the till warms its picture
   cache and the service worker stores its precache meanwhile: both count). The roles: the farm
   shop's till (HW1, "shop"), the bistro's till (BI1, "bistro") and a kitchen screen of the
   bistro ("kitchen": /till sends it on to /till/kitchen). Pictograms (/pictograms/, /media/) are
   counted apart. Budget: at most 60 KB without pictograms.
2. Repeat load: the same tablet reloads the page (service worker and HTTP cache in place).
   Budget: at most 2 KB.
3. Tap to feedback (the shop's till; --no-taps skips it): on the product tiles, the time from
   pointerdown (event.timeStamp) to the first animation frame in which the tile's style shows
   the tap (requestAnimationFrame, then getComputedStyle: the frame that paints it), measured in
   the page with performance.now(); with the CPU at 1× and throttled 4× (CDP
   Emulation.setCPUThrottlingRate). "held": the finger stays down for the frame (a real tap
   lasts ~100 ms); "quick": touch start and end at once, so the tap's click (adding to the
   basket, drawing it) competes for the same frame. Budget: within one frame, 1000/60 ≈ 16.7 ms.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

SECRET = "bench-till-secret"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
FIRST_LOAD_BUDGET = 60 * 1024
REPEAT_LOAD_BUDGET = 2 * 1024
FRAME_MS = 1000 / 60
QUIET_S = 1.0
PAUSE_MS = 300  # between taps: the feedback lasts 180 ms
WAIT_S = 20.0


@dataclass(frozen=True)
class Transfer:
    path: str
    dest: str
    status: str
    size: int


class ByteCounter:
    """WSGI middleware: every response's bytes as sent (status line, headers, body)."""

    def __init__(self, app: Callable[..., Iterable[bytes]]) -> None:
        self.app = app
        self.lock = threading.Lock()
        self.transfers: list[Transfer] = []
        self.last = time.monotonic()

    def __call__(
        self, environ: dict[str, Any], start_response: Callable[..., Any]
    ) -> Iterator[bytes]:
        response_status = ""
        head_size = 0

        def counting_start_response(status: str, headers: list[tuple[str, str]], *args: Any) -> Any:
            nonlocal response_status, head_size
            response_status = status
            head_size = len(f"HTTP/1.1 {status}\r\n\r\n") + sum(
                len(name) + len(value) + 4 for name, value in headers
            )
            return start_response(status, headers, *args)

        body = 0
        result = self.app(environ, counting_start_response)
        try:
            for chunk in result:
                body += len(chunk)
                yield chunk
        finally:
            if hasattr(result, "close"):
                result.close()
            transfer = Transfer(
                environ.get("PATH_INFO", ""),
                environ.get("HTTP_SEC_FETCH_DEST", ""),
                response_status,
                head_size + body,
            )
            with self.lock:
                self.transfers.append(transfer)
                self.last = time.monotonic()

    def take(self) -> list[Transfer]:
        """Return the transfers so far and start counting afresh."""
        with self.lock:
            taken, self.transfers = self.transfers, []
            return taken

    def wait_until_quiet(self) -> None:
        """Wait until nothing was served for QUIET_S seconds (at most WAIT_S)."""
        deadline = time.monotonic() + WAIT_S
        while time.monotonic() < deadline:
            with self.lock:
                quiet = time.monotonic() - self.last
            if quiet >= QUIET_S:
                return
            time.sleep(0.05)


def kind(transfer: Transfer) -> str:
    """Sort a transfer into a row of the table."""
    path = transfer.path
    if path.startswith(("/pictograms/", "/media/")):
        return "pictograms"
    if path.startswith("/api/"):
        return "API (catalog, tables, orders)"
    if path == "/till/sw.js":
        return "service worker script"
    if path in ("/till", "/till/pair", "/till/kitchen"):
        return "pages (HTML)"
    if transfer.dest == "empty":  # fetch() by the service worker: it stores the till's shell
        return "service worker precache"
    if "/till/money/" in path:  # at its version's URL, /static/v/<version>/till/money/
        return "money pictures"
    return "scripts, styles, manifest, icon"


ROWS = [
    "pages (HTML)",
    "scripts, styles, manifest, icon",
    "money pictures",
    "API (catalog, tables, orders)",
    "service worker script",
    "service worker precache",
]


def load_table(title: str, transfers: list[Transfer], budget: int | None) -> list[str]:
    """Format one load: requests and bytes per row, the total without pictograms, pictograms."""
    rows: dict[str, list[int]] = {row: [0, 0] for row in [*ROWS, "pictograms"]}
    for transfer in transfers:
        row = rows[kind(transfer)]
        row[0] += 1
        row[1] += transfer.size
    lines = [title, f"  {'what':<34}{'requests':>9}{'bytes':>11}"]
    lines += [f"  {row:<34}{rows[row][0]:>9}{rows[row][1]:>11,}" for row in ROWS]
    count = sum(rows[row][0] for row in ROWS)
    total = sum(rows[row][1] for row in ROWS)
    verdict = ""
    if budget is not None:
        verdict = f"   budget {budget:,}: {'ok' if total <= budget else 'OVER'}"
    lines.append(f"  {'total without pictograms':<34}{count:>9}{total:>11,}{verdict}")
    count, size = rows["pictograms"]
    lines.append(f"  {'pictograms (counted apart)':<34}{count:>9}{size:>11,}")
    return lines


def build_app(instance: Path) -> Any:
    """The app on a fresh SQLite file with the demo plus-plek; return it."""
    from kiosk import create_app
    from kiosk.database import upgrade_database
    from kiosk.demo.loader import load_demo
    from kiosk.extensions import db

    url = "sqlite:///" + str(instance / "bench-till.db")
    app = create_app({"DATABASE_URL": url, "SECRET_KEY": SECRET}, instance_path=str(instance))
    with app.app_context():
        upgrade_database()
        load_demo(SECRET)
        db.session.commit()
    return app


# In the page: when pointerdown reached the page (first listener), how long the page's own
# pointerdown listeners took, and the first animation frame whose style shows the tap.
FEEDBACK_PROBE = """() => {
  window.__feedback = [];
  window.addEventListener("pointerdown", () => { window.__down = performance.now(); }, true);
  document.addEventListener("pointerdown", (event) => {
    const handled = performance.now();
    const tile = event.target.closest("button");
    let frames = 0;
    const frame = () => {
      frames += 1;
      const shown = getComputedStyle(tile).transform !== "none";
      if (!shown && frames < 10) {
        requestAnimationFrame(frame);
        return;
      }
      const now = performance.now();
      window.__feedback.push({ total: now - event.timeStamp, frames, shown,
        dispatch: window.__down - event.timeStamp, work: handled - window.__down });
    };
    requestAnimationFrame(frame);
  });
}"""
AT_REST = (
    "() => [...document.querySelectorAll('button')]"
    ".every((b) => getComputedStyle(b).transform === 'none')"
)
# The floor of this browser: a bare page whose button scales down on pointerdown, nothing else.
BARE_PAGE = """<!doctype html><meta name="viewport" content="width=device-width">
<style>
  button { width: 200px; height: 200px; margin: 20px }
  .tapped { transform: scale(.96) }
</style>
<button>a</button><button>b</button><button>c</button>
<script>
document.addEventListener("pointerdown", (event) => {
  const button = event.target.closest("button");
  button.classList.add("tapped");
  setTimeout(() => button.classList.remove("tapped"), 180);
}, true);
</script>"""
FRAME_INTERVAL = """() => new Promise((resolve) => {
  const times = [];
  const frame = (now) => { times.push(now); if (times.length < 31) requestAnimationFrame(frame);
    else resolve((times.at(-1) - times[0]) / 30); };
  requestAnimationFrame(frame);
})"""


@dataclass(frozen=True)
class Tap:
    total: float  # pointerdown's timeStamp → the frame showing the tap
    dispatch: float  # timeStamp → the first pointerdown listener in the page
    work: float  # the page's own pointerdown listeners
    frames: int  # animation frames until the change showed (1: the very next one)


def measure_taps(
    page: Any, cdp: Any, boxes: list[dict[str, float]], taps: int, held: bool
) -> list[Tap]:
    """Tap the tiles in turn through CDP touch events; return what the page measured."""
    samples = []
    for number in range(taps):
        box = boxes[number % len(boxes)]
        point = {"x": box["x"] + box["width"] / 2, "y": box["y"] + box["height"] / 2}
        page.wait_for_timeout(PAUSE_MS)  # the last tap's feedback is over; nothing polls meanwhile
        assert page.evaluate(AT_REST), "a tile still shows the last tap"
        before = page.evaluate("window.__feedback.length")
        cdp.send("Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": [point]})
        if not held:
            cdp.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})
        page.wait_for_function(f"() => window.__feedback.length > {before}", polling=100)
        if held:
            cdp.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})
        sample = page.evaluate("window.__feedback.at(-1)")
        if not sample["shown"]:
            raise SystemExit("the tapped tile showed no change within 10 frames")
        samples.append(Tap(sample["total"], sample["dispatch"], sample["work"], sample["frames"]))
    return samples


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[max(0, round(0.95 * len(ordered)) - 1)]


def tap_table(results: list[tuple[str, int, str, list[Tap]]], frame_ms: float) -> list[str]:
    lines = [
        "Tap to feedback: pointerdown → the first animation frame showing the tapped tile (ms)",
        f"  (frames in this headless Chromium come every {frame_ms:.1f} ms; budget: the next "
        f"frame, {FRAME_MS:.1f} ms)",
        f"  {'page':<6}{'CPU':<5}{'tap':<7}{'taps':>5}{'median':>8}{'p95':>7}{'max':>7}"
        f"{'input':>7}{'work':>6}{'frames':>7}  verdict",
    ]
    for page, rate, mode, samples in results:
        totals = [sample.total for sample in samples]
        frames = max(s.frames for s in samples)
        verdict = "next frame" if frames == 1 else "LATE frame"
        verdict += f", p95 {'within' if p95(totals) <= FRAME_MS else 'OVER'} {FRAME_MS:.1f} ms"
        lines.append(
            f"  {page:<6}{f'{rate}×':<5}{mode:<7}{len(samples):>5}{statistics.median(totals):>8.1f}"
            f"{p95(totals):>7.1f}{max(totals):>7.1f}"
            f"{statistics.median(s.dispatch for s in samples):>7.1f}"
            f"{max(s.work for s in samples):>6.1f}{frames:>7}  {verdict}"
        )
    lines += [
        "  median/p95/max: pointerdown's timeStamp → that frame; input: median time for the touch",
        "  to reach the page; work: the longest time of the page's pointerdown listeners;",
        "  frames: the most frames until the tap showed (1 = the very next frame).",
        "  'bare' is a page doing nothing but the same feedback: the floor of this browser.",
    ]
    return lines


@dataclass(frozen=True)
class Role:
    name: str
    till_code: str
    ready: str  # a function for wait_for_function: the role's first screen is up


WAIT_SERVICE_WORKER = "() => navigator.serviceWorker.controller !== null"
OPERATORS_SHOWN = "() => document.querySelector('#screen-operator:not([hidden]) .tile') !== null"
ROLES = [
    Role("shop", "HW1", OPERATORS_SHOWN),
    Role("bistro", "BI1", OPERATORS_SHOWN),
    Role("kitchen", "BIK", "() => document.querySelector('#orders') !== null"),
]


def run(taps: int) -> list[str]:
    from playwright.sync_api import sync_playwright
    from waitress import create_server

    with tempfile.TemporaryDirectory(prefix="bench-till-") as folder:
        app = build_app(Path(folder))
        tokens = role_tokens(app)
        counter = ByteCounter(app.wsgi_app)
        app.wsgi_app = counter  # type: ignore[method-assign]
        server = create_server(app, host="127.0.0.1", port=0, threads=6)
        url = f"http://127.0.0.1:{server.effective_port}"
        thread = threading.Thread(target=server.run, daemon=True)
        thread.start()
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                try:
                    loads = []
                    for role in ROLES:
                        context = browser.new_context(
                            has_touch=True, viewport={"width": 1280, "height": 800}, locale="nl-BE"
                        )
                        try:
                            page = context.new_page()
                            loads.append((role, *measure_loads(page, counter, url, tokens, role)))
                            if role.name == "shop" and taps:
                                tap_lines = measure_taps_table(page, context, taps)
                        finally:
                            context.close()
                    lines = summary_table(loads)
                    for role, first, repeat in loads:
                        lines += ["", *load_table(f"First load, {role.name}", first, None)]
                        lines += ["", *load_table(f"Repeat load, {role.name}", repeat, None)]
                    if taps:
                        lines += ["", *tap_lines]
                    return lines
                finally:
                    browser.close()
        finally:
            server.close()
            server.task_dispatcher.shutdown()


def role_tokens(app: Any) -> dict[str, str]:
    """Return each role's till token: the demo's tills, and a kitchen screen added for the bench."""
    from kiosk.extensions import db
    from kiosk.organisation.people import add_till, demo_token

    with app.app_context():
        _kitchen, kitchen_token = add_till("Keuken bistro", "BI", code="BIK", role="kitchen")
        db.session.commit()
    demo = {code: demo_token(SECRET, code) for code in ("HW1", "BI1")}
    return demo | {"BIK": kitchen_token}


def measure_loads(
    page: Any, counter: ByteCounter, url: str, tokens: dict[str, str], role: Role
) -> tuple[list[Transfer], list[Transfer]]:
    """Open /till on a freshly paired tablet, then reload it; return both loads' transfers."""
    hand_token(page, tokens[role.till_code])
    counter.wait_until_quiet()
    counter.take()

    page.goto(f"{url}/till")
    page.wait_for_function(role.ready, timeout=WAIT_S * 1000)
    page.wait_for_function(WAIT_SERVICE_WORKER, timeout=WAIT_S * 1000)
    counter.wait_until_quiet()
    first = counter.take()

    page.reload()
    page.wait_for_function(role.ready, timeout=WAIT_S * 1000)
    counter.wait_until_quiet()
    return first, counter.take()


def hand_token(page: Any, token: str) -> None:
    """Put the till's token in the tablet's storage as pairing leaves it, before any page opens.

    An init script, not a page of the origin opened first: such a page would fill the browser's
    cache (its favicon, say) and hide those bytes from the first load.
    """
    page.context.add_init_script(
        f"localStorage.setItem('pluskassa.token', {json.dumps(json.dumps(token))})"
    )


def summary_table(loads: list[tuple[Role, list[Transfer], list[Transfer]]]) -> list[str]:
    """One line per role: first load without and with pictograms, repeat load; and the budgets."""
    lines = [
        "Till loads per role, bytes received (requests): status line, headers and body",
        f"  {'role':<9}{'first, no pictures':>22}{'first, with pictures':>24}{'repeat':>18}"
        "  budgets (60 KB, 2 KB)",
    ]
    for role, first, repeat in loads:
        plain = [t for t in first if kind(t) != "pictograms"]
        plain_bytes, all_bytes = sum(t.size for t in plain), sum(t.size for t in first)
        repeat_bytes = sum(t.size for t in repeat)
        verdict = (
            f"{'ok' if plain_bytes <= FIRST_LOAD_BUDGET else 'OVER'}, "
            f"{'ok' if repeat_bytes <= REPEAT_LOAD_BUDGET else 'OVER'}"
        )
        lines.append(
            f"  {role.name:<9}{f'{plain_bytes:,} ({len(plain)})':>22}"
            f"{f'{all_bytes:,} ({len(first)})':>24}"
            f"{f'{repeat_bytes:,} ({len(repeat)})':>18}  {verdict}"
        )
    return lines


def measure_taps_table(page: Any, context: Any, taps: int) -> list[str]:
    """Start a turn on the shop's till and time taps on the product tiles, and on a bare page."""
    from playwright.sync_api import expect

    page.get_by_role("button", name="Jan", exact=True).tap()
    page.get_by_role("button", name="Groenten", exact=True).tap()
    tiles = page.get_by_role("group", name="Kiezen", exact=True).get_by_role("button")
    expect(tiles.first).to_be_visible()
    tiles = tiles.filter(has_not_text="/ kg")  # a weighed product opens the grams keypad
    page.wait_for_function(
        "() => document.querySelector('[aria-busy=true]') === null", polling="raf"
    )
    boxes = [tile.bounding_box() for tile in tiles.all()]
    page.evaluate(FEEDBACK_PROBE)
    frame_ms = page.evaluate(FRAME_INTERVAL)
    results = tap_results("till", page, context, boxes, taps)

    bare = context.new_page()
    bare.set_content(BARE_PAGE)
    bare.evaluate(FEEDBACK_PROBE)
    bare_boxes = [button.bounding_box() for button in bare.get_by_role("button").all()]
    results += tap_results("bare", bare, context, bare_boxes, taps)
    return tap_table(results, frame_ms)


def tap_results(
    name: str, page: Any, context: Any, boxes: list[Any], taps: int
) -> list[tuple[str, int, str, list[Tap]]]:
    """Tap at 1× and 4× CPU, held and quick; the CPU is back at 1× afterwards."""
    cdp = context.new_cdp_session(page)
    results = []
    for rate in (1, 4):
        cdp.send("Emulation.setCPUThrottlingRate", {"rate": rate})
        for held in (True, False):
            results.append(
                (
                    name,
                    rate,
                    "held" if held else "quick",
                    measure_taps(page, cdp, boxes, taps, held),
                )
            )
    cdp.send("Emulation.setCPUThrottlingRate", {"rate": 1})
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--taps", type=int, default=30, help="taps per CPU rate and tap kind (30)")
    parser.add_argument("--no-taps", action="store_true", help="measure the loads only")
    options = parser.parse_args(argv)
    print("\n".join(run(0 if options.no_taps else options.taps)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
