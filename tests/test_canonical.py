"""Canonical entities: one stable id per real-world entity, within and across articles."""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

import pytest
from conftest import SEEDS

from tasks.extract.entities import Mention, extract_mentions
from tasks.extract.gazetteer import country_code
from tasks.normalize.entities import EntityLink, link_mentions

UNRELATED_ARTICLE = (
    "Brazilian striker Carlos Mendes scored twice as Santos beat Flamengo 3-1 in Sao Paulo on "
    "Sunday. Mendes, 24, said the team had worked hard. Chen Wei, a Chinese midfielder, played too."
)


def seed_body(path: Path) -> str:
    """The seed without its ` date ...` header line, as the clean step would give it."""
    first, _, rest = path.read_text(encoding="utf-8").partition("\n")
    return rest if first.startswith(" date ") else first + "\n" + rest


def article_mentions(nlp, article_id: str, text: str) -> list[tuple[str, Mention]]:
    return [(article_id, mention) for mention in extract_mentions(nlp(text))]


@pytest.fixture(scope="module")
def seed_mentions(nlp) -> list[tuple[str, Mention]]:
    return [
        row
        for path in sorted(SEEDS.glob("*.txt"))
        for row in article_mentions(nlp, path.stem, seed_body(path))
    ]


@pytest.fixture(scope="module")
def ids_by_form(seed_mentions) -> dict[str, set[str]]:
    ids: dict[str, set[str]] = defaultdict(set)
    for (_article, mention), link in zip(
        seed_mentions, link_mentions(seed_mentions)[0], strict=True
    ):
        ids[mention.text].add(link.entity_id)
    return ids


@pytest.mark.parametrize(
    "forms",
    [
        ("Chen", "Chen Binhua"),
        ("Sato", "Masahisa Sato"),
        ("Harris", "Kamala Harris"),
        ("U.S.", "United States", "US"),
        ("JSDF", "Japan Self-Defense Forces", "Japan Self Defence Force"),
    ],
)
def test_forms_of_one_entity_share_an_id(ids_by_form, forms):
    assert all(ids_by_form.get(form) for form in forms), "a form was not found in the seeds"
    assert len(set().union(*(ids_by_form[form] for form in forms))) == 1


@pytest.mark.parametrize(
    ("first", "second"),
    [("Japan", "China"), ("Japan", "Taiwan"), ("China", "Taiwan"), ("Japan", "Japanese")],
)
def test_different_entities_never_share_an_id(ids_by_form, first, second):
    assert ids_by_form[first] and ids_by_form[second]
    assert ids_by_form[first].isdisjoint(ids_by_form[second])


def test_one_canonical_name_and_type_per_id(seed_mentions):
    seen: dict[str, tuple[str, str]] = {}
    for link in link_mentions(seed_mentions)[0]:
        assert seen.setdefault(link.entity_id, (link.canonical_name, link.entity_type)) == (
            link.canonical_name,
            link.entity_type,
        )


def test_ids_unchanged_when_an_unrelated_article_is_added(nlp, seed_mentions):
    before = link_mentions(seed_mentions)[0]
    extra = article_mentions(nlp, "unrelated", UNRELATED_ARTICLE)
    after = link_mentions(extra + list(reversed(seed_mentions)))[0][len(extra) :]
    assert [link.entity_id for link in reversed(after)] == [link.entity_id for link in before]


def mention(text: str, label: str) -> Mention:
    return Mention(text, label, 0, len(text), 0)


def links(*articles: list[Mention]) -> list[EntityLink]:
    rows = [(f"a{index}", m) for index, article in enumerate(articles) for m in article]
    return link_mentions(rows)[0]


def test_name_order_and_spelling_variants_across_articles():
    aso, defence, aso_reversed, defense = links(
        [mention("Aso Taro", "PERSON"), mention("Japan Self Defence Force", "ORG")],
        [mention("Taro Aso", "PERSON"), mention("Japan Self-Defense Forces", "ORG")],
    )
    assert aso.entity_id == aso_reversed.entity_id
    assert defence.entity_id == defense.entity_id
    assert defence.country_code == "JPN"


def test_country_forms_demonyms_and_country_organisations():
    us, usa, japan, japanese, ministry = links(
        [mention("US", "GPE"), mention("the United States", "GPE")],
        [
            mention("Japan", "GPE"),
            mention("Japanese", "NORP"),
            mention("Japanese defence ministry", "ORG"),
        ],
    )
    assert us.entity_id == usa.entity_id and us.country_code == "USA"
    assert us.canonical_name == usa.canonical_name == "United States"
    assert len({japan.entity_id, japanese.entity_id, ministry.entity_id}) == 3
    assert (japan.entity_type, japanese.entity_type, ministry.entity_type) == ("GPE", "NORP", "ORG")
    assert japan.country_code == japanese.country_code == ministry.country_code == "JPN"


