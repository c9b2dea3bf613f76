from __future__ import annotations

from pipeline.parse.dates import dates, years
from pipeline.parse.references import diary_numbers


def test_diary_numbers_in_order_once_each():
    text = "(RS/76/2022), (HSN/736/2022) RS/27:1/2020 RUN/231/2020 RS/76/2022"
    assert diary_numbers(text) == ["RS/76/2022", "HSN/736/2022", "RS/27:1/2020", "RUN/231/2020"]


def test_dates_iso_and_written_out_invalid_ones_dropped():
    assert dates("avdelningen 2023-04-14 Beslutad 2024-01-23 § 7, 3 maj 2021, 2023-13-01") == [
        "2023-04-14",
        "2024-01-23",
        "2021-05-03",
    ]


def test_years_skip_dates_diary_numbers_and_amounts():
    assert years("Uppföljning 2022 RS/120/2023 2023-04-14 för år 2021 2020 000 kr") == [2022, 2021]
    assert years("God och nära vård 2024- En personcentrerad") == [2024]
