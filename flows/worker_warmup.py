"""Imported by the worker server (flows/workers.py) before it forks any worker: it readies the
state that every worker inherits."""

import atexit
import gc
import os

from tasks.clean.metadata import detect_language
from tasks.extract.nlp import load_nlp
from tasks.geonames import load_gazetteer

# The models the steps would otherwise load at their first article, in every worker.
load_nlp()
load_gazetteer()
detect_language(None, "The worker server loads this model once.")
# What is loaded now lasts as long as the workers: their garbage collections skip it (and so
# leave its memory pages shared with the server instead of copying them).
gc.freeze()
# The server ends with the command's process. Its teardown would free every object one at a
# time, for half a second, holding the command's output open; workers end by os._exit anyway.
atexit.register(os._exit, 0)
