"""The data-quality report: one self-contained HTML page per run (no scripts, no CDN).

Every value taken from the data is HTML-escaped: article text is untrusted web content. Plots
are matplotlib SVGs embedded as `data:` images, which browsers never let run scripts.
"""

from __future__ import annotations

import base64
import io
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from datetime import date, timedelta
from html import escape

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.dataset as ds

from schemas.suites import CRITICAL, QUARANTINE, RUN_METRICS
from schemas.tables import STORIES, TABLES
from schemas.views import DERIVED_VIEWS
from tasks.duckdb_memory import bounded_connection
from tasks.validate import ExpectationOutcome, ValidationReport, as_dataset

TOP_N = 15  # bars in the top-entities and top-speakers plots
TOP_SOURCES = 8  # sources with their own colour; the rest are "other sources"
MAX_QUARANTINE_ROWS = 200  # quarantine rows listed one by one; the counts cover all
LABEL_CHARS = 40
# Labels that name quantities and times, not the people, places and organisations users look for.
NON_NAME_LABELS = frozenset({"DATE", "TIME", "PERCENT", "MONEY", "QUANTITY", "ORDINAL", "CARDINAL"})
UNDATED = "undated"
MAX_DATE_BINS = 60  # beyond this, empty date bins are left out of the time plots
DATA_DOCS_LINK = "../data_docs/index.html"
MAX_STORIES = 10  # stories shown, those told by the most outlets first
MAX_STORY_EVENTS = 12  # events on a story's timeline, those the most outlets report first
MAX_STORY_STATEMENTS = 10  # statements under "who said what", likewise
QUOTE_CHARS = 240
PLACE_LABELS = ("GPE", "LOC", "FAC")  # mentions that name a place

_STYLE = """
body { font: 14px/1.45 system-ui, sans-serif; margin: 2rem auto; max-width: 72rem; color: #222;
       padding: 0 1rem; }
h1 { font-size: 1.6rem; } h2 { font-size: 1.25rem; margin-top: 2.2rem;
     border-bottom: 1px solid #ddd; } h3 { font-size: 1.05rem; }
table { border-collapse: collapse; margin: .5rem 0; }
th, td { border: 1px solid #ccc; padding: .25rem .5rem; text-align: left; vertical-align: top; }
th { background: #f3f3f3; } td.num { text-align: right; font-variant-numeric: tabular-nums; }
.badge { display: inline-block; padding: .1rem .55rem; border-radius: .8rem; font-weight: 600; }
.passed { background: #dafbe1; color: #1a7f37; } .failed { background: #ffebe9; color: #cf222e; }
.warning { background: #fff8c5; color: #7d4e00; }
.failure { border-left: .35rem solid #cf222e; background: #fff5f5; padding: .4rem .8rem;
           margin: .6rem 0; }
.failure.warn { border-left-color: #d4a72c; background: #fffbe6; }
.failure code { background: #fff; border: 1px solid #e5e5e5; padding: 0 .2rem;
                white-space: pre-wrap; word-break: break-all; }
figure { margin: 1rem 0; } figcaption { color: #555; font-size: 12px; }
figure img { max-width: 100%; height: auto; border: 1px solid #eee; }
.plots { display: grid; grid-template-columns: repeat(auto-fit, minmax(30rem, 1fr)); gap: 1rem; }
details { margin: .3rem 0; } summary { cursor: pointer; }
.muted { color: #666; }
"""


def render_report(
    tables: dict[str, pa.Table | ds.Dataset],
    validation: ValidationReport,
    run_summary: dict,
    drawn: Mapping[str, str] | None = None,
) -> str:
    """The report page of one run; only the columns it shows are read from the tables.
    `drawn` holds sections table_sections made of the same tables beforehand; the others of
    TABLE_SECTIONS are made here."""
    tables = _datasets(tables)
    drawn = drawn or {}
    sections = [
        _header(validation, run_summary),
        _run_section(tables, validation, run_summary),
        *(drawn[name] if name in drawn else make(tables) for name, make in TABLE_SECTIONS.items()),
        _quarantine_section(tables.get("quarantine")),
        _validation_section(validation),
    ]
    return (
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>"
        "<meta name='viewport' content='width=device-width, initial-scale=1'>"
        "<title>newsflow report</title>"
        f"<style>{_STYLE}</style></head><body>{''.join(sections)}</body></html>\n"
    )


