"""Pairing of quotation marks in raw article text: which character spans are quoted.

Works on characters only (no parse), so it cannot fail on malformed text: unmatched marks are
dropped or closed at the end of their paragraph, never raised on.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_DOUBLE_OPEN = "“„«"
_DOUBLE_CLOSE = "”»"
_STRAIGHT_DOUBLE = '"'
_SINGLE_OPEN = "‘"
_SINGLE_CLOSE = "’"
_STRAIGHT_SINGLE = "'"
# Characters after which a straight mark opens a quotation.
_OPENING_CONTEXT = " \t\n([{—–-/:;,"
_OPENING_MARKS = (*_DOUBLE_OPEN, _STRAIGHT_DOUBLE, "''", "``")
# A double mark: one character, or two straight apostrophes or two backticks, which stand for
# one in some newswire text (matched first, so that their second character is no mark itself).
_DOUBLE_MARK = re.compile(rf"''|``|[{_DOUBLE_OPEN}{_DOUBLE_CLOSE}{_STRAIGHT_DOUBLE}]")
# Characters that can open or close a single-mark quotation.
_SINGLE_OPENING = re.compile(f"[{_SINGLE_OPEN}{_STRAIGHT_SINGLE}]")
_SINGLE_CLOSING = re.compile(f"[{_SINGLE_CLOSE}{_STRAIGHT_SINGLE}]")
_PARAGRAPH_BREAK = re.compile(r"\n\s*\n|\n")
# A markup tag with attributes ("<tweet author=\"x\">"), and the quote marks in one.
_MARKUP_TAG = re.compile(r"</?[A-Za-z][\w-]*(?:\s+[\w-]+=(?:\"[^\"<>\n]*\"|'[^'<>\n]*'))+\s*/?>")
_MARK_IN_TAG = re.compile("[\"']")
# A single quotation longer than this is more likely a mis-paired apostrophe than a quote.
_MAX_SINGLE_QUOTE_CHARS = 400


@dataclass(frozen=True)
class QuotedSpan:
    start: int  # first character inside the marks
    end: int  # one past the last character inside the marks
    closed: bool  # False when the paragraph ended before a closing mark
    continues: bool  # True when the quotation goes on in the next paragraph


def _paragraphs(text: str) -> list[tuple[int, int]]:
    spans, start = [], 0
    for match in _PARAGRAPH_BREAK.finditer(text):
        if match.start() > start:
            spans.append((start, match.start()))
        start = match.end()
    if start < len(text):
        spans.append((start, len(text)))
    return spans


def _is_left_flanking(text: str, pos: int, width: int) -> bool:
    before = text[pos - 1] if pos > 0 else " "
    after = text[pos + width] if pos + width < len(text) else " "
    return (before in _OPENING_CONTEXT or before in _DOUBLE_OPEN) and not after.isspace()


def _is_right_flanking(text: str, pos: int, width: int) -> bool:
    before = text[pos - 1] if pos > 0 else " "
    after = text[pos + width] if pos + width < len(text) else " "
    return not before.isspace() and (after.isspace() or not after.isalnum())


def _double_marks(text: str, start: int, end: int) -> list[tuple[int, int, str]]:
    """(position, width, role) of the double marks in text[start:end]; role is open|close|either."""
    marks: list[tuple[int, int, str]] = []
    for found in _DOUBLE_MARK.finditer(text, start, end):
        pos, width = found.start(), len(found.group())
        char = text[pos]
        doubled = width == 2
        if char in _DOUBLE_OPEN or (doubled and char == "`"):
            marks.append((pos, width, "open"))
        elif char in _DOUBLE_CLOSE:
            # A right mark at the start of a word is a typesetting error for a left mark.
            role = "open" if _is_left_flanking(text, pos, 1) else "close"
            marks.append((pos, width, role))
        elif char == _STRAIGHT_DOUBLE or doubled:
            left = _is_left_flanking(text, pos, width)
            right = _is_right_flanking(text, pos, width)
            before = text[pos - 1] if pos > 0 else " "
            if before.isdigit() and not left:
                marks.append((pos, width, "inch"))
            else:
                marks.append(
                    (
                        pos,
                        width,
                        "open"
                        if left and not right
                        else "close"
                        if right and not left
                        else "either",
                    )
                )
    return marks


def _pair_double(text: str, start: int, end: int) -> tuple[list[tuple[int, int]], int | None]:
    """Quoted spans of one paragraph, and the content start of a quotation left open at its end.

    Inside a quotation opened by a straight mark, curly marks are nested quotations (a quoted
    excerpt that quotes someone), and the reverse.
    """
    spans: list[tuple[int, int]] = []
    open_at: int | None = None
    opened_straight = False
    nested = 0
    marks = _double_marks(text, start, end)
    for index, (pos, width, role) in enumerate(marks):
        straight = text[pos] in _STRAIGHT_DOUBLE + "'`"
        if role == "inch":
            if open_at is not None and not nested and _is_right_flanking(text, pos, width):
                spans.append((open_at, pos))
                open_at = None
            continue
        if open_at is None:
            if role in ("open", "either"):
                open_at, opened_straight, nested = pos + width, straight, 0
            continue
        if straight != opened_straight:
            if role == "open" or (role == "either" and not nested):
                nested += 1
                continue
            if nested:
                nested -= 1
                continue
        elif nested and role == "close":
            nested -= 1
            continue
        elif role == "open" and not straight:
            if _closes_twice(marks, index):
                nested += 1  # “... “hell” ...”: a nested quote typed with double marks
                continue
            # A new left mark while one is open: the earlier quotation was never closed.
            spans.append((open_at, _rstrip(text, open_at, pos)))
            open_at, nested = pos + width, 0
            continue
        spans.append((open_at, pos))
        open_at = None
    return spans, open_at


def _closes_twice(marks: list[tuple[int, int, str]], index: int) -> bool:
    """Whether two closing marks follow the mark at `index` before any other opening one."""
    closes = 0
    for _, _, role in marks[index + 1 :]:
        if role == "open":
            return False
        closes += role == "close"
        if closes == 2:
            return True
    return False


def _rstrip(text: str, start: int, end: int) -> int:
    while end > start and text[end - 1].isspace():
        end -= 1
    return end


def _pair_single(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Top-level single-mark quotations ('...' or ‘...’) in text[start:end], not apostrophes."""
    spans: list[tuple[int, int]] = []
    pos = start
    while (found := _SINGLE_OPENING.search(text, pos, end)) is not None:
        pos = found.start()
        if _is_left_flanking(text, pos, 1):
            after = text[pos + 1] if pos + 1 < end else " "
            if after.isdigit():  # '90s
                pos += 1
                continue
            close = _find_single_close(text, pos + 1, min(end, pos + _MAX_SINGLE_QUOTE_CHARS))
            if close is not None:
                spans.append((pos + 1, close))
                pos = close + 1
                continue
        pos += 1
    return spans


