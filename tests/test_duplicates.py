"""Duplicates (exact, contained, near-equal) and stories, on constructed pairs and the seeds."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pyarrow as pa
import pytest
from conftest import SEEDS

from tasks.clean import clean
from tasks.extract import Extraction
from tasks.ids import article_id
from tasks.normalize import normalize_batch
from tasks.normalize.duplicates import article_features, relate_features
from tasks.records import Article, RawDocument, RunInfo

STORY = " ".join(
    f"Paragraph {n} says the harbour authority will dredge the northern channel before "
    f"winter storms arrive, officials said on day {n} of the review."
    for n in range(12)
)
OTHER = (
    "The orchestra announced a new conductor for the spring season, ending a search that "
    "took two years and drew applicants from eleven countries across three continents."
)


def _article(uri: str, body: str, published: date | None = None) -> Article:
    return Article(
        article_id=article_id(uri, body),
        source_uri=uri,
        source_name=None,
        title=None,
        byline=None,
        dateline=None,
        published_date=published,
        date_source="none" if published is None else "metadata",
        language="en",
        body=body,
        raw_length=len(body),
    )


def article_table(articles: list[Article]) -> pa.Table:
    """The articles' rows as the flow's workers make them (no extraction needed here)."""
    run = RunInfo("test", datetime.now(UTC), "0")
    return normalize_batch(articles, [Extraction(a.article_id) for a in articles], run).tables[
        "articles"
    ]


def relate_articles(
    articles: list[Article],
    entity_keys: dict[str, set[str]],
    settled: dict[str, str] | None = None,
) -> tuple[dict[str, str], dict[str, str]]:
    """Duplicates and stories of article records; entity_keys maps article_id -> its keys."""
    pairs = [(article, key) for article, keys in entity_keys.items() for key in sorted(keys)]
    story_entities = pa.table(
        {
            "article_id": pa.array([a for a, _ in pairs], pa.string()),
            "entity_id": pa.array([k for _, k in pairs], pa.string()),
        }
    )
    return relate_features(article_features(article_table(articles)), story_entities, settled or {})


def find_duplicates(articles: list[Article]) -> dict[str, str]:
    return relate_articles(articles, {})[0]


def assign_stories(articles: list[Article], entity_keys: dict[str, set[str]]) -> dict[str, str]:
    return relate_articles(articles, entity_keys)[1]


def test_exact_duplicate_points_at_the_earlier_article():
    early = _article("b.txt", STORY, date(2023, 1, 1))
    late = _article("a.txt", STORY, date(2023, 1, 2))
    assert find_duplicates([late, early]) == {late.article_id: early.article_id}


def test_equal_undated_bodies_point_at_the_smaller_source_uri():
    first, second = _article("a.txt", STORY), _article("b.txt", STORY)
    assert find_duplicates([second, first]) == {second.article_id: first.article_id}


def test_contained_article_points_at_the_containing_one():
    longer = _article("z.txt", STORY + " " + OTHER * 3)
    part = _article("a.txt", STORY[: len(STORY) // 2], date(2020, 1, 1))
    assert find_duplicates([part, longer]) == {part.article_id: longer.article_id}


def test_unrelated_articles_are_not_duplicates():
    assert find_duplicates([_article("a.txt", STORY), _article("b.txt", OTHER)]) == {}


def test_results_do_not_depend_on_input_order():
    articles = [
        _article("a.txt", STORY),
        _article("b.txt", STORY),
        _article("c.txt", STORY[:800]),
        _article("d.txt", OTHER),
    ]
    assert find_duplicates(articles) == find_duplicates(articles[::-1])
    assert assign_stories(articles, {}) == assign_stories(articles[::-1], {})


@pytest.fixture(scope="module")
def seed_articles() -> dict[str, Article]:
    documents = [
        RawDocument(path.name, "txt", path.read_text(encoding="utf-8"), None)
        for path in sorted(SEEDS.glob("*.txt"))
    ]
    articles, _ = clean(documents)
    return {article.source_uri[:3]: article for article in articles}


@pytest.fixture(scope="module")
def seed_entity_keys(seed_articles, nlp) -> dict[str, set[str]]:
    return {
        article.article_id: {f"{ent.label_}:{ent.text.lower()}" for ent in nlp(article.body).ents}
        for article in seed_articles.values()
    }


def test_seed_002_is_contained_in_001(seed_articles):
    duplicates = find_duplicates(list(seed_articles.values()))
    assert duplicates == {seed_articles["002"].article_id: seed_articles["001"].article_id}


@pytest.mark.parametrize("with_entities", [False, True])
def test_seed_stories(seed_articles, seed_entity_keys, with_entities):
    keys = seed_entity_keys if with_entities else {}
    stories = assign_stories(list(seed_articles.values()), keys)
    same = {stories[seed_articles[seed].article_id] for seed in ("000", "001", "002", "003")}
    assert len(same) == 1
    assert stories[seed_articles["004"].article_id] not in same
    assert all(story.startswith("s") and len(story) == 17 for story in stories.values())


def test_settled_stories_are_kept_joined_and_never_merged():
    harbour = _article("harbour.txt", STORY)
    orchestra = _article("orchestra.txt", OTHER * 4)
    settled = {harbour.article_id: "s-harbour", orchestra.article_id: "s-orchestra"}
    # A new article copying the harbour story, and one that contains both published ones.
    copy = _article("copy.txt", STORY[: len(STORY) * 3 // 4])
    bridge = _article("bridge.txt", STORY + " " + OTHER * 4)
    duplicates, stories = relate_articles([harbour, orchestra, copy, bridge], {}, settled)
    assert stories[harbour.article_id] == "s-harbour"
    assert stories[orchestra.article_id] == "s-orchestra"
    assert stories[copy.article_id] == "s-harbour"  # joins the published story
    assert stories[bridge.article_id] in {"s-harbour", "s-orchestra"}  # joins one, merges none
    assert duplicates[copy.article_id] in {harbour.article_id, bridge.article_id}


def test_features_made_in_separate_batches_relate_as_if_made_together():
    """Workers summarise their own batch: relating must not depend on how articles were split."""
    articles = [
        _article("a.txt", STORY, date(2023, 1, 1)),
        _article("b.txt", OTHER * 3),
        _article("c.txt", STORY[: len(STORY) // 2] + " " + OTHER),
        _article("d.txt", STORY, date(2023, 1, 3)),
    ]
    table = article_table(articles)
    no_entities = pa.table(
        {"article_id": pa.array([], pa.string()), "entity_id": pa.array([], pa.string())}
    )
    together = relate_features(article_features(table), no_entities, {})
    apart = pa.concat_tables(article_features(table.slice(i, 1)) for i in range(len(articles)))
    assert relate_features(apart, no_entities, {}) == together
    assert together == relate_articles(articles, {})
    assert together[0][articles[3].article_id] == articles[0].article_id  # d copies a
