"""Scores in words: a numeric level (often a mean, such as 1.74) beside the names of the scale.

Board members read "Developing", not 1.74, so every page, export and report that shows a numeric level
shows its name too, from this one function, so the words agree everywhere.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from itertools import pairwise


def describe_level(value: float | None, level_names: Mapping[int, str], places: int = 2) -> str:
    """Say where `value` sits on the scale whose levels are `level_names` (number → name).

    The value is rounded to `places` first, the same rounding the reader sees beside it, so
    1.999 shown as "2.00" is "Developing", never "between Starting and Developing". A value on a
    level is that level's name; between two levels it is "between X and Y"; outside the scale it is
    clamped to the nearest end. No value is "Not scored".
    """
    if value is None or not level_names or math.isnan(value):
        return "Not scored"
    shown = round(value, places)
    levels = sorted(level_names)
    if shown <= levels[0]:
        return level_names[levels[0]]
    if shown >= levels[-1]:
        return level_names[levels[-1]]
    for lower, upper in pairwise(levels):
        if shown == lower:
            return level_names[lower]
        if lower < shown < upper:
            return f"between {level_names[lower]} and {level_names[upper]}"
    return level_names[levels[-1]]


def level_with_words(value: float | None, level_names: Mapping[int, str], places: int = 2) -> str:
    """The figure and its words together, as printed: "1.74 — between Starting and Developing"."""
    if value is None:
        return "Not scored"
    return f"{value:.{places}f} — {describe_level(value, level_names, places)}"
