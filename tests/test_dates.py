"""Event dates: relative expressions resolved against the article date, never invented."""

from __future__ import annotations

from datetime import date

import pytest

from tasks.normalize.dates import resolve_date

TUESDAY = date(2023, 9, 12)  # an article published on Tuesday 12 September 2023


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("On Monday", (date(2023, 9, 11), "day")),
        ("on Tuesday", (date(2023, 9, 12), "day")),  # the paper's own day
        ("last Tuesday", (date(2023, 9, 5), "day")),
        ("on Friday", (date(2023, 9, 8), "day")),
        ("next Friday", (date(2023, 9, 15), "day")),
        ("On Monday (Sep 11)", (date(2023, 9, 11), "day")),
        ("yesterday", (date(2023, 9, 11), "day")),
        ("today", (date(2023, 9, 12), "day")),
        ("two days ago", (date(2023, 9, 10), "day")),
        ("last month", (date(2023, 8, 1), "month")),
        ("this month", (date(2023, 9, 1), "month")),
        ("in August last year", (date(2022, 8, 1), "month")),
        ("In August", (date(2023, 8, 1), "month")),
        ("last year", (date(2022, 1, 1), "year")),
        ("since this spring", (date(2023, 1, 1), "year")),
        ("on Sept. 11", (date(2023, 9, 11), "day")),
        ("September 3", (date(2023, 9, 3), "day")),
        ("earlier this month", (date(2023, 9, 1), "month")),
        ("later this year", (date(2023, 1, 1), "year")),
    ],
)
def test_relative_expressions(text, expected):
    assert resolve_date(text, TUESDAY) == expected


@pytest.mark.parametrize(
    ("text", "published", "expected"),
    [
        ("in December", date(2024, 1, 5), (date(2023, 12, 1), "month")),
        ("on Dec. 28", date(2024, 1, 5), (date(2023, 12, 28), "day")),
        ("last year", date(2024, 1, 5), (date(2023, 1, 1), "year")),
        ("last month", date(2024, 1, 5), (date(2023, 12, 1), "month")),
        ("on Friday", date(2024, 1, 1), (date(2023, 12, 29), "day")),
        ("in January", date(2023, 12, 20), (date(2024, 1, 1), "month")),
    ],
)
def test_year_boundaries(text, published, expected):
    assert resolve_date(text, published) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2023-09-11", (date(2023, 9, 11), "day")),
        ("on September 11, 2023", (date(2023, 9, 11), "day")),
        ("11 September 2001", (date(2001, 9, 11), "day")),
        ("in May 2022", (date(2022, 5, 1), "month")),
        ("in 2022", (date(2022, 1, 1), "year")),
        ("since 2003", (date(2003, 1, 1), "year")),
    ],
)
def test_absolute_dates_need_no_article_date(text, expected):
    assert resolve_date(text, None) == expected
    assert resolve_date(text, TUESDAY) == expected


@pytest.mark.parametrize(
    "text", ["On Monday", "last month", "in August last year", "yesterday", "on Sept. 11"]
)
def test_relative_expressions_without_article_date_are_not_resolved(text):
    assert resolve_date(text, None) == (None, None)


@pytest.mark.parametrize(
    "text",
    ["last week", "in recent months", "Four months later", "the 1990s", "", "weekly", "Feb 30"],
)
def test_vague_or_invalid_expressions_are_not_resolved(text):
    assert resolve_date(text, TUESDAY) == (None, None)