def table_sections(
    tables: dict[str, pa.Table | ds.Dataset], names: Iterable[str] | None = None
) -> dict[str, str]:
    """The report's sections that need the tables only, not their validation (a run draws
    them beside its validation), by name: those of TABLE_SECTIONS `names` (default: all)."""
    tables = _datasets(tables)
    return {name: TABLE_SECTIONS[name](tables) for name in names or TABLE_SECTIONS}


# --- page parts ---------------------------------------------------------------------------


def _header(validation: ValidationReport, run_summary: dict) -> str:
    critical = len(validation.failures(CRITICAL))
    rejecting = len(validation.failures(QUARANTINE))
    warnings = len(validation.failures()) - critical - rejecting
    if validation.passed:
        status = "<span class='badge passed'>validation passed: published</span>"
    else:
        status = "<span class='badge failed'>validation FAILED: nothing published</span>"
    counts = (
        f"<span class='badge {'failed' if critical else 'passed'}'>{critical} critical "
        f"failure{'s' * (critical != 1)}</span> "
        f"<span class='badge {'warning' if rejecting else 'passed'}'>{rejecting} "
        f"row-level failure{'s' * (rejecting != 1)} (rows quarantined)</span> "
        f"<span class='badge {'warning' if warnings else 'passed'}'>{warnings} "
        f"warning{'s' * (warnings != 1)}</span>"
    )
    documents = run_summary.get("documents")
    accounted = (
        f"<p>Documents: {documents['read']} read = {documents['published']} published + "
        f"{documents['quarantined']} quarantined + {documents['already_published']} "
        "already published.</p>"
        if documents
        else ""
    )
    return (
        "<h1>newsflow data-quality report</h1>"
        f"<p>Run <code>{_text(run_summary.get('run_id'))}</code> {status} {counts}</p>"
        f"{accounted}"
        f"<p>{_text(validation.summary())}. Expectation results in the Great Expectations "
        f"format: <a href='{DATA_DOCS_LINK}'>Data Docs</a>.</p>"
    )


def _run_section(tables: dict[str, ds.Dataset], validation: ValidationReport, summary: dict) -> str:
    shown_elsewhere = {"run_id", "rows", "documents", "quarantined", "step_seconds", "validation"}
    facts = [
        [key.replace("_", " "), ", ".join(map(str, v)) if isinstance(v, list | tuple) else v]
        for key, v in summary.items()
        if key not in shown_elsewhere
    ]
    rows_title = "Published rows" if validation.passed else "Rows (not published)"
    rows = [[name, table.count_rows()] for name, table in tables.items()]
    steps = summary.get("step_seconds") or {}
    step_rows = [[step, f"{seconds:.2f}"] for step, seconds in steps.items()]
    if step_rows:
        step_rows.append(["total", f"{sum(steps.values()):.2f}"])
    return (
        "<h2>Run</h2><div class='plots'>"
        f"<div><h3>Inputs</h3>{_table([], facts)}</div>"
        f"<div><h3>{rows_title}</h3>{_table(['table', 'rows'], rows)}</div>"
        + (
            f"<div><h3>Duration per step</h3>{_table(['step', 'seconds'], step_rows)}</div>"
            if step_rows
            else ""
        )
        + "</div>"
    )


