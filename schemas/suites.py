"""Expectation suites, built from the table declarations in schemas/tables.py.

Each table gets one suite of column checks derived from its declaration. Checks that need
more than one table (references, spans against the body, one name per entity) are SQL
expressions evaluated by the validate step into boolean columns of a `<table>_checks` frame,
whose suite expects every non-null value to be true. Distribution checks (does the run look
like the output of working steps?) are SQL numbers over the whole run, evaluated into the
one-row `run_metrics` frame, whose suite expects each number within its declared bounds.

Severity is declared here, with each check. `quarantine` is a row-level check: the rows that
fail it go to the quarantine (with the rows that depend on them), and the rest publishes,
unless the table's share of quarantined rows passes its declared bound
(`Table.max_quarantined_share`). `critical` is a table-level check (the schema, unique keys,
one name per entity, a run metric of a broken step): its failure blocks publishing. `warning`
is reported and publishes.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyarrow as pa

from schemas.tables import EARLIEST_DATE, MAX_UTC_OFFSET_HOURS, TABLES, Table

CRITICAL = "critical"
QUARANTINE = "quarantine"
WARNING = "warning"
SEVERITY_META = "newsflow_severity"  # the expectation's meta key holding one of the above
# Below this many new rows of a table, its share of quarantined rows is not judged: it would
# measure the articles, not the steps.
MIN_ROWS_FOR_QUARANTINE_SHARE = 5


@dataclass(frozen=True)
class CrossCheck:
    """A boolean SQL expression per row of `table` (NULL when the check does not apply)."""

    table: str
    name: str
    sql: str
    description: str
    severity: str = QUARANTINE
    shows: tuple[str, ...] = ()  # the row's columns that tell why it failed (in the quarantine)


def _span_check(table: str, start: str, end: str, text: str) -> CrossCheck:
    return CrossCheck(
        table,
        f"{text}_matches_body",
        f"CASE WHEN t.{start} IS NULL THEN NULL ELSE "
        f"substr(a.body, t.{start} + 1, t.{end} - t.{start}) = t.{text} "
        f"AND t.{end} <= length(a.body) END",
        f"{text} equals the body substring [{start}, {end})",
        shows=(text, start, end),
    )


def _entity_exists(table: str, column: str) -> CrossCheck:
    return CrossCheck(
        table,
        f"{column}_exists",
        f"CASE WHEN t.{column} IS NULL THEN NULL ELSE "
        f"t.{column} IN (SELECT entity_id FROM entities) END",
        f"every non-null {column} exists in entities.entity_id",
        shows=(column,),
    )


def _together_check(table: str, columns: tuple[str, ...]) -> CrossCheck:
    nulls = [f"(t.{column} IS NULL)" for column in columns]
    return CrossCheck(
        table,
        f"{columns[0]}_together",
        " AND ".join(f"{nulls[0]} = {other}" for other in nulls[1:]),
        f"{', '.join(columns)} are all null or all set",
        shows=columns,
    )


def _article_exists(table: str) -> CrossCheck:
    return CrossCheck(
        table,
        "article_exists",
        "a.article_id IS NOT NULL",
        "article_id exists in articles",
        shows=("article_id",),
    )


CROSS_CHECKS: tuple[CrossCheck, ...] = (
    CrossCheck(
        "articles",
        "duplicate_of_exists",
        "CASE WHEN t.duplicate_of IS NULL THEN NULL ELSE t.duplicate_of <> t.article_id "
        "AND t.duplicate_of IN (SELECT article_id FROM articles) END",
        "duplicate_of points at another existing article",
        shows=("duplicate_of",),
    ),
    CrossCheck(
        "articles",
        "published_date_plausible",
        "CASE WHEN t.published_date IS NULL THEN NULL ELSE "
        f"t.published_date BETWEEN DATE '{EARLIEST_DATE}' AND CAST(timezone('UTC', now()) "
        f"+ INTERVAL {MAX_UTC_OFFSET_HOURS} HOUR AS DATE) END",
        f"published_date is not before {EARLIEST_DATE.year} and not in the future (today in "
        f"the time zone furthest ahead, UTC+{MAX_UTC_OFFSET_HOURS}, is not)",
        shows=("published_date",),
    ),
    CrossCheck(
        "articles",
        "content_sha256_matches_body",
        "t.content_sha256 = sha256(t.body)",
        "content_sha256 is the SHA-256 of body",
        shows=("content_sha256",),
    ),
    CrossCheck(
        "articles",
        "ingested_at_not_in_future",
        "t.ingested_at <= now()",
        "ingested_at is not in the future",
        shows=("ingested_at",),
    ),
    _article_exists("entities"),
    CrossCheck(
        "entities",
        "one_canonical_name",
        "(SELECT count(DISTINCT e.canonical_name) FROM entities e "
        "WHERE e.entity_id = t.entity_id) = 1",
        "every entity_id has exactly one canonical_name",
        shows=("entity_id", "canonical_name"),
        severity=CRITICAL,
    ),
    CrossCheck(
        "entities",
        "one_place",
        "(SELECT count(DISTINCT e.geonames_id) FROM entities e "
        "WHERE e.entity_id = t.entity_id) <= 1",
        "every entity_id has at most one geonames_id",
        shows=("entity_id", "geonames_id"),
        severity=CRITICAL,
    ),
    CrossCheck(
        "entities",
        "one_entity_type",
        "(SELECT count(DISTINCT e.entity_type) FROM entities e "
        "WHERE e.entity_id = t.entity_id) = 1",
        "every entity_id has exactly one entity_type",
        shows=("entity_id", "entity_type"),
        severity=CRITICAL,
    ),
    _article_exists("quotes"),
    CrossCheck(
        "quotes",
        "speaker_span_given",
        "(t.speaker_text IS NULL) = (t.speaker_start IS NULL)",
        "a speaker_text has a span, and a span has a speaker_text",
        shows=("speaker_text", "speaker_start", "speaker_end"),
    ),
    _entity_exists("quotes", "speaker_entity_id"),
    CrossCheck(
        "quotes",
        "speaker_name_is_canonical",
        "CASE WHEN t.speaker_entity_id IS NULL THEN t.speaker_name IS NULL ELSE "
        "t.speaker_name IN (SELECT e.canonical_name FROM entities e "
        "WHERE e.entity_id = t.speaker_entity_id) END",
        "speaker_name is the canonical_name of speaker_entity_id (null when unresolved)",
        shows=("speaker_name", "speaker_entity_id"),
    ),
    _article_exists("events"),
    _entity_exists("events", "actor_entity_id"),
    _entity_exists("events", "target_entity_id"),
    CrossCheck(
        "events",
        "event_date_plausible",
        "CASE WHEN t.event_date IS NULL THEN NULL ELSE "
        f"t.event_date BETWEEN DATE '{EARLIEST_DATE}' AND current_date + INTERVAL 10 YEAR END",
        f"event_date is not before {EARLIEST_DATE.year} and at most ten years ahead (planned "
        "events)",
        shows=("event_date",),
        severity=WARNING,
    ),
    CrossCheck(
        "stories",
        "counts_match_articles",
        "(SELECT count(*) = t.article_count "
        "AND min(published_date) IS NOT DISTINCT FROM t.first_published "
        "AND max(published_date) IS NOT DISTINCT FROM t.last_published "
        "FROM articles x WHERE x.story_id = t.story_id)",
        "the story has articles, and article_count, first_published and last_published are theirs",
        severity=CRITICAL,
        shows=("story_id", "article_count", "first_published", "last_published"),
    ),
    CrossCheck(
        "stories",
        "event_count_matches_events",
        "(SELECT count(DISTINCT v.event_cluster_id) = t.event_count FROM events v "
        "JOIN articles x ON x.article_id = v.article_id WHERE x.story_id = t.story_id)",
        "event_count is the number of distinct event clusters of the story's articles",
        severity=CRITICAL,
        shows=("story_id", "event_count"),
    ),
)


@dataclass(frozen=True)
class Bound:
    """The range a run metric must lie in, and what it means when it does not."""

    severity: str
    min_value: float | None = None
    max_value: float | None = None


@dataclass(frozen=True)
class RunMetric:
    """A number about the whole run: a scalar SQL query over the tables (one column of the
    `run_metrics` frame). It is NULL, and so not checked, when the run is too small for the
    number to say anything about the steps (one article, no quotes)."""

    name: str
    sql: str
    description: str
    bounds: tuple[Bound, ...]


RUN_METRICS_TABLE = "run_metrics"
# Below these sample sizes a share measures the documents rather than the steps.
_MIN_ARTICLES_FOR_SHARE = 3
# A working model finds a name, place or date in nearly every news article, and nothing in a
# cookie notice, a recipe or an error page: judged from a few articles, the share measures
# which pages a crawl picked up. From this many, and below the critical bound, it is the model.
_MIN_ARTICLES_FOR_NER_SHARE = 20
_MIN_QUOTES_FOR_SHARE = 10
_MIN_INPUTS_FOR_SHARE = 5
# An article long enough that a working NER model always finds a name, place or date in it.
_SUBSTANTIAL_WORDS = 50
# Lines this long are prose, whatever words they contain.
_BOILERPLATE_MAX_CHARS = 100
# Page furniture that web-page dumps of English news carry and a body must not: share bars,
# follow/subscribe prompts, comment forms, related-story headers, credits and legal notices.
# Written from common newsroom site templates; matched case-insensitively against whole lines.
BOILERPLATE_LINE_PATTERN = "(?i)" + "|".join(
    f"(?:{pattern})"
    for pattern in (
        r"(share|tweet|email|print)( (this|on|via|the)\b.*)?",
        r"(follow|like|join) us( on .*)?",
        r"(sign up|subscribe|register)( (now|today|for|to|here).*)?",
        r"advertisement|sponsored( content)?|scroll to continue.*",
        r"(read|see|view) (more|also|the full story).*",
        r"(related|recommended|more|top|latest) (articles?|stories|news|videos?|coverage).*",
        r"(previous|next) (article|story|post).*",
        r"(copyright|©|\(c\)) .*|.*all rights reserved\.?",
        r"(click|tap) here.*",
        r"(leave|post|add|write) a (comment|reply).*|\d* ?comments?",
        r"(log ?in|sign in) to .*",
        r"(we|this (site|website)) uses? cookies.*|(privacy|cookie) policy|terms of (use|service)",
        r"(back to top|skip to (main )?content|jump to .*)",
        r"(image|photo|picture) (copyright|caption|credit|source).*",
        r"(download|get) (the|our) .*app.*",
    )
)


def _share(numerator: str, rows: str, min_rows: int) -> str:
    """SQL: the share of `rows` (a FROM ... WHERE clause) where `numerator` holds."""
    return (
        f"(SELECT CASE WHEN count(*) >= {min_rows} "
        f"THEN avg(CASE WHEN {numerator} THEN 1.0 ELSE 0.0 END) END {rows})"
    )


RUN_METRICS: tuple[RunMetric, ...] = (
    RunMetric(
        "body_to_raw_length",
        # The median article's, not the run's total: one page of megabytes of scripts around a
        # short story (a few such pages) must not read as a broken step.
        f"(SELECT CASE WHEN count(*) >= {_MIN_ARTICLES_FOR_SHARE} "
        "THEN median(length(body) / raw_length) END FROM articles)",
        "the median article's body length against its raw length (from "
        f"{_MIN_ARTICLES_FOR_SHARE} articles): a clean step that empties bodies drives it to 0 "
        "(HTML pages keep 0.02% to 60% of their markup as body, text dumps far more)",
        (Bound(CRITICAL, min_value=0.001),),
    ),
    RunMetric(
        "articles_with_entities",
        _share(
            "article_id IN (SELECT article_id FROM entities)",
            f"FROM articles WHERE language = 'en' AND word_count >= {_SUBSTANTIAL_WORDS}",
            _MIN_ARTICLES_FOR_NER_SHARE,
        ),
        f"share of English articles of {_SUBSTANTIAL_WORDS}+ words with at least one entity "
        f"mention (from {_MIN_ARTICLES_FOR_NER_SHARE} such articles): low when NER is broken",
        (Bound(CRITICAL, min_value=0.2), Bound(WARNING, min_value=0.9)),
    ),
    RunMetric(
        "quotes_with_speaker",
        _share(
            "speaker_text IS NOT NULL",
            "FROM quotes WHERE quote_type <> 'scare'",
            _MIN_QUOTES_FOR_SHARE,
        ),
        f"share of attributed quotes (not scare quotes) with a speaker (from "
        f"{_MIN_QUOTES_FOR_SHARE} quotes): low when speaker attribution is broken",
        (Bound(CRITICAL, min_value=0.2), Bound(WARNING, min_value=0.5)),
    ),
    RunMetric(
        "boilerplate_lines",
        _share(
            f"length(line) <= {_BOILERPLATE_MAX_CHARS} "
            f"AND regexp_full_match(line, '{BOILERPLATE_LINE_PATTERN}')",
            "FROM (SELECT trim(unnest(string_split(body, chr(10)))) AS line FROM articles) "
            "WHERE line <> ''",
            1,
        ),
        "share of body lines that look like page furniture (share bars, subscribe prompts, "
        "credits, legal notices): high when the clean step keeps boilerplate",
        (Bound(WARNING, max_value=0.02),),
    ),
    RunMetric(
        "quarantined_inputs",
        "(SELECT CASE WHEN q + a >= "
        f"{_MIN_INPUTS_FOR_SHARE} THEN q / (q + a) END FROM "
        "(SELECT (SELECT count(*) FROM quarantine WHERE table_name IS NULL) AS q, "
        "(SELECT count(*) FROM articles) AS a))",
        f"share of inputs quarantined before validation (from {_MIN_INPUTS_FOR_SHARE} "
        "inputs): high when a step rejects what it should read",
        (Bound(WARNING, max_value=0.5),),
    ),
)


def run_metrics_sql() -> str:
    """One SELECT giving the one-row `run_metrics` frame."""
    return "SELECT " + ", ".join(f"{m.sql}::DOUBLE AS {m.name}" for m in RUN_METRICS)


def run_metric_expectations() -> list:
    """Each run metric must lie within each of its bounds (a NULL metric is not checked)."""
    import great_expectations as gx

    return [
        _expect(
            gx.expectations.ExpectColumnValuesToBeBetween,
            bound.severity,
            column=metric.name,
            min_value=bound.min_value,
            max_value=bound.max_value,
            description=metric.description,
        )
        for metric in RUN_METRICS
        for bound in metric.bounds
    ]


def _expect(kind: type, severity: str, **kwargs):
    """An expectation of `kind` with its severity. Great Expectations knows critical and
    warning only: a row-level check is a warning to it (it never blocks by itself), and the
    severity proper is kept in the expectation's meta."""
    return kind(
        severity=CRITICAL if severity == CRITICAL else WARNING,
        meta={SEVERITY_META: severity},
        **kwargs,
    )


