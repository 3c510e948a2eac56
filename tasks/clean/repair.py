"""Repair what text dumps break: mojibake, page-break splits, hyphenation, hard wraps, whitespace.

The result is a list of paragraphs (one logical block each); typographic quote marks are kept.
"""

from __future__ import annotations

import re
from itertools import pairwise

import ftfy

# ftfy's default straightens curly quotes, which quote extraction needs, and turns full-width
# digits and letters (as Japanese and Chinese news write them) into other characters than the
# publisher's: keep both.
_FTFY_CONFIG = ftfy.TextFixerConfig(uncurl_quotes=False, fix_character_width=False, explain=False)

# Form feeds and vertical tabs (page breaks of printed dumps) are spaces too: control
# characters have no place in a published body.
_INLINE_SPACE = re.compile(r"[ \t\f\v\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
# Invisible marks, soft hyphens among them: a CMS puts U+00AD where a word may break at the
# end of a line ("Bundes\u00adregierung"); kept, it splits the word for every search and model.
_ZERO_WIDTH = re.compile(r"[\u00ad\u200b\u200c\u200d\u2060\ufeff]")
# ftfy deletes the control characters that separate words (vertical tab, the file, group,
# record and unit separators of exported records), which would glue the words on either
# side: they become spaces first.
_SEPARATOR_CONTROLS = str.maketrans(dict.fromkeys("\v\x1c\x1d\x1e\x1f", " "))
_SENTENCE_END = re.compile(r"[.!?…:;\"”’»«。！？]$")
_HYPHEN_END = re.compile(r"[^\W\d_]-$")
# A hard-wrapped dump (e-mail, PDF, wire copy) keeps its lines at about one width.
_WRAP_MAX_WIDTH = 100
_WRAP_MIN_LONG_LINES = 3
# A wrapped line is one the next word did not fit on: it reaches to within this many
# characters of the text's width (measured on wire copy: 99.8% of wrapped lines do).
_WRAP_SLACK = 6
# Columns of a table or a tab-separated row: a gap of two spaces or a tab between two words
# (two spaces after a sentence's end are typewriter style, not a column).
_COLUMN_GAP = re.compile(r"[^\s.!?:;](?: {2,}|\t)\s*\S")
# A block split by a page break is long and stops mid-sentence.
_PAGE_BREAK_MIN_WORDS = 8


def _fix_characters(text: str) -> str:
    """Mojibake, zero-width characters and line endings fixed; spacing left as it was."""
    fixed = ftfy.fix_text(text.translate(_SEPARATOR_CONTROLS), config=_FTFY_CONFIG)
    return _ZERO_WIDTH.sub("", fixed)


def _normalise_spaces(line: str) -> str:
    return _INLINE_SPACE.sub(" ", line).strip()


def fix_text(text: str) -> str:
    """Mojibake, control characters, odd spaces and line endings fixed; quote marks kept."""
    return "\n".join(map(_normalise_spaces, _fix_characters(text).split("\n")))


def _is_hard_wrapped(lines: list[str]) -> bool:
    long_lines = [line for line in lines if len(line) >= 50]
    return (
        len(long_lines) >= _WRAP_MIN_LONG_LINES
        and max(len(line) for line in lines) <= _WRAP_MAX_WIDTH
    )


def _join(left: str, right: str) -> str:
    """Join two pieces of one sentence, undoing a hyphenation split across them."""
    if _HYPHEN_END.search(left) and right[:1].islower():
        return left[:-1] + right
    return f"{left} {right}"


def _is_prose(line: str) -> bool:
    """Starts with a word and has a few words of letters (not an image id or a code)."""
    words = line.split()
    return words[0].isalpha() and sum(word.isalpha() for word in words) >= 3


def _continues(previous: str, following: str, gap: int) -> bool:
    """Whether `following` continues the sentence `previous` was cut in (page break, wrap)."""
    if _HYPHEN_END.search(previous) and following[:1].islower():
        return True
    if _SENTENCE_END.search(previous) or len(previous.split()) < _PAGE_BREAK_MIN_WORDS:
        return False
    if following[:1].islower() and _is_prose(following):
        return True
    # Several blank lines after an unfinished long sentence: a page break, not a heading.
    return gap >= 2 and len(following.split()) >= _PAGE_BREAK_MIN_WORDS


def paragraphs(text: str, *, fix_characters: bool = True) -> list[str]:
    """The text's paragraphs in order, each one line, with broken sentences joined again;
    without `fix_characters` for text that was never bytes (a parsed page's text nodes)."""
    text = _fix_characters(text) if fix_characters else text
    raw_lines = [line.rstrip() for line in text.split("\n")]
    non_blank = [line for line in map(_normalise_spaces, raw_lines) if line]
    if not non_blank:
        return []
    wrapped = _is_hard_wrapped(non_blank)
    width = max(
        (len(line) for line in raw_lines if not _COLUMN_GAP.search(line.strip())), default=0
    )
    blocks: list[tuple[list[str], int]] = []  # raw lines of a block, blank lines before it
    gap = 0
    for line in raw_lines:
        if not _normalise_spaces(line):
            gap += 1
            continue
        if blocks and gap == 0:
            blocks[-1][0].append(line)
        else:
            blocks.append(([line], gap))
        gap = 0
    result: list[str] = []
    for block_lines, blank_before in blocks:
        units = (
            _unwrap(block_lines, width)
            if wrapped
            else [_normalise_spaces(line) for line in block_lines]
        )
        for position, unit in enumerate(units):
            gap = blank_before if position == 0 else 0
            if result and _continues(result[-1], unit, gap):
                result[-1] = _join(result[-1], unit)
            else:
                result.append(unit)
    return result


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip())


def _wrapped_into(previous: str, line: str, width: int) -> bool:
    """Whether `line` continues the running text of `previous` (raw lines of a hard-wrapped
    block): not when it is indented further (a paragraph start) or either is a table row;
    yes when it starts in lower case (a sentence going on) or its first word would not have
    fitted on `previous` (a short line ends a paragraph or is a line of a list or table)."""
    if _indent(line) > _indent(previous):
        return False
    if _COLUMN_GAP.search(previous.strip()) or _COLUMN_GAP.search(line.strip()):
        return False
    first_word = line.split()[0]
    return first_word[0].islower() or len(previous) + 1 + len(first_word) > width - _WRAP_SLACK


def _unwrap(block_lines: list[str], width: int) -> list[str]:
    """The paragraphs and single lines (table rows, list items) of a hard-wrapped block, from
    its raw lines: wrapped pieces of running text are joined again."""
    units = [_normalise_spaces(block_lines[0])]
    for previous, line in pairwise(block_lines):
        if _wrapped_into(previous, line, width):
            units[-1] = _join(units[-1], _normalise_spaces(line))
        else:
            units.append(_normalise_spaces(line))
    return units
