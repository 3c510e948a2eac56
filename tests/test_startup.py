"""What a run's processes load before they work: the flow's process none of the parsing, the
worker server everything its workers use."""

from __future__ import annotations

import importlib
import subprocess
import sys

import pytest

from tasks.stop_words import spacy_stop_words
from tests.conftest import REPO


@pytest.mark.parametrize("language", ["en", "fr", "ru"])
def test_stop_words_are_spacys(language):
    spacy_list = importlib.import_module(f"spacy.lang.{language}.stop_words").STOP_WORDS
    assert spacy_stop_words(language) == spacy_list


def _loaded_after(code: str) -> set[str]:
    """The top-level modules a fresh interpreter has loaded after running `code`."""
    listing = "import sys; print(' '.join({m.split('.')[0] for m in sys.modules}), flush=True)"
    command = [sys.executable, "-c", f"{code}\n{listing}"]
    result = subprocess.run(command, cwd=REPO, capture_output=True, text=True, check=True)
    return set(result.stdout.split())


def test_flow_process_loads_no_parser():
    # What the command imports before its flow's first task: the parse, the cleaning and
    # the word weights are the workers' (seconds of start-up otherwise).
    loaded = _loaded_after(
        "import flows.cli, flows.news_pipeline, tasks.ingest, tasks.store, tasks.normalize.corpus"
    )
    assert "flows" in loaded
    assert not loaded & {"spacy", "thinc", "trafilatura", "py3langid", "wordfreq"}


def test_worker_server_loads_what_the_batches_use():
    loaded = _loaded_after(
        "import flows.worker_warmup\n"
        "from tasks.clean.metadata import _language_identifier\n"
        "from tasks.extract.gazetteer import _city_countries, _subdivision_countries\n"
        "from tasks.extract.nlp import load_nlp\n"
        "assert _language_identifier.cache_info().currsize == 1\n"
        "assert load_nlp.cache_info().currsize == 1\n"
        "assert _city_countries.cache_info().currsize == 1\n"
        "assert _subdivision_countries.cache_info().currsize == 1"
    )
    assert {"spacy", "trafilatura", "py3langid", "wordfreq"} <= loaded