def severity_of(expectation_config) -> str:
    """The declared severity of an expectation (or of its configuration in a result)."""
    meta = expectation_config.meta or {}
    return meta.get(SEVERITY_META) or str(getattr(expectation_config.severity, "value", CRITICAL))


def cross_checks(table: str) -> list[CrossCheck]:
    """The declared checks of a table, one per span it declares, one per group of columns it
    declares set together, and for a derived table the checks of its column declarations."""
    declared = TABLES[table]
    spans = [_span_check(table, start, end, text) for text, start, end in declared.spans]
    together = [_together_check(table, columns) for columns in declared.together]
    values = [_declared_values(declared)] if declared.derived else []
    return [c for c in CROSS_CHECKS if c.table == table] + spans + together + values


def _declared_values(table: Table) -> CrossCheck:
    """One SQL check of what a table's columns declare: nullability, uniqueness, set, pattern,
    range (its types are those of the Arrow schema it is written with)."""
    conditions = []
    for column in table.columns:
        value = f"t.{column.name}"
        if column.unique:
            conditions.append(
                f"(SELECT count(*) FROM {table.name} u WHERE u.{column.name} = {value}) = 1"
            )
        if not column.nullable:
            conditions.append(f"{value} IS NOT NULL")
        if (allowed := column.allowed_values()) is not None:
            conditions.append(f"{value} IN ({', '.join(map(_sql_text, allowed))})")
        if column.pattern:
            conditions.append(f"regexp_full_match({value}, {_sql_text(column.pattern)})")
        if column.min_value is not None:
            conditions.append(f"{value} >= {column.min_value}")
        if column.max_value is not None:
            conditions.append(f"{value} <= {column.max_value}")
    return CrossCheck(
        table.name,
        "declared_values",
        # A null passes a set, pattern or range (as in the expectations): coalesce to true.
        " AND ".join(f"coalesce({condition}, true)" for condition in conditions),
        "every value is as its column declares (not null, unique, set, pattern, range)",
        severity=CRITICAL,
        shows=(table.key,),
    )


