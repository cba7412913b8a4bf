"""A person's till settings in real Chromium: tile size, large digits, and speech (nl only).

The settings are set as the back office and `pluskassa user set` set them (the operation
behind both); the till reads them from the catalogue when that person is at the till.
"""

from __future__ import annotations

import pytest
from flask import Flask
from playwright.sync_api import Page, expect

from kiosk.extensions import db
from kiosk.organisation.people import change_till_settings
from kiosk.organisation.till_settings import TillSettings
from tests.browser.till_support import (  # noqa: F401  (the fixtures)
    TillServer,
    TillShop,
    basket,
    button,
    heading,
    open_tablet_fixture,
    pair,
    start_shift,
    tablet_fixture,
    tap,
    till_server_fixture,
    till_shop_fixture,
)


def give(app: Flask, name: str, settings: TillSettings) -> None:
    """Store a person's till settings."""
    with app.app_context():
        change_till_settings(name, settings)
        db.session.commit()


def css(page: Page, selector: str, prop: str) -> float:
    """The computed size (px) of the first visible element matching `selector`."""
    value = (
        page.locator(selector)
        .filter(visible=True)
        .first.evaluate(f"(node) => getComputedStyle(node).{prop}")
    )
    return float(value.removesuffix("px"))


def tile_height(page: Page, name: str) -> float:
    """The height of a product tile on screen."""
    box = button(page, name).bounding_box()
    assert box is not None
    return box["height"]


@pytest.mark.browser
def test_tile_size_and_large_digits_follow_the_person_at_the_till_also_after_a_reload(
    tablet: Page, till_server: TillServer, till_shop: TillShop, app: Flask
) -> None:
    give(app, "Sam", TillSettings(tile_size=200, large_digits=True))
    give(app, "Lotte", TillSettings(large_digits=True))
    start_shift(tablet, till_server.url, till_shop.token, "Jan")
    jan_tile = tile_height(tablet, "Boerenbrood")
    tap(tablet, "Boerenbrood")
    jan = {
        "price": css(tablet, ".tile-price", "fontSize"),
        "total": css(tablet, ".total-amount", "fontSize"),
        "line": css(tablet, ".line-amount", "fontSize"),
    }
    assert 160 <= jan_tile < 200
    assert jan == {"price": 20, "total": 40, "line": 19}

    tap(tablet, "Stop", "Sam")
    expect(button(tablet, "Betalen")).to_be_visible()
    assert tile_height(tablet, "Boerenbrood") >= 200
    sam = {
        "price": css(tablet, ".tile-price", "fontSize"),
        "total": css(tablet, ".total-amount", "fontSize"),
        "line": css(tablet, ".line-amount", "fontSize"),
    }
    assert sam["price"] >= 1.4 * jan["price"]
    assert sam["total"] >= 1.4 * jan["total"]
    assert sam["line"] >= 1.4 * jan["line"]
    expect(basket(tablet).get_by_role("status", name="Totaal")).to_have_text("3,80 €")
    tablet.reload()  # Sam is still at the till: still his tiles and digits
    expect(button(tablet, "Betalen")).to_be_visible()
    assert tile_height(tablet, "Boerenbrood") >= 200
    assert css(tablet, ".tile-price", "fontSize") == sam["price"] >= 28

    # Lotte's PIN: her digits are large from the moment her PIN screen shows; back to Jan's
    tap(tablet, "Stop")
    expect(heading(tablet, "Wie ben jij?")).to_be_visible()
    assert tile_height(tablet, "Jan") < 200  # nobody at the till: the till's own size
    tap(tablet, "Lotte")
    expect(tablet.locator(".pin-dots").filter(visible=True)).to_have_count(1)
    assert css(tablet, ".pin-keypad .key", "fontSize") >= 56
    assert css(tablet, ".pin-dots", "fontSize") >= 64
    tap(tablet, "Terug", "Jan")
    expect(button(tablet, "Betalen")).to_be_visible()
    assert tile_height(tablet, "Boerenbrood") == pytest.approx(jan_tile)
    assert css(tablet, ".tile-price", "fontSize") == jan["price"]


#: speechSynthesis with a chosen voice list, recording what it is asked to say
FAKE_VOICES = """
(() => {
  const voices = %s;
  window.__spoken = [];
  window.SpeechSynthesisUtterance = class { constructor(text) { this.text = text; } };
  const synth = window.speechSynthesis;
  synth.getVoices = () => voices;
  synth.cancel = () => {};
  synth.speak = (utterance) => window.__spoken.push(
    { text: utterance.text, lang: utterance.lang, voice: utterance.voice && utterance.voice.name });
})();
"""
NL_BE = '[{"name": "Google Nederlands (België)", "lang": "nl-BE", "localService": true}]'
ENGLISH = '[{"name": "Google US English", "lang": "en-US", "localService": true}]'


def spoken(page: Page) -> list[dict[str, str]]:
    """What the till asked the browser to say."""
    return page.evaluate("() => window.__spoken")


@pytest.mark.browser
@pytest.mark.parametrize(("voices", "speaks"), [(NL_BE, True), (ENGLISH, False), ("[]", False)])
def test_speech_speaks_dutch_only_with_a_dutch_voice(
    tablet: Page,
    till_server: TillServer,
    till_shop: TillShop,
    app: Flask,
    voices: str,
    speaks: bool,
) -> None:
    give(app, "Sam", TillSettings(speech=True))
    tablet.add_init_script(FAKE_VOICES % voices)
    pair(tablet, till_server.url, till_shop.token)
    tap(tablet, "Jan")  # speech off for Jan: never a word
    tap(tablet, "Boerenbrood")
    expect(basket(tablet).get_by_role("status", name="Totaal")).to_have_text("3,80 €")
    assert spoken(tablet) == []
    tap(tablet, "Stop", "Sam", "Appelsap")
    expect(basket(tablet).get_by_role("status", name="Totaal")).to_have_text("6,10 €")
    if speaks:
        assert {"text": "Appelsap, twee euro dertig", "lang": "nl-BE"}.items() <= spoken(tablet)[
            -1
        ].items()
        assert spoken(tablet)[-1]["voice"] == "Google Nederlands (België)"
    else:
        assert spoken(tablet) == []


#: an AudioContext that counts the clicks the till plays
COUNTED_CLICKS = """
window.__clicks = 0;
window.AudioContext = class {
  constructor() { this.currentTime = 0; this.destination = {}; }
  createGain() { return { gain: {}, connect: (next) => next }; }
  createOscillator() {
    return { frequency: {}, connect: (next) => next, start: () => { window.__clicks += 1; },
             stop: () => {} };
  }
};
"""


@pytest.mark.browser
def test_sound_clicks_only_for_people_who_have_it(
    tablet: Page, till_server: TillServer, till_shop: TillShop, app: Flask
) -> None:
    give(app, "Sam", TillSettings(sound=False))
    tablet.add_init_script(COUNTED_CLICKS)
    start_shift(tablet, till_server.url, till_shop.token, "Jan")  # sound on, as everyone starts
    before = tablet.evaluate("() => window.__clicks")
    tap(tablet, "Boerenbrood")
    expect(basket(tablet).get_by_role("status", name="Totaal")).to_have_text("3,80 €")
    assert tablet.evaluate("() => window.__clicks") > before
    tap(tablet, "Stop", "Sam")
    expect(button(tablet, "Betalen")).to_be_visible()
    before = tablet.evaluate("() => window.__clicks")
    tap(tablet, "Appelsap")
    expect(basket(tablet).get_by_role("status", name="Totaal")).to_have_text("6,10 €")
    assert tablet.evaluate("() => window.__clicks") == before