def _quarantine_section(quarantine: ds.Dataset | None) -> str:
    records = [] if quarantine is None else quarantine.to_table().to_pylist()
    if not records:
        return "<h2>Quarantine</h2><p>Nothing was quarantined.</p>"
    reasons = Counter((r["step"], r["reason"], r["table_name"] or "") for r in records)
    listed = sorted(records, key=lambda r: (r["step"], r["reason"], r["source_uri"] or ""))
    more = len(listed) - MAX_QUARANTINE_ROWS
    documents = sum(r["table_name"] in (None, "articles") for r in records)
    return (
        f"<h2>Quarantine</h2><p>{len(records)} quarantine row(s): {documents} input(s) or "
        f"article(s) not published, {len(records) - documents} row(s) of other tables. "
        "An article quarantined by validation takes its entities, quotes and events with "
        "it. By reason:</p>"
        + _table(
            ["step", "reason", "table", "rows"],
            [[step, reason, table, n] for (step, reason, table), n in reasons.most_common()],
        )
        + "<details><summary>Quarantine rows</summary>"
        + _table(
            ["source", "step", "reason", "table", "row", "detail"],
            [
                [
                    r["source_uri"] or "",
                    r["step"],
                    r["reason"],
                    r["table_name"] or "",
                    r["row_id"] or "",
                    r["detail"],
                ]
                for r in listed[:MAX_QUARANTINE_ROWS]
            ],
        )
        + (f"<p class='muted'>and {more} more</p>" if more > 0 else "")
        + "</details>"
    )


def _validation_section(validation: ValidationReport) -> str:
    by_suite: dict[str, list[ExpectationOutcome]] = {}
    for outcome in validation.outcomes:
        by_suite.setdefault(outcome.suite, []).append(outcome)
    overview = [
        [
            suite,
            len(outcomes),
            sum(o.success for o in outcomes),
            sum(not o.success and o.severity == CRITICAL for o in outcomes),
            sum(
                o.unexpected_count or 0
                for o in outcomes
                if not o.success and o.severity == QUARANTINE
            ),
            sum(not o.success and o.severity not in (CRITICAL, QUARANTINE) for o in outcomes),
        ]
        for suite, outcomes in by_suite.items()
    ]
    failures = sorted(validation.failures(), key=lambda o: (o.severity != CRITICAL, o.suite))
    failed_html = "".join(_failure(o) for o in failures) or "<p>Every expectation held.</p>"
    details = "".join(
        f"<details><summary>{_text(suite)}: {sum(o.success for o in outcomes)}/"
        f"{len(outcomes)} passed</summary>"
        + _table(
            ["result", "expectation", "column", "severity", "unexpected"],
            [
                [
                    "pass" if o.success else "FAIL",
                    o.expectation,
                    o.column or "",
                    o.severity,
                    "" if o.unexpected_count is None else o.unexpected_count,
                ]
                for o in outcomes
            ],
        )
        + "</details>"
        for suite, outcomes in by_suite.items()
    )
    return (
        "<h2>Expectation suites</h2>"
        + _table(
            [
                "suite",
                "expectations",
                "passed",
                "critical failures",
                "rows quarantined",
                "warnings",
            ],
            overview,
        )
        + "<h3>Failed expectations</h3>"
        + failed_html
        + "<h3>Run metrics</h3>"
        + _metrics_table(validation.metrics)
        + "<h3>All expectations</h3>"
        + details
    )


def _failure(outcome: ExpectationOutcome) -> str:
    critical = outcome.severity == CRITICAL
    badge = (
        "<span class='badge failed'>critical</span>"
        if critical
        else f"<span class='badge warning'>{_text(outcome.severity)}</span>"
    )
    facts = []
    if outcome.description:
        facts.append(_text(outcome.description))
    if outcome.severity == QUARANTINE and outcome.unexpected_count is not None:
        facts.append(f"{outcome.unexpected_count} row(s) quarantined")
    elif outcome.unexpected_count is not None:
        facts.append(f"{outcome.unexpected_count} unexpected value(s)")
    if outcome.observed is not None:
        facts.append(f"observed: <code>{_text(outcome.observed)}</code>")
    if outcome.sample:
        facts.append("sample: " + ", ".join(f"<code>{_text(v)}</code>" for v in outcome.sample))
    return (
        f"<div class='failure{'' if critical else ' warn'}'>{badge} "
        f"<strong>{_text(outcome.label)}</strong><br>{'<br>'.join(facts)}</div>"
    )


