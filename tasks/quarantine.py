"""Row-level quarantine: what validation rejects leaves the run's tables, the rest publishes.

A row that fails a row-level expectation goes to the quarantine with the expectation and its
offending value, and takes with it the rows that depend on it: an article its entities, quotes
and events (one quarantine row, the article's); a quote or an event whose speaker, actor or
target entity is left without a mention. A new article that duplicates a quarantined one stays,
without that link. A table whose share of rejected rows passes its declared bound
(`Table.max_quarantined_share`) cannot be trusted as a whole: its outcome fails, critically.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass

import pyarrow as pa
import pyarrow.dataset as ds

from schemas.suites import CRITICAL, MIN_ROWS_FOR_QUARANTINE_SHARE
from schemas.tables import ARTICLES, ENTITIES, EVENTS, QUOTES, TABLES
from tasks.records import Quarantined
from tasks.validate import ExpectationOutcome, OffendingRow, ValidationReport

STEP = "validate"
QUARANTINE_SUITE = "quarantine"
SHARE_EXPECTATION = "quarantined_share_at_most"
ARTICLE_ROWS = (ENTITIES, QUOTES, EVENTS)  # the tables whose rows belong to one article
ENTITY_REFERENCES = {
    QUOTES.name: ("speaker_entity_id",),
    EVENTS.name: ("actor_entity_id", "target_entity_id"),
}
MAX_DETAIL_CHARS = 1000


@dataclass(frozen=True)
class QuarantinePlan:
    drop: dict[str, set[str]]  # table -> keys of the run's rows that leave it
    rows: list[Quarantined]  # what the quarantine table gains
    outcomes: list[ExpectationOutcome]  # per table: its share of rejected rows, against its bound

    @property
    def empty(self) -> bool:
        return not any(self.drop.values())

    @property
    def trusted(self) -> bool:
        """False when a table's share of rejected rows passes its bound."""
        return all(o.success for o in self.outcomes)


def plan_quarantine(
    report: ValidationReport,
    new: Mapping[str, ds.Dataset],
    everything: Mapping[str, ds.Dataset],
) -> QuarantinePlan:
    """What leaves the run's new rows (`new`) for the quarantine after `report`; `everything`
    is the version's rows (published and new), where orphans and sources are looked up."""
    failing: dict[str, dict[str, list[OffendingRow]]] = {}
    for row in report.offending:
        failing.setdefault(row.table, {}).setdefault(row.key, []).append(row)
    drop = {name: set(keys) for name, keys in failing.items()}
    dropped_articles = drop.get(ARTICLES.name, set())
    taken_along: Counter[tuple[str, str]] = Counter()  # (article_id, table) -> rows
    for table in ARTICLE_ROWS:
        if not dropped_articles:
            break
        rows = new[table.name].to_table(
            columns=[table.key, "article_id"],
            filter=_is_in("article_id", dropped_articles),
        )
        drop.setdefault(table.name, set()).update(rows.column(table.key).to_pylist())
        taken_along.update((a, table.name) for a in rows.column("article_id").to_pylist())
    shares = _share_outcomes(failing, new)  # of the rows that failed themselves
    for row in _rows_without_entity(drop, new, everything):
        drop.setdefault(row.table, set()).add(row.key)
        failing.setdefault(row.table, {}).setdefault(row.key, []).append(row)
    rows = _quarantine_rows(failing, dropped_articles, taken_along, new, everything)
    return QuarantinePlan(drop, rows, shares)


def _is_in(column: str, values) -> ds.Expression:
    """A dataset filter: `column` is one of `values` (strings)."""
    return ds.field(column).isin(pa.array(sorted(values), pa.string()))


