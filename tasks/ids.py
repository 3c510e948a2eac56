"""Stable identifiers: the same inputs give the same ids on every run and machine."""

from __future__ import annotations

import hashlib


def sha256_hex(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def article_id(source_uri: str, raw_content: str) -> str:
    """Id of an article: its source and its raw content, so a re-ingested document keeps it."""
    return "a" + sha256_hex(f"{source_uri}\x00{raw_content}")[:16]


def entity_id(entity_type: str, key: str) -> str:
    """Id of a canonical entity from its type and normalised key (never a running number)."""
    return "e" + sha256_hex(f"{entity_type}\x00{key}")[:16]


def child_id(article_id: str, kind: str, start: int, end: int) -> str:
    """Id of a row inside an article (mention, quote, event) from its kind and span."""
    return f"{article_id}-{kind}{start}-{end}"


def cluster_id(prefix: str, founding_row_id: str) -> str:
    """Id of a cluster of rows (an event, a statement) from the row that founded it, so it never
    changes when later rows join it."""
    return prefix + sha256_hex(founding_row_id)[:16]
