"""gzip for text answers (pages, scripts, styles, JSON, SVG) when the browser asks for it.

A till on a shop's Wi-Fi loads its pages, scripts and catalog compressed to a fifth. Left as they
are: answers below MINIMUM_SIZE (gzip's header would eat the gain), streamed answers without a
length (exports), downloads (Content-Disposition: attachment), anything already encoded,
pictures that are compressed already (PNG, JPEG, WebP: not in COMPRESSIBLE), and answers marked
no-transform.
Every answer of a compressible type says Vary: Accept-Encoding, and its ETag becomes weak: the
compressed and the plain body are the same resource, and If-None-Match compares weakly.
A file kept for good (Cache-Control immutable: the till's files at their version's URL, the
pictograms) has the same bytes at its URL for as long as the process runs, so it is compressed
once and its gzipped body kept (GzippedFiles, at most KEPT_FILES of them per app).
"""

from __future__ import annotations

import gzip
import threading
from collections import OrderedDict
from collections.abc import Callable

from flask import Flask, Response, current_app, request

COMPRESSIBLE = frozenset(
    {
        "text/html",
        "text/css",
        "text/javascript",
        "text/plain",
        "application/javascript",
        "application/json",
        "application/manifest+json",
        "image/svg+xml",
    }
)
MINIMUM_SIZE = 500
MAXIMUM_SIZE = 8 * 1024 * 1024  # larger text is a download, and compressing it would hold the CPU
LEVEL = 6
KEPT_FILES = 256  # the till's files and the pictograms it shows, with room to spare


def register_compression(app: Flask) -> None:
    """Compress text answers for browsers that accept gzip."""
    app.after_request(compress_response)


def compress_response(response: Response) -> Response:
    """Answer with the body gzipped when the browser accepts it and it is worth it."""
    if response.mimetype not in COMPRESSIBLE and response.status_code != 304:
        return response
    weaken_etag(response)
    if response.status_code == 304:
        return response
    response.vary.add("Accept-Encoding")
    if not worth_compressing(response) or not request.accept_encodings["gzip"]:
        return response
    response.direct_passthrough = False  # a static file: read it to compress it
    response.set_data(gzipped_body(response))
    response.headers["Content-Encoding"] = "gzip"
    response.headers.pop("Accept-Ranges", None)  # byte ranges of the plain file, not of this body
    return response


def gzipped_body(response: Response) -> bytes:
    """Return the answer's body gzipped: a file kept for good is compressed once per app."""

    def compress() -> bytes:
        return gzip.compress(response.get_data(), compresslevel=LEVEL, mtime=0)

    if "immutable" not in response.headers.get("Cache-Control", ""):
        return compress()
    kept: GzippedFiles = current_app.extensions.setdefault("gzipped_files", GzippedFiles())
    file = response.response  # still the open file when the kept body is used
    body = kept.get(request.path, compress)
    if file is response.response and hasattr(file, "close"):
        file.close()
    return body


class GzippedFiles:
    """Gzipped bodies of files kept for good, by URL path (with its version); the latest used."""

    def __init__(self, size: int = KEPT_FILES) -> None:
        self.size = size
        self.bodies: OrderedDict[str, bytes] = OrderedDict()
        self.lock = threading.Lock()  # waitress answers on several threads

    def get(self, path: str, compress: Callable[[], bytes]) -> bytes:
        """Return the kept body of path, compressing it first when it is not kept."""
        with self.lock:
            body = self.bodies.get(path)
            if body is not None:
                self.bodies.move_to_end(path)
                return body
        body = compress()  # outside the lock: two first requests may both compress, harmlessly
        with self.lock:
            self.bodies[path] = body
            if len(self.bodies) > self.size:
                self.bodies.popitem(last=False)
        return body


def worth_compressing(response: Response) -> bool:
    """Tell whether an answer is a whole, plain body of a useful size."""
    length = response.content_length
    return (
        response.status_code == 200
        and length is not None
        and MINIMUM_SIZE <= length <= MAXIMUM_SIZE
        and "Content-Encoding" not in response.headers
        and not response.headers.get("Content-Disposition", "").startswith("attachment")
        and "no-transform" not in response.headers.get("Cache-Control", "")
    )


def weaken_etag(response: Response) -> None:
    """Make a strong ETag weak: the same resource, gzipped or not."""
    etag, weak = response.get_etag()
    if etag and not weak:
        response.set_etag(etag, weak=True)