def _rows_without_entity(
    drop: dict[str, set[str]],
    new: Mapping[str, ds.Dataset],
    everything: Mapping[str, ds.Dataset],
) -> list[OffendingRow]:
    """Quotes and events (still in) whose speaker, actor or target entity has no mention left
    once the dropped mentions are gone."""
    mentions = sorted(drop.get(ENTITIES.name, ()))
    if not mentions:
        return []
    gone = set(
        new[ENTITIES.name]
        .to_table(columns=["entity_id"], filter=_is_in(ENTITIES.key, mentions))
        .column(0)
        .to_pylist()
    )
    left = everything[ENTITIES.name].to_table(
        columns=["entity_id"],
        filter=_is_in("entity_id", gone) & ~_is_in(ENTITIES.key, mentions),
    )
    orphaned = sorted(gone - set(left.column(0).to_pylist()))
    if not orphaned:
        return []
    found = []
    for name, columns in ENTITY_REFERENCES.items():
        key = TABLES[name].key
        refers = None
        for column in columns:
            condition = _is_in(column, orphaned)
            refers = condition if refers is None else refers | condition
        kept = ~_is_in(key, drop.get(name, ()))
        for row in new[name].to_table(columns=[key, *columns], filter=refers & kept).to_pylist():
            named = ", ".join(f"{c}={row[c]!r}" for c in columns if row[c] in orphaned)
            detail = f"{name}.{key}={row[key]}: {named} has no entity mention left"
            found.append(OffendingRow(name, row[key], "entity_quarantined", detail))
    return found


def _quarantine_rows(
    failing: dict[str, dict[str, list[OffendingRow]]],
    dropped_articles: set[str],
    taken_along: Counter[tuple[str, str]],
    new: Mapping[str, ds.Dataset],
    everything: Mapping[str, ds.Dataset],
) -> list[Quarantined]:
    """One quarantine row per rejected row, except the rows an article took along."""
    article_of: dict[tuple[str, str], str] = {}
    for name, rows in failing.items():
        if name == ARTICLES.name:
            article_of.update(((name, key), key) for key in rows)
            continue
        key = TABLES[name].key
        found = new[name].to_table(columns=[key, "article_id"], filter=_is_in(key, rows))
        article_of.update(
            zip(
                [(name, k) for k in found.column(0).to_pylist()],
                found.column(1).to_pylist(),
                strict=True,
            )
        )
    sources = everything[ARTICLES.name].to_table(
        columns=["article_id", "source_uri"],
        filter=_is_in("article_id", set(article_of.values())),
    )
    source_of = dict(zip(*(c.to_pylist() for c in sources.columns), strict=True))
    quarantined = []
    for name, rows in failing.items():
        for key, offences in sorted(rows.items()):
            article = article_of.get((name, key))
            if name != ARTICLES.name and article in dropped_articles:
                continue  # it went with its article
            detail = "; ".join(o.detail for o in offences)
            if name == ARTICLES.name:
                along = [f"{taken_along[key, t.name]} {t.name}" for t in ARTICLE_ROWS]
                detail += f" (with its {', '.join(along)})"
            quarantined.append(
                Quarantined(
                    source_of.get(article),
                    STEP,
                    offences[0].reason,
                    detail[:MAX_DETAIL_CHARS],
                    table_name=name,
                    row_id=key,
                )
            )
    return quarantined


def _share_outcomes(
    failing: dict[str, dict[str, list[OffendingRow]]], new: Mapping[str, ds.Dataset]
) -> list[ExpectationOutcome]:
    """Per table, the share of its new rows that failed a row-level expectation themselves
    (not those taken along), against the table's bound."""
    outcomes = []
    for table in (ARTICLES, *ARTICLE_ROWS):
        rows = new[table.name].count_rows()
        rejected = len(failing.get(table.name, ()))
        share = rejected / rows if rows else 0.0
        judged = rows >= MIN_ROWS_FOR_QUARANTINE_SHARE
        outcomes.append(
            ExpectationOutcome(
                suite=QUARANTINE_SUITE,
                expectation=SHARE_EXPECTATION,
                column=table.name,
                severity=CRITICAL,
                success=not judged or share <= table.max_quarantined_share,
                unexpected_count=rejected,
                observed=f"{rejected} of {rows} new rows ({share:.1%})",
                sample=[],
                description=(
                    f"at most {table.max_quarantined_share:.0%} of a run's new {table.name} rows "
                    f"fail row-level expectations (judged from {MIN_ROWS_FOR_QUARANTINE_SHARE} "
                    "rows): more means a broken step, not bad articles"
                ),
            )
        )
    return outcomes
