"""Load the knowledge models before the first citizen waits for them.

Why: the classifier, the sentence encoder (a 72 MB model) and the statute-retrieval engine load
lazily, on a process's first consultation. In a fresh web worker that first request took about
8 s on the development machine, every restart, for whoever happened to ask first. Web workers
therefore call ``warm_up_in_background`` as they start (``fawang.gunicorn_conf``): the models
load in a thread while the worker already serves pages; a consultation arriving meanwhile waits
only for what is still loading (the loaders are behind locks and caches), never loads twice.

Warming is best effort: any failure is logged and the request path loads (or reports) as before.
"""

from __future__ import annotations

import logging
import os
import threading
import time

logger = logging.getLogger(__name__)

# A question that exercises every part of the pipeline: segmentation, query expansion, the
# classifier with its embedding head, the encoder and the retrieval engine's ranker.
SAMPLE_QUESTION = "老板拖欠我三个月工资不给怎么办"


def warm_up_enabled() -> bool:
    return os.environ.get("FAWANG_WARM_UP", "1").strip().lower() not in {"0", "false", "no", "off"}


def warm_up() -> dict[str, float]:
    """Load the classifier and the retrieval engine with one sample question; seconds per part.

    A part that fails is logged and reported as ``-1``; the others still load.
    """
    from django.db import connection

    from fawang.knowledge.classify import classify_question
    from fawang.knowledge.retrieval.engine import search_articles

    timings: dict[str, float] = {}
    parts = (("classifier", lambda: classify_question(SAMPLE_QUESTION)),
             ("retrieval", lambda: search_articles(SAMPLE_QUESTION, limit=10)))
    try:
        for name, load in parts:
            started = time.perf_counter()
            try:
                load()
            except Exception:  # best effort: the request path reports real errors
                logger.exception("warm-up of the %s failed", name)
                timings[name] = -1.0
            else:
                timings[name] = round(time.perf_counter() - started, 3)
    finally:
        # This runs in its own thread: give its database connection back.
        connection.close()
    logger.info("knowledge models warmed up: %s", timings)
    return timings


def warm_up_in_background() -> threading.Thread | None:
    """Start ``warm_up`` in a daemon thread (None when ``FAWANG_WARM_UP=0``)."""
    if not warm_up_enabled():
        return None
    thread = threading.Thread(target=warm_up, name="fawang-warm-up", daemon=True)
    thread.start()
    return thread
