"""Level names beside numeric scores: the words follow the rounded figure the reader sees."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from tracker.domain.framework.levels import describe_level, level_with_words

NAMES = {1: "Starting", 2: "Developing", 3: "Maturing", 4: "Thriving"}


def test_a_level_is_its_name_and_a_mean_sits_between_two():
    assert describe_level(1.0, NAMES) == "Starting"
    assert describe_level(1.74, NAMES) == "between Starting and Developing"
    assert describe_level(3.5, NAMES) == "between Maturing and Thriving"
    assert level_with_words(1.74, NAMES) == "1.74 — between Starting and Developing"


def test_words_follow_the_rounded_figure():
    assert f"{1.999:.2f}" == "2.00"
    assert describe_level(1.999, NAMES) == "Developing"
    assert describe_level(1.004, NAMES) == "Starting"


def test_no_score_and_values_off_the_scale():
    assert describe_level(None, NAMES) == "Not scored"
    assert level_with_words(None, NAMES) == "Not scored"
    assert describe_level(0.2, NAMES) == "Starting"
    assert describe_level(9, NAMES) == "Thriving"


@given(st.floats(min_value=1, max_value=4, allow_nan=False))
def test_every_value_on_the_scale_has_words_naming_a_level(value):
    words = describe_level(value, NAMES)
    assert any(name in words for name in NAMES.values())
    assert "None" not in words
