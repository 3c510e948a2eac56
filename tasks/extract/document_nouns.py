"""Nouns for documents, shared by the quote extractor and the resolver: a document speaks for
its author to the resolver ("the poll" is the pollster's) and is the source of what it shows to
the quote extractor ("the study found that ...")."""

# Documents the resolver reads as their author's ("a CNN tally", "a Washington Post analysis")
# but the quote extractor takes as no speaker of speech ("The analysis relied on ...": no
# speech), only as the source of what they show (`is_document` in quotes_speakers.py, beside
# its list of things that bear words, `_WORD_CARRIERS`).
PUBLICATIONS = frozenset({"tally", "article", "column", "editorial", "analysis"})
# Records and publications: what they show or hold is their author's statement.
DOCUMENT_NOUNS = frozenset({
    "report", "statement", "study", "survey", "poll", "release", "ad",
}) | PUBLICATIONS  # fmt: skip
