"""The shared resolver: what pronoun, relative-pronoun and description speakers and actors stand
for, on the seeds (in the extractors' rows and in the published tables) and on constructed text."""

from __future__ import annotations

import duckdb
from test_quotes import ref_text, seed_body

from tasks.extract.coreference import Coreference
from tasks.extract.events import extract_events
from tasks.extract.quotes import QuoteRow, extract_quotes


def rows_with(rows: list[QuoteRow], words: str) -> list[QuoteRow]:
    matching = [row for row in rows if words in row.quote_text and row.quote_type != "scare"]
    assert matching, f"no quote row contains {words!r}"
    return matching


def resolve_last(nlp, text: str, word: str) -> str | None:
    """What the last occurrence of `word` stands for, the speakers before it resolved first."""
    doc = nlp(text)
    coreference = Coreference(doc)
    target = [t for t in doc if t.text == word][-1]
    for token in doc:
        if token.dep_ in ("nsubj", "nsubjpass") and token.i < target.i:
            phrase = doc[token.left_edge.i : token.right_edge.i + 1]
            coreference.resolve(token, phrase.start_char, phrase.end_char, remember=True)
    referent = coreference.resolve(target, target.idx, target.idx + len(target.text))
    return referent.entity.text if referent is not None and referent.entity else None


# ---- seed errors, in the extractor's rows ------------------------------------------------------


def test_his_government_is_the_prime_ministers(nlp):
    for prefix in ("001", "002"):
        body = seed_body(prefix)
        (row,) = rows_with(list(extract_quotes(nlp(body))), "peace in the Taiwan Strait")
        assert row.speaker_text == "his government"
        assert ref_text(body, row) in {"Fumio Kishida", "Kishida", "Japan"}


def test_plural_description_is_nobody_named(nlp):
    body = seed_body("004")
    (row,) = rows_with(list(extract_quotes(nlp(body))), "paying more and more attention")
    assert row.speaker_text == "Taiwanese politicians"
    assert row.speaker_ref_start is None  # not Cai Shiying, named in another paragraph


def test_organizer_statements_keep_the_organizer(nlp):
    body = seed_body("004")
    rows = list(extract_quotes(nlp(body)))
    (introduced,) = rows_with(rows, "The initiative for these talks")
    organizer = (introduced.speaker_start, introduced.speaker_end)
    assert body[organizer[0] : organizer[1]] == "one of the Taiwanese organizers"
    for words in (
        "Taipei has long believed",
        "semi-official Monterey talks",
        "a bit like a first-level dialogue",
        "Although we will attend as party officials",
    ):
        for row in rows_with(rows, words):
            assert row.speaker_text.lower() == "he"
            assert (row.speaker_antecedent_start, row.speaker_antecedent_end) == organizer
            assert row.speaker_ref_start is None  # the organizer is no named entity


def test_request_for_anonymity_is_no_statement(nlp):
    rows = list(extract_quotes(nlp(seed_body("001"))))
    assert not [row for row in rows if "not to be identified" in row.quote_text]
    assert not [row for row in rows if (row.speaker_text or "").lower() == "who"]


def test_event_actor_he_is_the_person_named_before(nlp):
    body = seed_body("001")
    (meeting,) = [e for e in extract_events(nlp(body)) if e.trigger_text == "met"]
    assert body[meeting.actor_ref_start : meeting.actor_ref_end] == "Aso Taro"


# ---- constructed cases ----------------------------------------------------------------------


def test_relative_pronoun_is_its_noun(nlp):
    text = (
        "The bill was debated for hours. "
        "Senator Ann Miller, who said the bill was flawed, voted no."
    )
    (row,) = rows_with(list(extract_quotes(nlp(text))), "the bill was flawed")
    assert row.speaker_text == "who"
    assert ref_text(text, row) == "Ann Miller"


def test_definite_description_is_the_name_it_described(nlp):
    text = (
        "Foreign Ministry spokesperson Wang Lin criticised the plan on Monday. "
        "The spokesperson said China would respond to any provocation."
    )
    (row,) = rows_with(list(extract_quotes(nlp(text))), "China would respond")
    assert ref_text(text, row) == "Wang Lin"


def test_they_never_stands_for_one_person(nlp):
    text = "Tom Baker met the farmers on Friday. {} said prices were far too low this year."
    assert resolve_last(nlp, text.format("He"), "He") == "Tom Baker"
    assert resolve_last(nlp, text.format("They"), "They") is None


def test_she_is_not_the_man_just_named(nlp):
    text = (
        "Mayor Lisa Hart opened the meeting. Her deputy, Mr. John Reed, presented the budget. "
        "Mr. Reed said he was proud of it. She said the city would hire more teachers."
    )
    assert resolve_last(nlp, text, "She") in {"Lisa Hart", "Hart"}


# ---- the published tables of a real run ---------------------------------------------------------


def published_quotes(output, like: str) -> list[tuple]:
    return (
        duckdb.connect()
        .execute(
            f"SELECT speaker_text, speaker_start, speaker_name, speaker_entity_id "
            f"FROM read_parquet('{output}/quotes/*.parquet') WHERE quote_text LIKE ?",
            [like],
        )
        .fetchall()
    )


def test_published_speakers_are_resolved_right(seeds_output):
    government = published_quotes(seeds_output, "%peace in the Taiwan Strait%")
    assert government
    for speaker_text, _, name, _ in government:
        assert speaker_text == "his government"
        assert name not in {"U.S. House of Representatives", "Ministry of Foreign Affairs"}
        assert name is None or "Kishida" in name or name == "Japan"
    politicians = published_quotes(seeds_output, "%paying more and more attention%")
    assert politicians and all(entity is None for *_, entity in politicians)
    (introduced,) = published_quotes(seeds_output, "The initiative for these talks%")
    for words in ("%Taipei has long believed%", "%Although we will attend as party officials%"):
        for row in published_quotes(seeds_output, words):
            assert row[:2] == introduced[:2]  # the organizer, span and all
            assert row[3] is None
    anonymous = published_quotes(seeds_output, "%not to be identified%")
    assert not anonymous


def test_speakers_carry_their_entitys_country(seeds_output):
    countries = (
        duckdb.connect()
        .execute(
            f"""
        SELECT q.speaker_name, e.country_code
        FROM read_parquet('{seeds_output}/quotes/*.parquet') q
        JOIN read_parquet('{seeds_output}/entities/*.parquet') e
          ON q.speaker_entity_id = e.entity_id
        WHERE e.label = 'PERSON'
        """
        )
        .fetchall()
    )
    by_name = dict(countries)
    assert by_name.get("Chen Binhua") == "CHN"
    assert by_name.get("Hua Chunying") == "CHN"
