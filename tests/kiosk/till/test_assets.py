"""The till's versioned scripts and styles go out without their comments, lines kept in place."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient

from kiosk.till.assets import lean

SCRIPT = """// the module's purpose
import { a } from "./a.js";
  // an indented comment
const url = "http://example.org"; // a comment after code stays
const text = `first line
// not a comment: inside a template literal
last line`;
export default a;
"""


def test_a_script_loses_its_comment_lines_but_not_a_template_literals_text() -> None:
    lines = lean("till/js/x.js", SCRIPT).split("\n")
    assert len(lines) == len(SCRIPT.split("\n"))  # every line where it was
    assert lines[0] == "" and lines[2] == ""
    assert lines[3].endswith("// a comment after code stays")
    assert lines[5] == "// not a comment: inside a template literal"
    assert lines[7] == "export default a;"


def test_a_style_sheet_loses_its_comments_and_keeps_its_lines() -> None:
    sheet = "/* the till */\n.a { color: red; } /* two\nlines */\n.b { margin: 0; }\n"
    assert lean("till/till.css", sheet) == "\n.a { color: red; } \n\n.b { margin: 0; }\n"


def test_the_versioned_files_are_served_lean_and_the_plain_ones_as_written(
    app: Flask, client: FlaskClient
) -> None:
    with app.test_request_context():
        from kiosk.till.assets import till_asset

        versioned = till_asset("js/api.js")
    with client.get("/static/till/js/api.js") as unversioned:
        plain = unversioned.get_data(as_text=True)
    served = client.get(versioned, headers={"Accept-Encoding": "identity"})
    text = served.get_data(as_text=True)
    assert any(line.lstrip().startswith("//") for line in plain.split("\n"))
    assert not [line for line in text.split("\n") if line.lstrip().startswith("//")]
    assert text.count("\n") == plain.count("\n")
    assert int(served.headers["Content-Length"]) == len(served.get_data())
    assert "immutable" in served.headers["Cache-Control"]