def _metrics_table(metrics: dict[str, float | None]) -> str:
    rows = []
    for metric in RUN_METRICS:
        value = metrics.get(metric.name)
        bounds = "; ".join(
            f"{b.severity}: "
            + " and ".join(
                part
                for part in (
                    None if b.min_value is None else f">= {b.min_value:g}",
                    None if b.max_value is None else f"<= {b.max_value:g}",
                )
                if part
            )
            for b in metric.bounds
        )
        shown = "not checked (run too small)" if value is None else f"{value:.3f}"
        rows.append([metric.name, shown, bounds, metric.description])
    return _table(["metric", "value", "bounds", "what it measures"], rows)


# --- stories -----------------------------------------------------------------------------

_STORY_ARTICLES = """SELECT published_date, source_name, title FROM articles
WHERE story_id = $story ORDER BY published_date NULLS LAST, article_id"""
_STORY_EVENTS = f"""SELECT coalesce(event_date, first_published) AS day, event_type, actor_text,
    trigger_text, target_text, sources, mentions
FROM event_clusters WHERE story_id = $story
ORDER BY sources DESC, mentions DESC, day NULLS LAST, event_cluster_id LIMIT {MAX_STORY_EVENTS}"""
_STORY_STATEMENTS = f"""SELECT coalesce(speaker_name, speaker_text) AS speaker, quote_text,
    sources, quotes
FROM quote_clusters WHERE story_id = $story AND coalesce(speaker_name, speaker_text) IS NOT NULL
ORDER BY sources DESC, quotes DESC, quote_cluster_id LIMIT {MAX_STORY_STATEMENTS}"""
_STORY_PLACES = f"""SELECT coalesce(e.country_code, '?') AS country,
    count(DISTINCT e.entity_id) AS places, count(*) AS mentions,
    string_agg(DISTINCT e.canonical_name, ', ' ORDER BY e.canonical_name) AS names
FROM entities e JOIN articles a ON a.article_id = e.article_id
WHERE a.story_id = $story AND e.label IN {PLACE_LABELS}
GROUP BY ALL ORDER BY mentions DESC, country"""


def _stories_section(tables: dict[str, ds.Dataset]) -> str:
    """Per story told by the most outlets: its outlets and dates, a timeline of its articles
    and distinct events, who said what, and its places by country. Only the shown stories'
    rows are read."""
    stories = tables.get(STORIES.name)
    if stories is None or not stories.count_rows():
        return "<h2>Stories</h2><p>No story.</p>"
    shown = (
        stories.to_table()
        .sort_by(
            [
                ("source_count", "descending"),
                ("article_count", "descending"),
                ("event_count", "descending"),
                ("story_id", "ascending"),
            ]
        )
        .slice(0, MAX_STORIES)
    )
    articles = tables["articles"].to_table(
        columns=["article_id", "story_id", "published_date", "source_name", "source_uri", "title"],
        filter=ds.field("story_id").isin(shown.column("story_id").combine_chunks()),
    )
    of_shown = ds.field("article_id").isin(articles.column("article_id").combine_chunks())
    with bounded_connection() as connection:
        connection.register("articles", articles)
        for name in ("entities", "quotes", "events"):
            connection.register(name, tables[name].to_table(filter=of_shown))
        for view in DERIVED_VIEWS:
            connection.execute(f"CREATE VIEW {view.name} AS {view.sql}")
        parts = [_story(connection, story) for story in shown.to_pylist()]
    return (
        f"<h2>Stories</h2><p>{stories.count_rows()} stories; the {len(parts)} told by the "
        "most outlets. Each event and each statement is counted once however many articles "
        "repeat it (its outlets say how many reported it).</p>" + "".join(parts)
    )


