"""Load what a web worker loads lazily before the first citizen waits for it.

Why: the URL configuration (every view module), the question classifier, the sentence encoder
(a 72 MB model), the statute-retrieval engine and the FAQ matcher all load on a process's first
use. In a fresh web worker the first consultation took about 8 s on the development machine,
every restart, for whoever happened to ask first. Web workers therefore call
``warm_up_in_background`` as they start (``fawang.gunicorn_conf``): everything loads in a thread
while the worker already serves pages; a consultation arriving meanwhile waits only for what is
still loading (the loaders are behind locks and caches) and never loads anything twice.

Only read paths are exercised: nothing is written, and the optional LLM is never called.
Warming is best effort: a part that fails is logged, and the request path loads (or reports) it
as before.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

from fawang.env import env_bool

logger = logging.getLogger(__name__)

# A question that exercises every part of the pipeline: segmentation, query expansion, the
# classifier with its embedding head, the encoder, the retrieval engine's ranker, the FAQ.
SAMPLE_QUESTION = "老板拖欠我三个月工资不给怎么办"


def warm_up_enabled() -> bool:
    return env_bool("FAWANG_WARM_UP", True)


def _load_urls() -> None:
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 - importing the URLconf imports every view module


def _classify() -> None:
    from fawang.knowledge.classify import classify_question

    classify_question(SAMPLE_QUESTION)


def _retrieve() -> None:
    from fawang.knowledge.retrieval.engine import search_articles

    search_articles(SAMPLE_QUESTION, limit=10)


def _match_faq() -> None:
    from fawang.consultation.selectors import faq_search

    faq_search(SAMPLE_QUESTION)


PARTS: tuple[tuple[str, Callable[[], None]], ...] = (
    ("urls", _load_urls), ("classifier", _classify), ("retrieval", _retrieve), ("faq", _match_faq),
)


def warm_up() -> dict[str, float]:
    """Load every part once; seconds per part, ``-1`` for a part that failed (logged)."""
    from django.db import connection

    timings: dict[str, float] = {}
    try:
        for name, load in PARTS:
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
    logger.info("web worker warmed up: %s", timings)
    return timings


def warm_up_in_background() -> threading.Thread | None:
    """Start ``warm_up`` in a daemon thread (None when ``FAWANG_WARM_UP=0``)."""
    if not warm_up_enabled():
        return None
    thread = threading.Thread(target=warm_up, name="fawang-warm-up", daemon=True)
    thread.start()
    return thread
