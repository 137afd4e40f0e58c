"""The SVG charts are accessible: role, title, description with the numbers, escaped text."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from tracker.readiness.svg import Series, bar_chart, line_chart, radar_chart

SVG = "{http://www.w3.org/2000/svg}"


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)  # noqa: S314 - our own output, in a test


def test_radar_has_title_desc_and_one_polygon_per_series():
    svg = radar_chart(
        "r", "Components <by round>", ["A", "B", "C"],
        [Series("Baseline", (1, 2, 1)), Series("Expected & more", (1.5, 2.5, 1.25))], 4,
    )  # fmt: skip
    root = parse(svg)
    assert root.get("role") == "img"
    assert root.get("aria-labelledby") == "r-title r-desc"
    assert root.find(f"{SVG}title").text == "Components <by round>"
    assert "Expected & more: A 1.50, B 2.50, C 1.25." in root.find(f"{SVG}desc").text
    assert "style" not in svg
    # 4 rings + 2 series
    assert len(root.findall(f"{SVG}polygon")) == 6


def test_bar_chart_states_bar_order_and_values():
    svg = bar_chart(
        "b", "Questions", ["Q1", "Q2"], [Series("Now", (1, 2)), Series("Expected", (1.8, 2))], 4
    )
    root = parse(svg)
    desc = root.find(f"{SVG}desc").text
    assert desc.startswith("Each group has one bar per series, top to bottom: now, expected.")
    assert "Expected: Q1 1.80, Q2 2.00." in desc
    assert len(root.findall(f"{SVG}rect")) == 4 + 2  # bars + legend keys


def test_line_chart_labels_both_ends():
    svg = line_chart(
        "t", "Trend", ["1 Nov 2026", "27 Nov 2026"], [Series("Expected", (1.5, 1.7))], 4
    )
    texts = [t.text for t in parse(svg).iter(f"{SVG}text")]
    assert "1 Nov 2026" in texts and "27 Nov 2026" in texts


def test_radar_names_long_component_names_on_wrapped_lines():
    name = "5. Embedding improvement into management systems and processes"
    svg = radar_chart("r", "Components", ["1. Short", name], [Series("Now", (1, 2))], 4)
    root = parse(svg)
    spans = [t.text for t in root.iter(f"{SVG}tspan")]
    assert spans[0] == "1. Short"
    assert " ".join(spans[1:]) == name and all(len(s) <= 20 for s in spans[1:])
    assert f"{name} 2.00" in root.find(f"{SVG}desc").text
