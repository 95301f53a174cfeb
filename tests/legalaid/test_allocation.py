"""Weighted rotation of aid lawyers (after cla_backend's provider allocation)."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from decimal import Decimal
from zoneinfo import ZoneInfo

from fawang.legalaid.allocation import Candidate, PastAssignment, choose_aid_lawyer

NOW = dt.datetime(2025, 11, 3, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


def lawyer(id_: int, **kw) -> Candidate:
    kw.setdefault("specialties", frozenset({"labor"}))
    return Candidate(id=id_, name=f"律师{id_}", **kw)


def test_long_run_shares_follow_weights():
    """Over many assignments each lawyer's share converges on weight / total weight."""
    pool = [lawyer(1, weight=Decimal("1")), lawyer(2, weight=Decimal("2")), lawyer(3, weight=Decimal("1"))]
    history: list[PastAssignment] = []
    for i in range(400):
        when = NOW + dt.timedelta(minutes=i)
        choice = choose_aid_lawyer(pool, history, as_of=when, specialty="labor")
        assert choice is not None
        history.append(PastAssignment(choice.candidate.id, when))
    counts = Counter(p.candidate_id for p in history)
    assert counts == {1: 100, 2: 200, 3: 100}


def test_the_lawyer_furthest_below_ideal_share_is_next():
    pool = [lawyer(1), lawyer(2)]
    history = [PastAssignment(1, NOW - dt.timedelta(days=1)), PastAssignment(1, NOW - dt.timedelta(days=2))]
    choice = choose_aid_lawyer(pool, history, as_of=NOW)
    assert choice.candidate.id == 2
    assert choice.ideal_share == Decimal("0.5") and choice.actual_share == 0


def test_as_of_time_and_window_bound_the_history():
    """Assignments outside (as_of - window, as_of] do not count; the clock is injected."""
    pool = [lawyer(1), lawyer(2)]
    old = [PastAssignment(1, NOW - dt.timedelta(days=200))] * 5
    future = [PastAssignment(2, NOW + dt.timedelta(days=1))] * 5
    # Neither counts, so the tie goes to lower load, then never-assigned-first, then id.
    assert choose_aid_lawyer(pool, old + future, as_of=NOW).candidate.id == 1


def test_specialty_and_language_are_preferred():
    pool = [
        lawyer(1, specialties=frozenset({"criminal_defense"})),
        lawyer(2, specialties=frozenset({"labor"}), languages=frozenset({"mandarin", "uyghur"})),
        lawyer(3, specialties=frozenset({"labor"})),
    ]
    assert choose_aid_lawyer(pool, [], as_of=NOW, specialty="labor", language="uyghur").candidate.id == 2
    only_criminal = choose_aid_lawyer(pool, [], as_of=NOW, specialty="criminal_defense")
    assert only_criminal.candidate.id == 1 and only_criminal.relaxed == ()


def test_requirements_relaxed_rather_than_left_unassigned():
    pool = [lawyer(1), lawyer(2)]
    choice = choose_aid_lawyer(pool, [], as_of=NOW, specialty="maritime", language="tibetan")
    assert choice is not None and set(choice.relaxed) == {"specialty", "language"}


def test_current_load_and_capacity():
    pool = [
        lawyer(1, open_matters=5),
        lawyer(2, open_matters=1),
        lawyer(3, open_matters=3, max_open_matters=3),
    ]
    assert choose_aid_lawyer(pool, [], as_of=NOW).candidate.id == 2  # equal shares: lighter load
    full = [lawyer(3, open_matters=3, max_open_matters=3)]
    assert choose_aid_lawyer(full, [], as_of=NOW) is None


def test_serious_cases_need_three_years_practice_article_26():
    """第二十六条: life imprisonment / death penalty defence needs ≥3 years of relevant practice."""
    pool = [lawyer(1, years_of_practice=1), lawyer(2, years_of_practice=5)]
    assert choose_aid_lawyer(pool, [], as_of=NOW, min_years=3).candidate.id == 2
    assert choose_aid_lawyer([lawyer(1, years_of_practice=2)], [], as_of=NOW, min_years=3) is None


def test_replaced_lawyer_is_excluded_article_55():
    """第五十五条: on a request to replace the aid lawyer, the current one is not chosen again."""
    pool = [lawyer(1), lawyer(2)]
    assert choose_aid_lawyer(pool, [], as_of=NOW, exclude=[1]).candidate.id == 2
    assert choose_aid_lawyer([lawyer(1)], [], as_of=NOW, exclude=[1]) is None
