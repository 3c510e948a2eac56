"""Event dates: an expression as written ("on Monday", "in August last year") made absolute.

Relative expressions are resolved against the article's publication date, following news usage:
a bare weekday is the most recent such day on or before publication (a paper dated Monday
that says "on Monday" means that day), "last Monday" the one strictly before; a month or a
month and day without a year is the occurrence nearest the publication date ("in December"
in a January article is last December). Nothing is guessed: without the article date only
absolute expressions resolve, and spans that are not a day, month or year ("last week", "in
recent months", "four months later") give (None, None). A season gives its year.
"""

from __future__ import annotations

import calendar
import re
from datetime import date, timedelta

_MONTHS = {
    name.lower(): number
    for number in range(1, 13)
    for name in (calendar.month_name[number], calendar.month_abbr[number])
} | {"sept": 9}
_WEEKDAYS = {name.lower(): number for number, name in enumerate(calendar.day_name)} | {
    name.lower(): number for number, name in enumerate(calendar.day_abbr)
}
_SEASONS = ("spring", "summer", "autumn", "fall", "winter")
_NUMBER_WORDS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
}  # fmt: skip

_MONTH = r"(?P<month>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>(?:1[89]|20)\d\d)"
_ISO = re.compile(r"\b" + _YEAR + r"-(?P<month>\d{1,2})-(?P<day>\d{1,2})\b")
_MONTH_DAY = re.compile(r"\b" + _MONTH + r"\s+" + _DAY + r"\b(?:,?\s+" + _YEAR + r"\b)?")
_DAY_MONTH = re.compile(r"\b" + _DAY + r"\s+(?:of\s+)?" + _MONTH + r"(?:,?\s+" + _YEAR + r"\b)?")
_MONTH_YEAR = re.compile(r"\b" + _MONTH + r"(?:\s+of)?,?\s+" + _YEAR + r"\b")
_MONTH_RELATIVE = re.compile(r"\b" + _MONTH + r"\s+(?P<which>last|this|next)\s+year\b")
_MONTH_ALONE = re.compile(r"\b(?:(?P<which>last|this|next)\s+)?" + _MONTH + r"(?!\s*\d)")
_YEAR_ALONE = re.compile(r"\b" + _YEAR + r"\b")
_RELATIVE_UNIT = re.compile(r"\b(?P<which>last|this|next)\s+(?P<unit>month|year)\b")
_AGO = re.compile(
    r"\b(?P<count>\d+|" + "|".join(_NUMBER_WORDS) + r")\s+(?P<unit>day|month|year)s?\s+ago\b"
)
_WEEKDAY = re.compile(
    r"\b(?:(?P<which>last|this|next|on)\s+)?(?P<weekday>"
    + "|".join(sorted(_WEEKDAYS, key=len, reverse=True))
    + r")\b\.?"
)
_SEASON = re.compile(
    r"\b(?:(?P<which>last|this|next)\s+)?(?P<season>" + "|".join(_SEASONS) + r")\b"
)
# "earlier this month", "later this year": within the month or year named, not vague.
_WITHIN = re.compile(r"\b(?:earlier|later)\s+(?=(?:this|last|next)\s+(?:month|year)\b)")
# Spans that are not a single day, month or year: never resolved.
_VAGUE = re.compile(
    r"\b(?:weeks?|weekends?|decades?|century|recent|recently|later|earlier|quarter|past|coming|"
    r"few|several|couple|last\s+\d+|next\s+\d+)\b"
)


def _month_nearest(month: int, published: date) -> date:
    """The first day of the given month in the year that puts it nearest the article date."""
    candidates = [date(published.year + shift, month, 1) for shift in (-1, 0, 1)]
    reference = published.replace(day=1)
    return min(candidates, key=lambda d: (abs((d - reference).days), d > reference))


