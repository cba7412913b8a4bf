"""gzip for text answers (pages, scripts, styles, JSON, SVG) when the browser asks for it.

A till on a shop's Wi-Fi loads its pages, scripts and catalog compressed to a fifth. Left as they
are: answers below MINIMUM_SIZE (gzip's header would eat the gain), streamed answers without a
length (exports), downloads (Content-Disposition: attachment), anything already encoded,
pictures that are compressed already (PNG, JPEG, WebP: not in COMPRESSIBLE), and answers marked
no-transform.
Every answer of a compressible type says Vary: Accept-Encoding, and its ETag becomes weak: the
compressed and the plain body are the same resource, and If-None-Match compares weakly.
"""

from __future__ import annotations

import gzip

from flask import Flask, Response, request

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
    response.set_data(gzip.compress(response.get_data(), compresslevel=LEVEL, mtime=0))
    response.headers["Content-Encoding"] = "gzip"
    response.headers.pop("Accept-Ranges", None)  # byte ranges of the plain file, not of this body
    return response


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
