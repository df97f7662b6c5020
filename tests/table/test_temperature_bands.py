"""Temperatures chosen from a form's options: every option text read as its (low, high) bounds."""

from __future__ import annotations

import math

import pytest

from gridtool.table.values import parse_temperature_band

BELOW = math.nextafter  # `37.3℃以下` leaves 37.3 itself out


@pytest.mark.parametrize("text, low, high", [
    ("36.5℃以下", -math.inf, BELOW(36.5, -math.inf)),
    ("36.5-37.2℃", 36.5, 37.2),
    ("37.2℃及以下", -math.inf, 37.2),
    ("37.3℃以下", -math.inf, BELOW(37.3, -math.inf)),
    ("37.3℃及以上", 37.3, math.inf),
    ("37.3℃-37.9℃", 37.3, 37.9),
    ("37.3℃-38.4℃（请及时就医并在3天内进行3次核酸检测）", 37.3, 38.4),
    ("38℃及以上", 38.0, math.inf),
    ("38.5℃及以上（请及时就医并在3天内进行3次核酸检测）", 38.5, math.inf),
    ("３７．３℃及以上", 37.3, math.inf),            # full-width digits
    ("３６．５－３７．２℃", 36.5, 37.2),             # full-width dash
    ("36.5度~37.2度", 36.5, 37.2),
    ("36.5～37.2°C", 36.5, 37.2),
    ("36.5至37.2℃", 36.5, 37.2),
    ("37.3°C以上", 37.3, math.inf),
    ("36℃以下（Below 36℃）", -math.inf, BELOW(36.0, -math.inf)),  # Xidian 晨午晚检 options
    ("36.5℃~36.9℃", 36.5, 36.9),
    ("40℃以上（Above 40℃）", 40.0, math.inf),
    ("37.3度以上", 37.3, math.inf),
    ("≥37.3℃", 37.3, math.inf),
    ("＜37.3℃", -math.inf, BELOW(37.3, -math.inf)),
    ("不超过37.3℃", -math.inf, 37.3),
    ("37.3℃（含）以下", -math.inf, 37.3),
    ("正常（37.3℃以下）", -math.inf, BELOW(37.3, -math.inf)),
    ("36.6", 36.6, 36.6),
    ("36.6℃", 36.6, 36.6),
])
def test_every_option_text_reads_as_its_bounds(text: str, low: float, high: float) -> None:
    assert parse_temperature_band(text) == (low, high)


@pytest.mark.parametrize("text", ["", "-", "未打卡"])
def test_a_blank_option_is_none(text: str) -> None:
    assert parse_temperature_band(text) is None


@pytest.mark.parametrize("text", ["正常", "体温正常", "abc", "37.3℃左右"])
def test_an_unreadable_option_is_nan(text: str) -> None:
    low, high = parse_temperature_band(text)
    assert math.isnan(low) and math.isnan(high)


@pytest.mark.parametrize("text, low, high", [
    ("(-inf, 36]", -math.inf, 36.0),
    ("(36.5, 36.9]", math.nextafter(36.5, math.inf), 36.9),
    ("(37.3, 38]", math.nextafter(37.3, math.inf), 38.0),
    ("(40, +inf)", math.nextafter(40.0, math.inf), math.inf),
])
def test_interval_notation_options(text: str, low: float, high: float) -> None:
    assert parse_temperature_band(text) == (low, high)