def _story(connection, story: dict) -> str:
    def rows(sql: str) -> list[tuple]:
        return connection.execute(sql, {"story": story["story_id"]}).fetchall()

    unnamed = story["source_count"] - len(story["source_names"])
    outlets = ", ".join(story["source_names"] + [f"{unnamed} unnamed"] * (unnamed > 0))
    dates = (
        f"{story['first_published']} to {story['last_published']}"
        if story["first_published"]
        else "undated"
    )
    timeline = [
        [str(day or UNDATED), "article", f"{source or 'unnamed outlet'}: {title or '-'}", ""]
        for day, source, title in rows(_STORY_ARTICLES)
    ] + [
        [str(day or UNDATED), event_type,
         " ".join(part for part in (actor, trigger, target) if part), sources]
        for day, event_type, actor, trigger, target, sources, _mentions in rows(_STORY_EVENTS)
    ]  # fmt: skip
    timeline.sort(key=lambda row: (row[0] == UNDATED, row[0]))
    said = [
        [speaker, _shortened(quote, QUOTE_CHARS), sources]
        for speaker, quote, sources, _quotes in rows(_STORY_STATEMENTS)
    ]
    places = [list(row) for row in rows(_STORY_PLACES)]
    return (
        f"<details open><summary><b>{_text(story['headline'] or story['story_id'])}</b> "
        f"<span class='muted'>{story['article_count']} articles, {story['source_count']} "
        f"outlets, {dates}; {story['event_count']} events, {story['statement_count']} "
        f"statements</span></summary><p>Outlets: {_text(outlets)}.</p>"
        "<div class='plots'>"
        f"<div><h3>Timeline</h3>{_table(['date', 'kind', 'what', 'outlets'], timeline)}</div>"
        f"<div><h3>Who said what</h3>{_table(['speaker', 'statement', 'outlets'], said)}"
        f"<h3>Places by country</h3>"
        f"{_table(['country', 'places', 'mentions', 'names'], places)}</div>"
        "</div></details>"
    )


