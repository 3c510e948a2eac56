"""spaCy's stop-word lists, each read from its language's stop_words module alone.

Importing that module the usual way imports spaCy itself (0.4 s), and a language's package
compiles its tokenizer exceptions (seconds for French): a word list needs neither, and the
flow's own process, which parses nothing, needs the English one to normalise names.
"""

from __future__ import annotations

import importlib.util
from functools import cache
from pathlib import Path


@cache
def spacy_stop_words(language: str) -> frozenset[str]:
    """The stop words spaCy lists for `language` (a code of a spacy.lang package)."""
    spacy_folder = Path(importlib.util.find_spec("spacy").origin).parent
    path = spacy_folder / "lang" / language / "stop_words.py"
    spec = importlib.util.spec_from_file_location(f"spacy.lang.{language}.stop_words", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return frozenset(module.STOP_WORDS)
