"""Speed and memory of the whole flow against bare spaCy, measured in one run.

    .venv/bin/python bench/pipeline_benchmark.py [--corpus DIR] [--limit N] [--scale 10]
        [--skip memory dask] [--dask-address tcp://HOST:PORT]

Over a corpus of .txt articles (default: ../shared/bench/corpus/bbc), prints one `name=value`
line per figure:
  pipeline_over_bare_spacy   wall time of the whole flow (CLI: ingest ... publish, validation
                             included) / wall time of nlp.pipe alone, same model, components,
                             process count and texts (the published bodies)
  first_run_step_seconds     seconds per step of the first run (from its manifest)
  noop_rerun_over_first      a re-run over the same inputs / the first run
  plus10pct_over_first       a run that adds 10% new articles / the first run
  peak_rss_1x_mib, peak_rss_<k>x_mib, peak_rss_ratio
                             peak resident memory of the flow's whole process tree (summed
                             RSS), on one and on k copies of the corpus (each copy's text
                             carries a marker, so copies are not duplicates), sampled every
                             0.1 s in runs of their own, as sampling slows a run
  peak_pss_1x_mib, peak_pss_<k>x_mib, peak_pss_ratio
                             the same in summed PSS, which counts the pages that the forked
                             workers share with their server once instead of in each
  dask_over_single           a local 2-worker Dask cluster run / the process-pool run, after
                             checking that both publish the same tables
Every flow run talks to one temporary Prefect API started here, so no run pays for its own.
With --dask-address the first, no-op and +10% runs go to that long-lived cluster (its workers
load the model once, not once per run), which is how frequent small runs avoid the start-up
of worker processes; the bare-spaCy baseline stays the same.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import duckdb
import psutil

REPO = Path(__file__).resolve().parents[1]
DEFAULT_CORPUS = REPO.parent / "shared" / "bench" / "corpus" / "bbc"
RUN_METADATA = ("run_id", "ingested_at")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--limit", type=int, default=0, help="use only the first N articles")
    parser.add_argument("--scale", type=int, default=10, help="copies for the memory figure")
    parser.add_argument("--n-process", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--skip", nargs="*", default=[], choices=["memory", "dask"])
    parser.add_argument(
        "--dask-address",
        help="run the first, no-op and +10%% runs on this long-lived Dask cluster, whose "
        "workers keep the model loaded between runs",
    )
    args = parser.parse_args()

    from prefect.server.api.server import SubprocessASGIServer

    work = Path(tempfile.mkdtemp(prefix="newsflow-bench-"))
    files = sorted(args.corpus.rglob("*.txt"))
    if args.limit:
        files = files[: args.limit]
    with SubprocessASGIServer() as server:
        env = os.environ | {"PREFECT_API_URL": server.api_url, "PREFECT_LOGGING_LEVEL": "WARNING"}
        try:
            measure(files, work, env, args)
        finally:
            shutil.rmtree(work, ignore_errors=True)


def measure(files: list[Path], work: Path, env: dict, args: argparse.Namespace) -> None:
    # Every 11th article is held back and added later: 10% of the first run's articles.
    held_back, first_files = files[::11], [f for i, f in enumerate(files) if i % 11]
    corpus = copy_corpus(first_files, work / "corpus")
    output = work / "out"
    on_cluster = ["--dask-address", args.dask_address] if args.dask_address else []
    first = run_flow([corpus], output, env, args.n_process, *on_cluster)
    bare = bare_spacy_seconds(output, args.n_process)
    print(f"articles={len(first_files)} n_process={args.n_process}")
    print(f"first_run_seconds={first:.1f} bare_spacy_seconds={bare:.1f}")
    print(f"pipeline_over_bare_spacy={first / bare:.3f}")
    print(f"first_run_step_seconds={step_seconds(output)}")

    noop = run_flow([corpus], output, env, args.n_process, *on_cluster)
    print(f"noop_rerun_over_first={noop / first:.3f}")
    copy_corpus(held_back, corpus / "added")
    added = run_flow([corpus], output, env, args.n_process, *on_cluster)
    print(f"plus10pct_over_first={added / first:.3f}")
    print(f"plus10pct_step_seconds={step_seconds(output)}")

    if "memory" not in args.skip:
        # Runs of their own: the sampler takes CPU from the workers (~10 s over a first run on
        # 2 cores), so the timed runs above are not sampled.
        scaled = work / "scaled"
        for copy in range(args.scale):
            copy_corpus(first_files, scaled / f"copy{copy:02d}", marker=f"[copy {copy}]")
        one = peak_memory([scaled / "copy00"], work / "out-1x", env, args.n_process)
        many = peak_memory([scaled], work / "out-scaled", env, args.n_process)
        for kind in ("rss", "pss"):
            one_peak, scaled_peak = getattr(one, kind), getattr(many, kind)
            print(f"peak_{kind}_1x_mib={one_peak / 2**20:.0f}")
            print(f"peak_{kind}_{args.scale}x_mib={scaled_peak / 2**20:.0f}")
            print(f"peak_{kind}_ratio={scaled_peak / one_peak:.3f}")

    if "dask" not in args.skip:
        dask_output = work / "out-dask"
        single_output = work / "out-single"
        single = run_flow([corpus], single_output, env, args.n_process)
        dask = run_flow([corpus], dask_output, env, args.n_process, "--dask-workers", "2")
        same = all(table_rows(single_output, t) == table_rows(dask_output, t) for t in TABLES)
        print(f"dask_same_tables={same}")
        print(f"dask_over_single={dask / single:.3f}")


TABLES = ("articles", "entities", "quotes", "events")


def copy_corpus(files: list[Path], target: Path, marker: str = "") -> Path:
    target.mkdir(parents=True, exist_ok=True)
    for number, source in enumerate(files):
        text = source.read_text(encoding="utf-8", errors="replace")
        destination = target / f"{source.parent.name}-{number:05d}-{source.name}"
        destination.write_text(f"{text}\n\n{marker}\n" if marker else text, encoding="utf-8")
    return target


def run_flow(inputs: list[Path], output: Path, env: dict, n_process: int, *extra: str) -> float:
    """Wall seconds of one command-line run, unsampled (peak_memory samples its own runs)."""
    started = time.perf_counter()
    process = _start_flow(inputs, output, env, n_process, *extra)
    _finish(process)
    return time.perf_counter() - started


def peak_memory(inputs: list[Path], output: Path, env: dict, n_process: int) -> TreePeak:
    """The peak memory (whole process tree) of one command-line run."""
    process = _start_flow(inputs, output, env, n_process)
    peak = TreePeak(process.pid)
    _finish(process)
    peak.stop()
    return peak


def _start_flow(
    inputs: list[Path], output: Path, env: dict, n_process: int, *extra: str
) -> subprocess.Popen:
    newsflow = Path(sys.executable).parent / "newsflow"  # the console script users run
    command = [str(newsflow), "run", "--output", str(output)]
    command += [arg for path in inputs for arg in ("--input", str(path))]
    command += ["--n-process", str(n_process), *extra]
    return subprocess.Popen(
        command, cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    )


def _finish(process: subprocess.Popen) -> None:
    output_text, _ = process.communicate()
    if process.returncode != 0:
        raise SystemExit(f"flow failed:\n{output_text.decode()[-3000:]}")


class TreePeak:
    """Samples the memory of a process and its descendants until stopped: the peaks of their
    summed RSS and of their summed PSS (proportional set size: a page shared by n processes,
    such as what workers forked from one server share with it, counts 1/n in each)."""

    def __init__(self, pid: int, interval: float = 0.1):
        self.rss = self.pss = 0
        self._root = psutil.Process(pid)
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._sample, args=(interval,), daemon=True)
        self._thread.start()

    def _sample(self, interval: float) -> None:
        while not self._done.is_set():
            try:
                tree = [self._root, *self._root.children(recursive=True)]
                memory = [p.memory_full_info() for p in tree if p.is_running()]
                self.rss = max(self.rss, sum(m.rss for m in memory))
                self.pss = max(self.pss, sum(m.pss for m in memory))
            except psutil.Error:
                pass
            self._done.wait(interval)

    def stop(self) -> None:
        self._done.set()
        self._thread.join()


def bare_spacy_seconds(output: Path, n_process: int) -> float:
    """nlp.pipe alone over the published bodies, with the same model, batch size and process
    count."""
    import spacy

    from flows.settings import NewsflowSettings
    from tasks.extract.nlp import MODEL_NAME

    nlp_batch_size = NewsflowSettings.model_fields["nlp_batch_size"].default  # the flow's
    bodies = [
        body
        for (body,) in duckdb.sql(
            f"SELECT body FROM read_parquet('{output}/articles/*.parquet') WHERE language = 'en'"
        ).fetchall()
    ]
    started = time.perf_counter()
    nlp = spacy.load(MODEL_NAME)
    for _ in nlp.pipe(bodies, batch_size=nlp_batch_size, n_process=n_process):
        pass
    return time.perf_counter() - started


def step_seconds(output: Path) -> str:
    """The published run's seconds per step, from its manifest."""
    manifest = json.loads((output / "current" / "manifest.json").read_text())
    return ",".join(f"{step}:{seconds:.1f}" for step, seconds in manifest["step_seconds"].items())


def table_rows(output: Path, table: str) -> list[tuple]:
    relation = duckdb.sql(f"SELECT * FROM read_parquet('{output}/{table}/*.parquet')")
    columns = [c for c in relation.columns if c not in RUN_METADATA]
    return relation.select(", ".join(columns)).order(columns[0]).fetchall()


if __name__ == "__main__":
    main()
