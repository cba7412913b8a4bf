"""Server-drawn SVG charts: well-formed, accessible, and bars in proportion to their values."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from kiosk.reports.charts import (
    Series,
    bar_chart,
    horizontal_bars,
    line_chart,
    nice_maximum,
    tick_count,
)

SVG = "{http://www.w3.org/2000/svg}"


def parse(markup: str) -> ET.Element:
    """Parse a chart as XML (a broken tag or an unescaped '&' fails here)."""
    root = ET.fromstring(str(markup))
    assert root.tag == f"{SVG}svg"
    return root


def attribute(element: ET.Element, name: str) -> str:
    """Return an attribute the element must have."""
    value = element.get(name)
    assert value is not None, f"<{element.tag}> has no {name}"
    return value


def number(element: ET.Element, name: str) -> float:
    """Return a numeric attribute the element must have."""
    return float(attribute(element, name))


def text_of(element: ET.Element | None) -> str:
    """Return the text of an element that must exist and hold text."""
    assert element is not None and element.text is not None
    return element.text


def title_of(element: ET.Element) -> str:
    """Return the text of the element's <title> child."""
    return text_of(element.find(f"{SVG}title"))


def check_accessible(root: ET.Element, title: str) -> None:
    """Assert the chart is an image with a title and an aria-label that say what it shows."""
    assert root.get("role") == "img"
    assert root.get("aria-label") == title
    assert title_of(root) == title
    assert root.get("viewBox")


def bars(root: ET.Element) -> list[ET.Element]:
    """Return the chart's bars."""
    return root.findall(f".//{SVG}g[@class='bars']/{SVG}rect")


def test_bars_are_proportional_and_titled() -> None:
    root = parse(
        bar_chart(
            ["ma", "di", "wo", "do"],
            [Series("Hoevewinkel", [1000, 2500, 0, 500])],
            title="Omzet & meer <per dag>",
            fmt=lambda cents: f"{cents / 100:.2f} €",
        )
    )
    check_accessible(root, "Omzet & meer <per dag>")
    drawn = bars(root)
    assert len(drawn) == 3  # a zero draws no bar
    heights = [number(rect, "height") for rect in drawn]
    assert heights[1] / heights[0] == pytest.approx(2.5)
    assert heights[2] / heights[0] == pytest.approx(0.5)
    # the axis tops at a round number at least the largest value: 2500 fills the plot
    bottoms = {round(number(r, "y") + number(r, "height"), 2) for r in drawn}
    assert len(bottoms) == 1
    assert [title_of(rect) for rect in drawn] == [
        "ma: 10.00 €",
        "di: 25.00 €",
        "do: 5.00 €",
    ]


def test_stacked_series_add_up_and_have_a_legend() -> None:
    root = parse(
        bar_chart(
            ["1/11", "2/11"],
            [Series("Hoevewinkel", [300, 100]), Series("Bistro", [100, 0])],
            title="Omzet",
            fmt=str,
        )
    )
    first_day = [rect for rect in bars(root) if title_of(rect).startswith("1/11")]
    shop, bistro = (number(rect, "height") for rect in first_day)
    assert shop / bistro == pytest.approx(3)
    # stacked: the bistro's bar starts where the shop's ends
    shop_rect, bistro_rect = first_day
    assert number(bistro_rect, "y") + number(bistro_rect, "height") == pytest.approx(
        number(shop_rect, "y")
    )
    legend = [text.text for text in root.findall(f".//{SVG}g[@class='legend']/{SVG}text")]
    assert legend == ["Hoevewinkel", "Bistro"]
    assert len({rect.get("fill") for rect in first_day}) == 2


def test_a_line_chart_draws_this_year_and_the_previous_one() -> None:
    root = parse(
        line_chart(
            ["jan", "feb", "maa"],
            Series("Dit jaar", [100, 400, 200]),
            Series("Vorig jaar", [50, 0, 300]),
            title="Omzet per maand",
            fmt=str,
        )
    )
    check_accessible(root, "Omzet per maand")
    lines = root.findall(f".//{SVG}polyline")
    assert len(lines) == 2
    previous, current = lines
    assert previous.get("stroke-dasharray") and not current.get("stroke-dasharray")
    ys = [float(point.split(",")[1]) for point in attribute(current, "points").split()]
    # the previous year's second value is a 0: its point lies on the bottom
    bottom = [float(point.split(",")[1]) for point in attribute(previous, "points").split()][1]
    assert (bottom - ys[1]) / (bottom - ys[0]) == pytest.approx(4)
    points = [title_of(circle) for circle in root.iter(f"{SVG}circle")]
    assert "feb, Dit jaar: 400" in points and "maa, Vorig jaar: 300" in points


def test_horizontal_bars_are_proportional_to_the_largest() -> None:
    root = parse(
        horizontal_bars(
            ["Boerenbrood", "Eieren (6)", "Een heel lange productnaam die niet past"],
            [4000, 1000, 0],
            title="Top",
            fmt=str,
        )
    )
    check_accessible(root, "Top")
    widths = [number(rect, "width") for rect in bars(root)]
    assert widths[0] / widths[1] == pytest.approx(4)
    assert widths[2] == 0
    labels = [text_of(text) for text in root.iter(f"{SVG}text")]
    assert "Boerenbrood" in labels and any(label.endswith("…") for label in labels)


def test_charts_without_data_still_draw() -> None:
    for markup in (
        bar_chart([], [Series("x", [])], title="Leeg", fmt=str),
        line_chart([], Series("x", []), title="Leeg", fmt=str),
        horizontal_bars([], [], title="Leeg", fmt=str),
        bar_chart(["a"], [Series("x", [-500])], title="Negatief", fmt=str),
    ):
        parse(markup)


@pytest.mark.parametrize(
    ("largest", "top"),
    [(0, 1), (1, 1), (7, 8), (11, 20), (100, 100), (101, 200), (2100, 2500), (2600, 3000)],
)
def test_the_axis_ends_at_a_round_number(largest: int, top: int) -> None:
    assert nice_maximum(largest) == top


@pytest.mark.parametrize(
    ("maximum", "steps"), [(1, 1), (6, 3), (8, 4), (250, 5), (300, 3), (800, 4), (2500, 5)]
)
def test_the_grid_steps_are_round(maximum: int, steps: int) -> None:
    assert tick_count(maximum) == steps
