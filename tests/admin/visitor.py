"""A visitor of the back office over real HTTP, from a loopback address of its choice.

Waitress sees 127.0.0.1 and 127.0.0.2 as two client addresses, so two visitors on the one live
server are two computers as far as the limits on guessing are concerned. A visitor keeps its
cookies like a browser; `cookies` can be copied to another visitor, as a thief would.
"""

from __future__ import annotations

import http.client
import re
from dataclasses import dataclass
from urllib.parse import urlencode, urlsplit

from tests.conftest import csrf_token


@dataclass(frozen=True)
class Answer:
    """A response: status, Location (if any) and body."""

    status: int
    location: str
    text: str


class Visitor:
    """One browser on one loopback address."""

    def __init__(self, server_url: str, address: str = "127.0.0.1") -> None:
        parts = urlsplit(server_url)
        self.host, self.port = parts.hostname or "127.0.0.1", parts.port or 80
        self.address = address
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, form: dict[str, str] | None = None) -> Answer:
        """Send one request (a form as the body of a POST) and keep the cookies it sets."""
        connection = http.client.HTTPConnection(
            self.host, self.port, timeout=30, source_address=(self.address, 0)
        )
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        body = None
        if form is not None:
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            text = response.read().decode()
            for cookie in response.headers.get_all("Set-Cookie") or []:
                self.keep(cookie)
            return Answer(response.status, response.headers.get("Location", ""), text)
        finally:
            connection.close()

    def keep(self, set_cookie: str) -> None:
        """Keep a cookie as a browser would, or drop it when the server deletes it."""
        name, _sep, rest = set_cookie.partition("=")
        value = rest.split(";", 1)[0]
        if not value or re.search(r"Expires=Thu, 01 Jan 1970", set_cookie, re.IGNORECASE):
            self.cookies.pop(name, None)
        else:
            self.cookies[name] = value

    def get(self, path: str) -> Answer:
        """GET a page."""
        return self.request("GET", path)

    def post(self, path: str, form: dict[str, str]) -> Answer:
        """POST a form."""
        return self.request("POST", path, form)

    def login(self, name: str, password: str) -> Answer:
        """Log in through the form, as a person would: open the page, fill it in, send it."""
        page = self.get("/admin/login")
        return self.post(
            "/admin/login",
            {"name": name, "password": password, "csrf_token": csrf_token(page.text)},
        )
