"""Repair what text dumps break: mojibake, page-break splits, hyphenation, hard wraps, whitespace.

The result is a list of paragraphs (one logical block each); typographic quote marks are kept.
"""

from __future__ import annotations

import re

import ftfy

# ftfy's default straightens curly quotes; quote extraction needs them, so keep them.
_FTFY_CONFIG = ftfy.TextFixerConfig(uncurl_quotes=False, explain=False)

# Form feeds and vertical tabs (page breaks of printed dumps) are spaces too: control
# characters have no place in a published body.
_INLINE_SPACE = re.compile(r"[ \t\f\v\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_ZERO_WIDTH = re.compile(r"[\u200b\u200c\u200d\u2060\ufeff]")
_SENTENCE_END = re.compile(r"[.!?…:;\"”’。！？]$")
_HYPHEN_END = re.compile(r"[^\W\d_]-$")
# A hard-wrapped dump (e-mail, PDF, wire copy) keeps its lines at about one width.
_WRAP_MAX_WIDTH = 100
_WRAP_MIN_LONG_LINES = 5
# A block split by a page break is long and stops mid-sentence.
_PAGE_BREAK_MIN_WORDS = 8


def fix_text(text: str) -> str:
    """Mojibake, control characters, odd spaces and line endings fixed; quote marks kept."""
    text = ftfy.fix_text(text, config=_FTFY_CONFIG)
    text = _ZERO_WIDTH.sub("", text)
    return "\n".join(_INLINE_SPACE.sub(" ", line).strip() for line in text.split("\n"))


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


def paragraphs(text: str) -> list[str]:
    """The text's paragraphs in order, each one line, with broken sentences joined again."""
    lines = fix_text(text).split("\n")
    non_blank = [line for line in lines if line]
    if not non_blank:
        return []
    wrapped = _is_hard_wrapped(non_blank)
    blocks: list[tuple[list[str], int]] = []  # lines of a block, blank lines before it
    gap = 0
    for line in lines:
        if not line:
            gap += 1
            continue
        if blocks and gap == 0:
            blocks[-1][0].append(line)
        else:
            blocks.append(([line], gap))
        gap = 0
    result: list[str] = []
    for block_lines, blank_before in blocks:
        units = _unwrap(block_lines) if wrapped else block_lines
        for position, unit in enumerate(units):
            gap = blank_before if position == 0 else 0
            if result and _continues(result[-1], unit, gap):
                result[-1] = _join(result[-1], unit)
            else:
                result.append(unit)
    return result


def _unwrap(block_lines: list[str]) -> list[str]:
    """One paragraph from a hard-wrapped block (its lines are pieces of running text)."""
    merged = block_lines[0]
    for line in block_lines[1:]:
        merged = _join(merged, line)
    return [merged]