def _find_single_close(text: str, start: int, end: int) -> int | None:
    for found in _SINGLE_CLOSING.finditer(text, start, end):
        pos = found.start()
        if _is_right_flanking(text, pos, 1):
            before = text[pos - 1]
            after = text[pos + 1] if pos + 1 < len(text) else " "
            # "voters' concerns": a plural possessive, not a closing mark.
            if before == "s" and after == " " and pos + 2 < len(text) and text[pos + 2].islower():
                continue
            return pos
    return None


def find_quoted_spans(text: str) -> list[QuotedSpan]:
    """Spans inside top-level quotation marks, in text order; nested marks stay inside. Marks
    inside markup tags left in the text (<tweet author="...">) quote nobody."""
    found: list[QuotedSpan] = []
    masked = _MARKUP_TAG.sub(lambda tag: _MARK_IN_TAG.sub(" ", tag.group()), text)
    for para_start, para_end in _paragraphs(masked):
        spans, open_at = _pair_double(masked, para_start, para_end)
        covered = [(s - 1, e + 1) for s, e in spans]
        if open_at is not None:
            covered.append((open_at - 1, para_end))
        single_spans = [
            span
            for span in _pair_single(masked, para_start, para_end)
            if not any(s <= span[0] < e for s, e in covered)
        ]
        quoted = [QuotedSpan(s, e, True, False) for s, e in spans + single_spans]
        if open_at is not None:
            quoted.append(QuotedSpan(open_at, _rstrip(text, open_at, para_end), False, True))
        quoted = [q for q in quoted if _has_word(text, q.start, q.end)]
        quoted.sort(key=lambda q: q.start)
        found.extend(quoted)
    return _mark_continuations(text, found)


def _has_word(text: str, start: int, end: int) -> bool:
    return any(char.isalnum() for char in text[start:end])


def _is_straight(mark: str) -> bool:
    return mark in "\"'`"


def _mark_continuations(text: str, spans: list[QuotedSpan]) -> list[QuotedSpan]:
    """An unclosed quotation continues only if the next paragraph opens with a mark; one that
    neither continues nor is closed was opened by a stray mark and is dropped."""
    result = []
    for index, span in enumerate(spans):
        continues = False
        if span.continues and index + 1 < len(spans):
            following = spans[index + 1]
            between = text[span.end : following.start]
            # Typesetters continue a quotation with the mark that opened it; a straight mark
            # before curly ones is a blockquote sign, not an opening.
            same_style = _is_straight(text[span.start - 1]) == _is_straight(
                text[following.start - 1]
            )
            continues = "\n" in between and between.strip() in _OPENING_MARKS and same_style
        if span.closed or continues:
            result.append(QuotedSpan(span.start, span.end, span.closed, continues))
    return result