def _sql_text(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def checks_table_name(table: str) -> str:
    return f"{table}_checks"


def table_expectations(table: Table) -> list:
    """The column-level expectations a table's declaration implies: the schema and unique
    keys are table-level (critical), a value's nullability, set, pattern and range and a
    span's order are row-level (quarantine). A derived table has none: its declarations are
    checked by one cross-table check (`_declared_values`)."""
    import great_expectations as gx

    expect = gx.expectations
    expectations = [
        _expect(
            expect.ExpectTableColumnsToMatchOrderedList, CRITICAL, column_list=table.column_names
        )
    ]
    for column in table.columns:
        name = column.name
        expectations.append(
            _expect(
                expect.ExpectColumnValuesToBeOfType,
                CRITICAL,
                column=name,
                type_=_python_type(column.type),
            )
        )
        if not column.nullable:
            expectations.append(
                _expect(expect.ExpectColumnValuesToNotBeNull, QUARANTINE, column=name)
            )
        if column.unique:
            expectations.append(_expect(expect.ExpectColumnValuesToBeUnique, CRITICAL, column=name))
        if (allowed := column.allowed_values()) is not None:
            expectations.append(
                _expect(
                    expect.ExpectColumnValuesToBeInSet, QUARANTINE, column=name, value_set=allowed
                )
            )
        if column.pattern:
            expectations.append(
                _expect(
                    expect.ExpectColumnValuesToMatchRegex,
                    QUARANTINE,
                    column=name,
                    regex=column.pattern,
                )
            )
        if column.min_value is not None or column.max_value is not None:
            expectations.append(
                _expect(
                    expect.ExpectColumnValuesToBeBetween,
                    QUARANTINE,
                    column=name,
                    min_value=column.min_value,
                    max_value=column.max_value,
                )
            )
    for _text, start, end in table.spans:
        expectations.append(
            _expect(
                expect.ExpectColumnPairValuesAToBeGreaterThanB,
                QUARANTINE,
                column_A=end,
                column_B=start,
                ignore_row_if="either_value_is_missing",
            )
        )
    return expectations


def check_expectations(table: str) -> list:
    """Every cross-table check of a table must hold wherever it applies."""
    import great_expectations as gx

    return [
        _expect(
            gx.expectations.ExpectColumnValuesToBeInSet,
            check.severity,
            column=check.name,
            value_set=[True],
            description=check.description,
        )
        for check in cross_checks(table)
    ]


def suites() -> dict[str, list]:
    """Suite name -> expectations: every published table, its cross-table checks, the run."""
    built = {name: table_expectations(t) for name, t in TABLES.items() if not t.derived}
    for name in TABLES:
        if cross_checks(name):
            built[checks_table_name(name)] = check_expectations(name)
    built[RUN_METRICS_TABLE] = run_metric_expectations()
    return built


def _python_type(arrow_type: pa.DataType) -> str:
    """The value type GX reports for an Arrow-backed pandas column of this Arrow type."""
    if pa.types.is_string(arrow_type) or pa.types.is_large_string(arrow_type):
        return "str"
    if pa.types.is_integer(arrow_type):
        return "int"
    if pa.types.is_floating(arrow_type):
        return "float"
    if pa.types.is_boolean(arrow_type):
        return "bool"
    if pa.types.is_date(arrow_type):
        return "date"
    if pa.types.is_timestamp(arrow_type):
        return "datetime"
    if pa.types.is_list(arrow_type) or pa.types.is_map(arrow_type):
        return "list"  # a map's value reaches pandas as a list of (key, value) pairs
    raise TypeError(f"no expectation type for {arrow_type}")
