"""The one module the worker server (flows/workers.py) imports before it forks any worker: it
imports what every worker needs and loads the models, so that every worker inherits them."""

import atexit
import gc
import importlib
import os
import threading

from flows.workers import fewer_collections

# What every worker would otherwise import before its first batch: the command's module (a
# forked worker re-runs the command's script, which imports it; naming "__main__" preloads
# nothing, as Python 3.11's forkserver is never given the script's path) and the flow's module
# with the steps (a task's run context holds the flow), and what the batch step imports when it
# runs (the cleaning and the extractors: the flow's process does not import them). wordfreq
# first: it finds its data through inspect.stack(), whose cost grows with the modules loaded.
WORKER_MODULES = (
    "wordfreq",
    "flows.cli",
    "flows.news_pipeline",
    "tasks.clean",
    "tasks.extract.entities",
    "tasks.extract.events",
    "tasks.extract.quotes",
)


def _ready_the_server() -> None:
    with fewer_collections():
        for module in WORKER_MODULES:
            importlib.import_module(module)
        from prefect.plugins import load_prefect_collections
        from wordfreq import zipf_frequency

        from tasks.clean.metadata import detect_language
        from tasks.extract.gazetteer import place_country
        from tasks.extract.nlp import load_nlp
        from tasks.geonames import load_gazetteer

        # The models the steps would otherwise load at their first article, in every worker.
        # The language identifier's is LZMA-compressed: its decompression (0.3 s) lets go of
        # the interpreter lock, so it runs on another core while this thread does the rest.
        language_model = threading.Thread(
            target=detect_language, args=(None, "The worker server loads this model once.")
        )
        language_model.start()
        # Prefect imports its installed collections (prefect-dask, and with it Dask: 0.15 s)
        # in each worker, to read a task's run context: imported once here instead.
        load_prefect_collections()
        load_nlp()
        load_gazetteer()
        # The tables built at the first use of each (0.2 s): the cities and subdivisions that
        # events place a name in, and the word frequencies that weigh an article's words.
        place_country("a name that is no place")
        zipf_frequency("news", "en")
        language_model.join()
    # What is loaded now lasts as long as the workers: their garbage collections skip it (and
    # so leave its memory pages shared with the server instead of copying them).
    gc.freeze()


_ready_the_server()
# The server ends with the command's process. Its teardown would free every object one at a
# time, for half a second, holding the command's output open; workers end by os._exit anyway.
atexit.register(os._exit, 0)
