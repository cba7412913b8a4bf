"""gzip and caching over real HTTP (waitress): what a tablet receives, byte for byte.

Text answers (the till's page, its scripts and styles, JSON, SVG) come gzipped when the browser
asks for gzip, and are the same bytes once decompressed; tiny answers and pictures that are
compressed already come as they are. The till's versioned files are kept a year (immutable),
carry no page-level security headers, do not vary with the cookie, and are compressed once per
process; the page itself keeps all of them and is compressed each time.
"""

from __future__ import annotations

import gzip
import http.client
import re
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

import pytest

from kiosk import compression
from tests.conftest import LiveServer

GZIP = {"Accept-Encoding": "gzip, deflate"}
PLAIN = {"Accept-Encoding": "identity"}


def fetch(server: LiveServer, path: str, headers: dict[str, str]) -> http.client.HTTPResponse:
    """GET a path over a fresh HTTP connection; the answer's body is read and kept on it."""
    address = urlsplit(server.url)
    connection = http.client.HTTPConnection(address.hostname or "", address.port, timeout=10)
    connection.request("GET", path, headers=headers)
    answer = connection.getresponse()
    answer.body = answer.read()  # type: ignore[attr-defined]
    connection.close()
    return answer


def body(answer: http.client.HTTPResponse) -> bytes:
    """Return the body as sent."""
    data: bytes = answer.body  # type: ignore[attr-defined]
    return data


def till_script(server: LiveServer) -> str:
    """Return the versioned URL of till.js, as the till's page links it."""
    page = gzip.decompress(body(fetch(server, "/till", GZIP))).decode()
    return re.search(r'src="(/static/v/[0-9a-f]+/till/js/till\.js)"', page).group(1)  # type: ignore[union-attr]


@pytest.mark.parametrize("kind", ["page", "script", "style", "catalog", "svg"])
def test_text_answers_are_gzipped_when_asked_and_the_same_once_unpacked(
    live_server: LiveServer, farm_shop: dict[str, Any], kind: str
) -> None:
    script = till_script(live_server)
    path, headers = {
        "page": ("/till", {}),
        "script": (script, {}),
        "style": (script.replace("js/till.js", "till.css"), {}),
        "catalog": ("/api/v1/catalog", farm_shop["headers"]),
        "svg": ("/pictograms/1F35E.svg", {}),
    }[kind]
    packed = fetch(live_server, path, headers | GZIP)
    plain = fetch(live_server, path, headers | PLAIN)
    assert (packed.status, plain.status) == (200, 200)
    assert packed.headers["Content-Encoding"] == "gzip"
    assert plain.headers["Content-Encoding"] is None
    assert gzip.decompress(body(packed)) == body(plain)
    assert int(packed.headers["Content-Length"]) == len(body(packed)) < len(body(plain)) / 2
    for answer in (packed, plain):
        assert "Accept-Encoding" in answer.headers["Vary"]
        assert answer.headers["Accept-Ranges"] is None or answer is plain


def test_tiny_and_already_compressed_answers_are_sent_as_they_are(
    live_server: LiveServer,
) -> None:
    health = fetch(live_server, "/healthz", GZIP)  # a few bytes of JSON
    icon = fetch(live_server, "/favicon.ico", GZIP)  # a picture format gzip does not help
    assert (health.status, icon.status) == (200, 200)
    assert health.headers["Content-Encoding"] is None and icon.headers["Content-Encoding"] is None
    assert len(body(health)) == int(health.headers["Content-Length"]) < 500


def test_a_gzipped_page_answers_304_to_its_own_etag(live_server: LiveServer) -> None:
    first = fetch(live_server, "/till", GZIP)
    etag = first.headers["ETag"]
    assert etag.startswith('W/"')  # the same page gzipped or not: a weak ETag
    again = fetch(live_server, "/till", GZIP | {"If-None-Match": etag})
    assert (again.status, body(again)) == (304, b"")
    assert fetch(live_server, "/till", PLAIN | {"If-None-Match": etag}).status == 304


def test_the_tills_files_are_kept_a_year_and_sent_without_page_headers(
    live_server: LiveServer,
) -> None:
    script = fetch(live_server, till_script(live_server), GZIP)
    page = fetch(live_server, "/till", GZIP)
    assert script.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert script.headers["X-Content-Type-Options"] == "nosniff"
    assert script.headers["Content-Security-Policy"] is None
    assert script.headers["ETag"] is None  # never asked about again
    assert page.headers["Cache-Control"] == "no-cache"
    assert "script-src 'self'" in page.headers["Content-Security-Policy"]
    assert page.headers["X-Frame-Options"] == "DENY"


def test_an_old_versions_url_is_answered_but_not_kept(live_server: LiveServer) -> None:
    old = re.sub(r"/v/[0-9a-f]+/", "/v/000000000000/", till_script(live_server))
    answer = fetch(live_server, old, GZIP)
    assert answer.status == 200
    assert "immutable" not in (answer.headers["Cache-Control"] or "")
    assert answer.headers["Content-Security-Policy"] is not None


def test_a_file_kept_for_good_is_compressed_once_and_varies_only_with_the_encoding(
    live_server: LiveServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    compressed: list[int] = []
    real_compress = gzip.compress

    def counting_compress(data: bytes, *args: Any, **kwargs: Any) -> bytes:
        compressed.append(len(data))
        return real_compress(data, *args, **kwargs)

    script = till_script(live_server)
    monkeypatch.setattr(compression.gzip, "compress", counting_compress)
    answers = [fetch(live_server, script, GZIP) for _ in range(3)]
    plain = fetch(live_server, script, PLAIN)
    assert len(compressed) == 1  # once, then the kept body
    assert {body(answer) for answer in answers} == {body(answers[0])}
    assert gzip.decompress(body(answers[0])) == body(plain)
    assert all(answer.headers["Vary"] == "Accept-Encoding" for answer in answers)  # no Cookie

    page = [fetch(live_server, "/till", GZIP) for _ in range(2)]
    assert len(compressed) == 3  # a page is compressed each time: it may change
    assert all("Cookie" in answer.headers["Vary"] for answer in page)  # its language does


def test_the_kept_bodies_are_bounded_the_longest_unused_going_first() -> None:
    compressions: list[str] = []

    def compress(path: str) -> Callable[[], bytes]:
        def compressing() -> bytes:
            compressions.append(path)
            return path.encode()

        return compressing

    kept = compression.GzippedFiles(size=2)
    for path in ("/a", "/b", "/a", "/c", "/a", "/b"):
        assert kept.get(path, compress(path)) == path.encode()
    assert compressions == ["/a", "/b", "/c", "/b"]  # /b went when /c came; /a stayed in use