def _shortened(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


# --- plots --------------------------------------------------------------------------------


def _plots_section(tables: dict[str, ds.Dataset]) -> str:
    """The report's plots section."""
    entities = _columns(tables, "entities", ["entity_id", "canonical_name", "entity_type"])
    quotes = _columns(tables, "quotes", ["speaker_name", "speaker_text"])
    events = _columns(tables, "events", ["article_id", "event_type", "event_date"])
    articles = _columns(tables, "articles", ["article_id", "source_name", "published_date"])
    return (
        "<h2>What the run found</h2><div class='plots'>"
        + "".join(
            (
                _top_entities_plot(entities),
                _quotes_per_speaker_plot(quotes),
                _events_over_time_plot(events, articles),
                _articles_per_source_plot(articles),
            )
        )
        + "</div>"
    )


# The sections a report draws from its tables alone, in the page's order.
TABLE_SECTIONS = {"plots": _plots_section, "stories": _stories_section}


def _datasets(tables: dict[str, pa.Table | ds.Dataset]) -> dict[str, ds.Dataset]:
    return {name: as_dataset(rows) for name, rows in tables.items()}


def _columns(tables: dict[str, ds.Dataset], name: str, columns: list[str]) -> pa.Table:
    table = tables.get(name)
    if table is None:
        return TABLES[name].arrow_schema.empty_table().select(columns)
    return table.to_table(columns=columns)


def _counted(table: pa.Table, keys: list[str]) -> Iterator[tuple[tuple, int]]:
    """Each distinct value of `keys` with its count of rows, in the order first seen. Plots
    count in Arrow: the tables can be too large to hold as Python rows."""
    counted = table.group_by(keys, use_threads=False).aggregate([([], "count_all")])
    for row in counted.to_pylist():
        yield tuple(row[key] for key in keys), row["count_all"]


def _top_entities_plot(entities: pa.Table) -> str:
    named = entities.filter(
        pc.invert(pc.is_in(entities["entity_type"], pa.array(sorted(NON_NAME_LABELS))))
    )
    mentions = named.group_by(["entity_id", "canonical_name", "entity_type"]).aggregate(
        [("entity_id", "count")]
    )
    top = mentions.sort_by([("entity_id_count", "descending"), ("canonical_name", "ascending")])
    top = top.slice(0, TOP_N).to_pylist()
    return _figure(
        "Top entities by mentions",
        _barh(
            [f"{_label(e['canonical_name'])} ({e['entity_type']})" for e in top],
            [e["entity_id_count"] for e in top],
            "mentions",
        ),
        f"{mentions.num_rows} named entities (people, places, organisations, ...) in "
        f"{named.num_rows} mentions; dates and numbers left out",
    )


def _quotes_per_speaker_plot(quotes: pa.Table) -> str:
    speakers: Counter = Counter()
    for (name, text), count in _counted(quotes, ["speaker_name", "speaker_text"]):
        speakers[name or text] += count
    unattributed = speakers.pop(None, 0)
    top = speakers.most_common(TOP_N)
    return _figure(
        "Quotes per speaker",
        _barh([_label(s) for s, _ in top], [n for _, n in top], "quotes"),
        f"{quotes.num_rows} quotes from {len(speakers)} speakers (resolved name, else as written); "
        f"{unattributed} without a speaker",
    )


def _events_over_time_plot(events: pa.Table, articles: pa.Table) -> str:
    with_article = events.join(
        articles.select(["article_id", "published_date"]), "article_id", use_threads=False
    )
    day = pc.coalesce(with_article["event_date"], with_article["published_date"])
    dated = Counter(
        dict(_counted(pa.table({"day": day, "type": with_article["event_type"]}), ["day", "type"]))
    )
    return _figure(
        "Events over time by type",
        _stacked_bars(dated, "events"),
        f"{events.num_rows} events by date: the event's own date, else its article's date "
        f"({events.num_rows - events['event_date'].null_count} with their own date)",
    )


def _articles_per_source_plot(articles: pa.Table) -> str:
    per_day: Counter = Counter()
    sources: Counter = Counter()
    for (day, source), count in _counted(articles, ["published_date", "source_name"]):
        per_day[(day, source or "unknown source")] += count
        sources[source or "unknown source"] += count
    kept = {s for s, _ in sources.most_common(TOP_SOURCES)}
    dated: Counter = Counter()
    for (day, source), count in per_day.items():
        dated[(day, source if source in kept else "other")] += count
    return _figure(
        "Articles per source and date",
        _stacked_bars(dated, "articles"),
        f"{articles.num_rows} articles from {len(sources)} source(s) by publication date",
    )


def _barh(labels: list[str], counts: list[int], unit: str):
    """A horizontal bar chart of labelled counts, largest on top; None when there are none."""
    if not counts:
        return None
    figure = _new_figure(height=0.9 + 0.28 * len(counts))
    axes = figure.add_subplot()
    positions = range(len(counts))
    axes.barh(positions, counts, color="#4c72b0")
    axes.set_yticks(positions, labels)
    axes.invert_yaxis()
    axes.set_xlabel(unit)
    axes.xaxis.get_major_locator().set_params(integer=True)
    for position, count in zip(positions, counts, strict=True):
        axes.annotate(str(count), (count, position), xytext=(3, 0), textcoords="offset points",
                      va="center", fontsize=8)  # fmt: skip
    return figure


def _stacked_bars(dated: Counter[tuple[date | None, str]], unit: str):
    """Counts per (date, group), per date bin (day, month or year, by the span) stacked by
    group; undated last."""
    if not dated:
        return None
    days = [d for d, _ in dated if d is not None]
    span = (max(days) - min(days)).days if days else 0
    bin_format = "%Y-%m-%d" if span <= 62 else ("%Y-%m" if span <= 3 * 366 else "%Y")
    bins = _date_bins(days, bin_format)
    if len(days) < len(dated):
        bins.append(UNDATED)
    counts: Counter = Counter()
    totals: Counter = Counter()
    for (day, group), count in dated.items():
        counts[(UNDATED if day is None else day.strftime(bin_format), group)] += count
        totals[group] += count
    groups = [g for g, _ in totals.most_common()]
    figure = _new_figure(height=3.6)
    axes = figure.add_subplot()
    colours = _colours(len(groups))
    bottoms = [0] * len(bins)
    for group, colour in zip(groups, colours, strict=True):
        heights = [counts[(b, group)] for b in bins]
        axes.bar(range(len(bins)), heights, bottom=bottoms, label=_label(group), color=colour)
        bottoms = [b + h for b, h in zip(bottoms, heights, strict=True)]
    axes.set_xticks(range(len(bins)), bins, rotation=45 if len(bins) > 6 else 0, ha="right")
    axes.set_ylabel(unit)
    axes.yaxis.get_major_locator().set_params(integer=True)
    axes.legend(fontsize=7, loc="upper left", bbox_to_anchor=(1.01, 1), frameon=False)
    return figure


def _date_bins(days: list[date], bin_format: str) -> list[str]:
    """Every bin from the first date to the last, so gaps show; only the filled ones if many."""
    if not days:
        return []
    first = min(days)
    every_day = (first + timedelta(days=n) for n in range((max(days) - first).days + 1))
    every_bin = sorted({d.strftime(bin_format) for d in every_day})
    return (
        every_bin
        if len(every_bin) <= MAX_DATE_BINS
        else sorted({d.strftime(bin_format) for d in days})
    )


def _colours(count: int) -> list:
    from matplotlib import colormaps

    palette = colormaps["tab20" if count > 10 else "tab10"]
    return [palette(i % palette.N) for i in range(count)]


def _new_figure(height: float):
    """A figure on the Agg canvas, made without pyplot (no global backend, no open figures)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    figure = Figure(figsize=(6.4, height), layout="constrained")
    FigureCanvasAgg(figure)
    return figure


def _figure(title: str, figure, caption: str) -> str:
    """The figure as an inline SVG image with its title and caption (or a note if empty)."""
    if figure is None:
        return f"<figure><h3>{_text(title)}</h3><p class='muted'>Nothing to plot.</p></figure>"
    import matplotlib

    # Text stays text (small, selectable); matplotlib escapes it as XML. A fixed salt and no
    # date keep the page identical for identical data.
    with matplotlib.rc_context({"svg.fonttype": "none", "svg.hashsalt": "newsflow"}):
        buffer = io.BytesIO()
        figure.savefig(buffer, format="svg", metadata={"Date": None})
    encoded = base64.b64encode(buffer.getvalue()).decode("ascii")
    return (
        f"<figure><h3>{_text(title)}</h3>"
        f"<img src='data:image/svg+xml;base64,{encoded}' alt='{_text(title)}'>"
        f"<figcaption>{_text(caption)}</figcaption></figure>"
    )


def _label(text: str) -> str:
    """A plot label: shortened, and with `$` escaped so matplotlib does not read it as math."""
    return _shortened(text, LABEL_CHARS).replace("$", r"\$")


# --- HTML helpers -------------------------------------------------------------------------


def _text(value: object) -> str:
    return escape("" if value is None else str(value))


def _table(header: list[str], rows: Iterable[list[object]]) -> str:
    """A table of escaped cells (numbers right-aligned); no header row when `header` is empty."""
    head = "".join(f"<th>{_text(h)}</th>" for h in header)
    body = "".join(
        "<tr>"
        + "".join(
            f"<td class='num'>{v}</td>"
            if isinstance(v, int | float) and not isinstance(v, bool)
            else f"<td>{_text(v)}</td>"
            for v in row
        )
        + "</tr>"
        for row in rows
    )
    return f"<table>{f'<tr>{head}</tr>' if head else ''}{body}</table>"