def test_acronym_joins_its_expansion_in_the_article_only():
    expansion, acronym, elsewhere = links(
        [mention("Ministry of Defense", "ORG"), mention("MOD", "ORG")], [mention("MOD", "ORG")]
    )
    assert acronym.entity_id == expansion.entity_id
    assert acronym.canonical_name == "Ministry of Defense"
    assert elsewhere.entity_id != expansion.entity_id


def test_an_organisation_of_punctuation_only_leaves_the_article_linked():
    # The model can tag a run of symbols as an ORG; its name key is then empty.
    symbols, word = links([mention("`` \u2039 .", "ORG"), mention("Association", "ORG")])
    assert symbols.entity_id != word.entity_id


def test_every_mention_gets_a_link():
    date, money = links([mention("September 13", "DATE"), mention("$5 million", "MONEY")])
    assert date.entity_type == "DATE" and money.entity_type == "MONEY"
    assert date.entity_id != money.entity_id


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Japan", "JPN"),
        ("Japanese", "JPN"),
        ("Japan's", "JPN"),
        ("Beijing", "CHN"),
        ("PRC", "CHN"),
        ("People's Republic of China", "CHN"),
        ("Taipei", "TWN"),
        ("Taiwanese", "TWN"),
        ("U.S.", "USA"),
        ("the United States", "USA"),
        ("Britain", "GBR"),
        ("British", "GBR"),
        ("South Korea", "KOR"),
        ("us", None),
        ("Chen", None),
    ],
)
def test_country_code(text, code):
    assert country_code(text) == code


def stated_countries(nlp, text: str) -> dict[str, str | None]:
    """Person and organisation mention -> its country_code, linked with the article's body."""
    mentions = article_mentions(nlp, "a", text)
    links, _forms = link_mentions(mentions, {"a": text})
    return {
        mention.text: link.country_code
        for (_article, mention), link in zip(mentions, links, strict=True)
        if mention.label in {"PERSON", "ORG"}
    }


@pytest.mark.parametrize(
    ("text", "name", "code"),
    [
        ("Japanese Prime Minister Fumio Kishida arrived on Monday.", "Fumio Kishida", "JPN"),
        ("China's Taiwan Affairs spokesperson Chen Binhua spoke.", "Chen Binhua", "CHN"),
        ("Taiwan President Lai Ching-te met the delegation.", "Lai Ching-te", "TWN"),
        ("They met Fumio Kishida, Japan's prime minister, on Monday.", "Fumio Kishida", "JPN"),
        ("Ana Ruiz (Spain) beat Mia Lund (Norway) 6-3 6-2.", "Mia Lund", "NOR"),
        ("The talks were led by U.S. trade envoy Katherine Tai in Geneva.", "Katherine Tai", "USA"),
        ("He said the Chinese Foreign Ministry had protested.", "Chinese Foreign Ministry", "CHN"),
    ],
)
def test_country_the_text_states_for_a_person_or_organisation(nlp, text, name, code):
    assert stated_countries(nlp, text)[name] == code


def test_country_is_shared_by_the_entitys_mentions_in_the_article(nlp):
    text = "Japanese Prime Minister Fumio Kishida arrived on Monday. Kishida said little."
    assert stated_countries(nlp, text)["Kishida"] == "JPN"


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("Officials visited Japan. Prime Minister Anthony Albanese spoke.", "Anthony Albanese"),
        ("British striker Harry Kane joined Tottenham Hotspur in 2009.", "Tottenham Hotspur"),
        ("Japan accused opposition leader Kenji Sato of lying.", "Kenji Sato"),
    ],
)
def test_no_country_where_the_text_does_not_state_one(nlp, text, name):
    assert stated_countries(nlp, text).get(name) is None


def test_a_name_in_capitals_is_written_as_the_articles_write_it():
    # A wire dateline prints the place in capitals ("KELLERBY, March 3 -"); the story writes
    # it in mixed case, which is its name. An acronym keeps its capitals.
    dateline, story, acronym = links(
        [mention("KELLERBY", "GPE")],
        [mention("Kellerby", "GPE")],
        [mention("NFA", "ORG")],
    )
    assert dateline.entity_id == story.entity_id
    assert dateline.canonical_name == "Kellerby"
    assert acronym.canonical_name == "NFA"


def test_most_articles_spelling_of_a_name_wins_over_mixed_case():
    # A company most articles write in capitals keeps them, whatever one article writes.
    *capitals, mixed = links(*[[mention("VANTORA", "ORG")]] * 3, [mention("Vantora", "ORG")])
    assert {link.entity_id for link in capitals} == {mixed.entity_id}
    assert mixed.canonical_name == "VANTORA"
