"""Web workers load their lazily loaded parts before the first consultation (core/warmup.py)."""

from __future__ import annotations

import logging
import threading

import pytest

from fawang import gunicorn_conf
from fawang.consultation import selectors as consultation_selectors
from fawang.core import warmup
from fawang.knowledge.classify import get_model
from fawang.knowledge.retrieval import engine as retrieval_engine


@pytest.mark.django_db
def test_warm_up_loads_every_part_and_reports_each(monkeypatch):
    searched: list[str] = []
    matched: list[str] = []
    monkeypatch.setattr(retrieval_engine, "search_articles", lambda q, limit: searched.append(q) or [])
    monkeypatch.setattr(consultation_selectors, "faq_search", lambda q: matched.append(q) or [])
    get_model.cache_clear()

    timings = warmup.warm_up()

    assert list(timings) == ["urls", "classifier", "retrieval", "faq"]
    assert all(seconds >= 0 for seconds in timings.values())
    assert get_model.cache_info().currsize == 1  # the shipped model is now loaded in this process
    assert searched == matched == [warmup.SAMPLE_QUESTION]


@pytest.mark.django_db
def test_a_failing_part_is_logged_and_the_rest_still_loads(monkeypatch, caplog):
    def broken(q, limit):
        raise OSError("index files unreadable")

    monkeypatch.setattr(retrieval_engine, "search_articles", broken)
    with caplog.at_level(logging.ERROR, logger="fawang.core.warmup"):
        timings = warmup.warm_up()

    assert timings["retrieval"] == -1.0
    assert timings["classifier"] >= 0
    assert "warm-up of the retrieval failed" in caplog.text


def test_the_setting_switches_the_background_warm_up_off(monkeypatch):
    monkeypatch.setenv("FAWANG_WARM_UP", "0")
    monkeypatch.setattr(warmup, "warm_up", lambda: pytest.fail("must not run"))

    assert warmup.warm_up_in_background() is None


def test_each_gunicorn_worker_starts_the_warm_up_in_a_thread(monkeypatch):
    monkeypatch.delenv("FAWANG_WARM_UP", raising=False)
    ran = threading.Event()
    monkeypatch.setattr(warmup, "warm_up", lambda: ran.set() if threading.current_thread().daemon else None)

    gunicorn_conf.post_worker_init(worker=None)

    assert ran.wait(timeout=10)  # in a daemon thread: it never holds a stopping worker back
