"""The data-quality report: one self-contained HTML page per run (no scripts, no CDN).

Every value taken from the data is HTML-escaped: article text is untrusted web content.
"""

from __future__ import annotations

from html import escape

import pyarrow as pa

from tasks.validate import ExpectationOutcome, ValidationReport

_STYLE = """
body { font: 14px/1.45 system-ui, sans-serif; margin: 2rem auto; max-width: 70rem; color: #222; }
h1 { font-size: 1.6rem; } h2 { font-size: 1.2rem; margin-top: 2rem; }
table { border-collapse: collapse; margin: .5rem 0; }
th, td { border: 1px solid #ccc; padding: .25rem .5rem; text-align: left; vertical-align: top; }
th { background: #f3f3f3; } td.num { text-align: right; }
.pass { color: #1a7f37; } .fail { color: #cf222e; font-weight: 600; } .warn { color: #9a6700; }
code { font-size: 12px; }
"""


def render_report(
    tables: dict[str, pa.Table], validation: ValidationReport, run_summary: dict
) -> str:
    """The report page of one run."""
    status = "passed" if validation.passed else "FAILED"
    css = "pass" if validation.passed else "fail"
    sections = [
        f"<h1>newsflow data-quality report</h1>"
        f"<p>Run <code>{escape(str(run_summary.get('run_id')))}</code>: validation "
        f"<span class='{css}'>{status}</span> ({escape(validation.summary())}).</p>",
        _summary_section(run_summary),
        _rows_section(tables),
        _quarantine_section(tables.get("quarantine")),
        _validation_section(validation),
        "<p><a href='../data_docs/index.html'>Great Expectations Data Docs</a></p>",
    ]
    return (
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>"
        "<title>newsflow report</title>"
        f"<style>{_STYLE}</style></head><body>{''.join(sections)}</body></html>\n"
    )


def _table_html(header: list[str], rows: list[list[object]]) -> str:
    head = "".join(f"<th>{escape(h)}</th>" for h in header)
    body = "".join(
        "<tr>"
        + "".join(
            f"<td class='num'>{v}</td>"
            if isinstance(v, int | float)
            else f"<td>{escape(str(v))}</td>"
            for v in row
        )
        + "</tr>"
        for row in rows
    )
    return f"<table><tr>{head}</tr>{body}</table>"


def _summary_section(run_summary: dict) -> str:
    rows = [
        [key, ", ".join(map(str, v)) if isinstance(v, list) else str(v)]
        for key, v in run_summary.items()
        if key != "step_seconds"
    ]
    steps = run_summary.get("step_seconds", {})
    step_rows = [[step, round(seconds, 2)] for step, seconds in steps.items()]
    return (
        "<h2>Run</h2>"
        + _table_html(["", ""], rows)
        + (
            "<h3>Duration per step (s)</h3>" + _table_html(["step", "seconds"], step_rows)
            if step_rows
            else ""
        )
    )


def _rows_section(tables: dict[str, pa.Table]) -> str:
    return "<h2>Rows</h2>" + _table_html(
        ["table", "rows"], [[name, table.num_rows] for name, table in tables.items()]
    )


def _quarantine_section(quarantine: pa.Table | None) -> str:
    if quarantine is None or quarantine.num_rows == 0:
        return "<h2>Quarantine</h2><p>Nothing was quarantined.</p>"
    rows = [[r["source_uri"], r["step"], r["reason"], r["detail"]] for r in quarantine.to_pylist()]
    return "<h2>Quarantine</h2>" + _table_html(["source", "step", "reason", "detail"], rows)


def _validation_section(validation: ValidationReport) -> str:
    def row(o: ExpectationOutcome) -> list[object]:
        verdict = "pass" if o.success else ("FAIL" if o.severity == "critical" else "warning")
        return [
            verdict,
            o.suite,
            o.expectation,
            o.column or "",
            o.severity,
            "" if o.unexpected_count is None else o.unexpected_count,
            "; ".join(o.sample),
        ]

    ordered = sorted(validation.outcomes, key=lambda o: (o.success, o.suite, o.expectation))
    return "<h2>Expectations</h2>" + _table_html(
        ["result", "suite", "expectation", "column", "severity", "unexpected", "sample"],
        [row(o) for o in ordered],
    )
