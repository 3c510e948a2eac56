"""Property: any text survives clean -> extract -> normalize with spans and ids intact.

Generated texts mix English news words (so that most are read as English and extracted),
quote marks of every style, line breaks, control characters and arbitrary Unicode.
"""

from __future__ import annotations

import asyncio
import random
from datetime import UTC, datetime

import pytest
from hypothesis import HealthCheck, event, example, given, settings
from hypothesis import strategies as st
from in_memory import normalize

from schemas.tables import TABLES
from tasks.clean import clean
from tasks.extract import extract
from tasks.records import RawDocument, RunInfo

WORDS = [
    "the", "minister", "said", "told", "reporters", "on", "Tuesday", "that", "China", "Japan",
    "Taiwan", "United", "States", "Chen", "Binhua", "President", "Biden", "Mr.", "Smith", "he",
    "she", "they", "it", "would", "will", "not", "never", "talks", "troops", "sanctions",
    "accused", "attacked", "met", "agreed", "according", "to", "a", "spokesman", "for",
    "Reuters", "in", "Tokyo", "Beijing", "last", "week", "officials", "added", "warned",
    "urged", "condemned", "rejected", "plan", "of", "and",
]  # fmt: skip
QUOTE_MARKS = [*"\"“”„«»‘’'`", "''", "``", "‹", "›", "「", "」"]
ODD_PIECES = [
    "\n", "\n\n", "\n\n\n", "\r\n", "\t", "\x00", "\x07", "\x0b", "\x0c", "\x1b", "\x7f", "\x85",
    "\u00a0", "\u200b", "\u2028", "\u2029", "\ufeff", "\u202e", "\ufffd", "—", "--", "-",
    "...", "…", ".", ",", ":", ";", "(", ")", "[", "]", "?", "!", "#", "@", "&", "|", "*",
    "2023-02-30", " date 2999-01-01 ", "TOKYO (Reuters) -", "By Jane Doe", "Share this article",
    "Mr.", "U.S.", "e.g.", "5,000", "1990s",
]  # fmt: skip

# A word, often with a quote mark or comma glued to it ("“We", "said,”").
word = st.tuples(
    st.sampled_from(["", "", "", *QUOTE_MARKS]),
    st.sampled_from(WORDS),
    st.sampled_from(["", "", "", ",", ".", *QUOTE_MARKS]),
).map("".join)
token = st.one_of(
    word,
    word,
    word,
    st.sampled_from(ODD_PIECES),
    st.text(max_size=4),  # arbitrary Unicode (no lone surrogates: ingest never yields them)
)
sentence = st.lists(token, min_size=4, max_size=30).map(lambda tokens: " ".join(tokens) + ".")
paragraph = st.lists(sentence, min_size=1, max_size=4).map(" ".join)
article_text = st.tuples(
    st.text(max_size=20), st.lists(paragraph, min_size=1, max_size=6).map("\n\n".join)
).map("\n".join)

ALLOWED_QUARANTINE = {"empty_body", "no_body_found"}  # never clean_error / extraction_error
ID_COLUMNS = {
    "articles": "article_id",
    "entities": "mention_id",
    "quotes": "quote_id",
    "events": "event_id",
}


@pytest.fixture(scope="module", autouse=True)
def _model_loaded(nlp):
    """The model is loaded before hypothesis starts timing examples."""


def _assert_span(body: str, text: str | None, start: int | None, end: int | None, what: str):
    if start is None:
        assert end is None, what
        return
    assert 0 <= start <= end <= len(body), (what, start, end, len(body))
    assert body[start:end] == text, (what, body[start:end], text)


@settings(
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(texts=st.lists(article_text, min_size=1, max_size=3))
# A header whose last line is the headline's echo: no line under it to read a byline from.
@example(
    texts=[
        "\nthe TOKYO (Reuters) - \u202e 0000 the the the the the \n the TOKYO (Reuters) - \n"
        " the the the 2023-02-30 the the the the."
    ]
)
def test_any_text_keeps_spans_inside_the_body_and_ids_unique(texts):
    documents = [RawDocument(f"doc{i}.txt", "txt", text, None) for i, text in enumerate(texts)]
    articles, rejected = clean(documents)
    assert {q.reason for q in rejected} <= ALLOWED_QUARANTINE, rejected

    extractions, failed = extract(articles)
    assert failed == []
    event(f"articles: {len(articles)} of {len(texts)}")
    event(f"with quotes: {any(e.quotes for e in extractions)}")
    event(f"with events: {any(e.events for e in extractions)}")
    bodies = {a.article_id: a.body for a in articles}
    for extraction in extractions:
        body = bodies[extraction.article_id]
        for m in extraction.mentions:
            _assert_span(body, m.text, m.start_char, m.end_char, "mention")
        for q in extraction.quotes:
            _assert_span(body, q.quote_text, q.start_char, q.end_char, "quote")
            _assert_span(body, q.speaker_text, q.speaker_start, q.speaker_end, "speaker")
        for e in extraction.events:
            _assert_span(body, e.trigger_text, e.trigger_start, e.trigger_end, "trigger")
            _assert_span(body, e.actor_text, e.actor_start, e.actor_end, "actor")
            _assert_span(body, e.target_text, e.target_start, e.target_end, "target")

    tables = normalize(articles, extractions, rejected, RunInfo("prop", datetime.now(UTC), "0"))
    for table in ("entities", "quotes", "events"):
        spans = TABLES[table].spans
        for row in tables[table].to_pylist():
            for text, start, end in spans:
                _assert_span(bodies[row["article_id"]], row[text], row[start], row[end], table)
    for table, column in ID_COLUMNS.items():
        ids = tables[table].column(column).to_pylist()
        assert len(ids) == len(set(ids)), table


def test_prefect_event_pings_leave_the_global_random_state_alone(prefect_api):
    # Prefect's events client pings the session's API like this from a background thread while
    # Hypothesis draws examples; a draw that sees the global random state move warns that a
    # strategy uses `random`.
    from prefect._internal.websockets import websocket_connect
    from prefect.events.clients import events_in_socket_from_api_url
    from prefect.settings import PREFECT_API_URL

    async def ping_moves_random_state() -> bool:
        async with websocket_connect(
            events_in_socket_from_api_url(PREFECT_API_URL.value()), subprotocols=["prefect"]
        ) as socket:
            before = random.getstate()
            await asyncio.wait_for(await socket.ping(), timeout=30)
            return random.getstate() != before

    assert not asyncio.run(ping_moves_random_state())
