"""Words as readers of each script count them, and the script most of a text's words are in.

Most scripts separate words with spaces. Chinese, Japanese, Thai, Lao, Khmer and Burmese do
not: their words are found with ICU's dictionaries, the word boundaries browsers and word
processors use ("東京都は日本の首都です": 東京 / 都 / は / 日本 / の / 首都 / です, 7 words).
Latin words and figures glued to such text ("苹果公司CEO库克") count too.
"""

from __future__ import annotations

import unicodedata
from collections import Counter

import regex

# Scripts written without spaces between words (and the marks that act as their letters).
_UNSPACED_SCRIPTS = (
    r"\p{Han}\p{Hiragana}\p{Katakana}ー々〻〆"
    r"\p{Thai}\p{Lao}\p{Khmer}\p{Myanmar}\p{Tai_Le}\p{New_Tai_Lue}\p{Tai_Tham}"
)
# Set intersections (regex.V1) test the first range before the scripts: ten times faster on
# text without any, the common case (their first letters are Thai's, at U+0E00).
_UNSPACED = regex.compile(rf"[[\u0e00-\U0003ffff]&&[{_UNSPACED_SCRIPTS}]]", regex.V1)
# In a token holding such text: a run of it, or a run of other letters or digits.
_TOKEN_PART = regex.compile(rf"(?P<unspaced>[{_UNSPACED_SCRIPTS}]+)|[^\W{_UNSPACED_SCRIPTS}]+")
_LETTER = regex.compile(r"\p{L}")
_LETTERS_AND_MARKS = regex.compile(r"[\p{L}\p{M}]+")
_MARK = regex.compile(r"\p{M}")
_NOT_LATIN_LETTER = regex.compile(r"[[[\u0080-\U0010ffff]&&\p{L}]--\p{Latin}]", regex.V1)
_HAN_OR_KANA = regex.compile(r"[\p{Han}\p{Hiragana}\p{Katakana}ー々〻〆]")


def word_count(text: str) -> int:
    """The words of `text`: its whitespace-separated tokens, except that a token holding text
    of a script written without spaces counts the words ICU finds in it and each run of other
    letters or digits glued to them (one at least)."""
    if not _UNSPACED.search(text):
        return len(text.split())
    count = 0
    for token in text.split():
        if not _UNSPACED.search(token):
            count += 1
            continue
        parts = _TOKEN_PART.finditer(token)
        words = sum(_unspaced_word_count(p["unspaced"]) if p["unspaced"] else 1 for p in parts)
        count += max(words, 1)  # a token is a word at least, as a dash alone is
    return count


def dominant_script_text(text: str) -> str:
    """`text` with the letters of every script but the one most of its words are in replaced
    by spaces: an English story quoting a sentence of Chinese keeps its English words only."""
    if not _NOT_LATIN_LETTER.search(text):
        return text  # Latin letters alone (the common case): one script
    scripts = _letter_scripts(text)
    words: Counter[str | None] = Counter()
    for run in _LETTERS_AND_MARKS.findall(text):
        pieces: list[tuple[str | None, str]] = []
        for char in run:
            script = scripts.get(char)  # None for a mark: it belongs to the letter before it
            if pieces and script in (None, pieces[-1][0]):
                pieces[-1] = (pieces[-1][0], pieces[-1][1] + char)
            else:
                pieces.append((script, char))
        for script, piece in pieces:
            words[script] += word_count(piece)
    if len(words) < 2:
        return text
    dominant = words.most_common(1)[0][0]
    kept, keep = [], True
    for char in text:
        if char in scripts:
            keep = scripts[char] == dominant
        elif not _MARK.match(char):
            keep = True  # spaces, digits and punctuation belong to every script
        kept.append(char if keep else " ")
    return "".join(kept)


def _letter_scripts(text: str) -> dict[str, str]:
    """The script of each distinct letter of `text`: the first word of its Unicode name
    ("LATIN SMALL LETTER A", "CYRILLIC ..."), Han and kana being one (Chinese and Japanese
    share the Han characters)."""
    return {
        letter: "CJK" if _HAN_OR_KANA.match(letter) else unicodedata.name(letter, "?").split()[0]
        for letter in set(_LETTER.findall(text))
    }


def _unspaced_word_count(run: str) -> int:
    """Words in a run of a script written without spaces, by ICU's word boundaries."""
    from icu4py.breakers import WordBreaker  # loaded only for text in such scripts

    return sum(1 for segment in WordBreaker(run, "und") if _LETTER.search(segment))