def _add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def _safe_date(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _absolute(text: str, published: date | None) -> tuple[date | None, str | None] | None:
    """Expressions with a calendar date in them; None when there is none."""
    if match := _ISO.search(text):
        day = _safe_date(int(match["year"]), int(match["month"]), int(match["day"]))
        return (day, "day") if day else (None, None)
    for pattern in (_MONTH_DAY, _DAY_MONTH):
        if match := pattern.search(text):
            month, day_number = _MONTHS[match["month"]], int(match["day"])
            if match["year"]:
                day = _safe_date(int(match["year"]), month, day_number)
                return (day, "day") if day else (None, None)
            if published is None:
                return None, None
            candidates = [
                _safe_date(published.year + shift, month, day_number) for shift in (-1, 0, 1)
            ]
            valid = [d for d in candidates if d is not None]
            if not valid:
                return None, None
            return min(valid, key=lambda d: (abs((d - published).days), d > published)), "day"
    if match := _MONTH_YEAR.search(text):
        return date(int(match["year"]), _MONTHS[match["month"]], 1), "month"
    return None


def _relative(text: str, published: date) -> tuple[date | None, str | None]:
    """Expressions that need the article date."""
    if text in ("today", "tonight", "this morning", "this afternoon", "this evening"):
        return published, "day"
    if text in ("yesterday", "last night"):
        return published - timedelta(days=1), "day"
    if text == "tomorrow":
        return published + timedelta(days=1), "day"
    if match := _AGO.search(text):
        count = _NUMBER_WORDS.get(match["count"]) or int(match["count"])
        if match["unit"] == "day":
            return published - timedelta(days=count), "day"
        if match["unit"] == "month":
            return _add_months(published.replace(day=1), -count), "month"
        return date(published.year - count, 1, 1), "year"
    if match := _MONTH_RELATIVE.search(text):
        shift = {"last": -1, "this": 0, "next": 1}[match["which"]]
        return date(published.year + shift, _MONTHS[match["month"]], 1), "month"
    if match := _RELATIVE_UNIT.search(text):
        shift = {"last": -1, "this": 0, "next": 1}[match["which"]]
        if match["unit"] == "month":
            return _add_months(published.replace(day=1), shift), "month"
        return date(published.year + shift, 1, 1), "year"
    if match := _WEEKDAY.search(text):
        weekday = _WEEKDAYS[match["weekday"]]
        back = (published.weekday() - weekday) % 7
        if match["which"] == "next":
            return published + timedelta(days=(weekday - published.weekday()) % 7 or 7), "day"
        if match["which"] == "last" and back == 0:
            back = 7
        return published - timedelta(days=back), "day"
    if match := _SEASON.search(text):
        shift = {"last": -1, "next": 1}.get(match["which"] or "", 0)
        return date(published.year + shift, 1, 1), "year"
    if match := _MONTH_ALONE.search(text):
        month = _MONTHS[match["month"]]
        if match["which"] == "last":
            reference = _add_months(published.replace(day=1), -1)
            year = reference.year if month <= reference.month else reference.year - 1
            return date(year, month, 1), "month"
        if match["which"] == "next":
            year = published.year if month > published.month else published.year + 1
            return date(year, month, 1), "month"
        if match["which"] == "this":
            return date(published.year, month, 1), "month"
        return _month_nearest(month, published), "month"
    return None, None


def resolve_date(date_text: str, published: date | None) -> tuple[date | None, str | None]:
    """(event date, precision "day" | "month" | "year"), or (None, None) when not certain."""
    text = " ".join(date_text.lower().replace("’", "'").split()) if date_text else ""
    text = _WITHIN.sub("", text)
    if not text:
        return None, None
    absolute = _absolute(text, published)
    if absolute is not None:
        return absolute
    if _VAGUE.search(text):
        return None, None
    if match := _YEAR_ALONE.search(text):
        return date(int(match["year"]), 1, 1), "year"
    if published is None:
        return None, None
    return _relative(text, published)
