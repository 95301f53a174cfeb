"""Choosing the aid lawyer: weighted rotation over specialty, language and current load.

Modelled on cla_backend's provider allocation (``cla_provider/helpers.py``): among the lawyers
who qualify for the matter, each has an *ideal* share of recent assignments (its weight over
the sum of weights) and an *actual* share (its assignments in the window over all of them);
the lawyer furthest below their ideal share gets the next matter. Ties go to the lighter
current load, then to the longest time since their last assignment, then to the lowest id,
so the choice is deterministic and testable. "Now" is a parameter (``as_of``), never read
from the clock here.

The candidates are plain data (``Candidate``) so the rule does not depend on how the
directory stores practitioners; ``selectors.aid_lawyer_candidates`` builds them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

DEFAULT_WINDOW = dt.timedelta(days=90)
# 第二十六条: defence of a person facing life imprisonment or death, and death-penalty review,
# needs a lawyer with at least three years of relevant practice.
SERIOUS_CASE_MIN_YEARS = 3


@dataclass(frozen=True)
class Candidate:
    id: int
    name: str = ""
    weight: Decimal = Decimal("1")
    specialties: frozenset[str] = frozenset()
    languages: frozenset[str] = frozenset({"mandarin"})
    open_matters: int = 0
    max_open_matters: int | None = None
    years_of_practice: int = 0


@dataclass(frozen=True)
class PastAssignment:
    candidate_id: int
    assigned_at: dt.datetime


@dataclass(frozen=True)
class Allocation:
    candidate: Candidate
    ideal_share: Decimal
    actual_share: Decimal
    qualified: tuple[int, ...]
    relaxed: tuple[str, ...]  # requirements that no candidate met and were dropped


def qualifying(
    candidates: Iterable[Candidate], *, specialty: str = "", language: str = "", min_years: int = 0
) -> tuple[list[Candidate], tuple[str, ...]]:
    """Candidates fit for the matter, and which soft requirements had to be relaxed.

    Capacity and ``min_years`` (第二十六条) are hard: a lawyer at capacity or too junior is
    never chosen. Specialty and language are preferred: if no one with capacity has them the
    requirement is dropped (and reported) rather than leaving the matter unassigned — the
    3-day assignment limit (第四十三条) still runs.
    """
    pool = [
        c
        for c in candidates
        if c.weight > 0
        and (c.max_open_matters is None or c.open_matters < c.max_open_matters)
        and c.years_of_practice >= min_years
    ]
    relaxed: list[str] = []
    if language:
        speakers = [c for c in pool if language in c.languages]
        if speakers:
            pool = speakers
        else:
            relaxed.append("language")
    if specialty:
        specialists = [c for c in pool if specialty in c.specialties]
        if specialists:
            pool = specialists
        else:
            relaxed.append("specialty")
    return pool, tuple(relaxed)


def choose_aid_lawyer(
    candidates: Sequence[Candidate],
    history: Iterable[PastAssignment],
    *,
    as_of: dt.datetime,
    specialty: str = "",
    language: str = "",
    min_years: int = 0,
    window: dt.timedelta = DEFAULT_WINDOW,
    exclude: Iterable[int] = (),
) -> Allocation | None:
    """The next lawyer by weighted rotation, or None if nobody qualifies.

    ``history`` are past assignments; those in ``(as_of - window, as_of]`` count toward the
    actual shares. ``exclude`` removes lawyers (e.g. the one being replaced, 第五十五条).
    """
    excluded = set(exclude)
    pool, relaxed = qualifying(
        [c for c in candidates if c.id not in excluded],
        specialty=specialty,
        language=language,
        min_years=min_years,
    )
    if not pool:
        return None
    ids = {c.id for c in pool}
    start = as_of - window
    counts: dict[int, int] = dict.fromkeys(ids, 0)
    last: dict[int, dt.datetime] = {}
    for past in history:
        if past.candidate_id not in ids or not (start < past.assigned_at <= as_of):
            continue
        counts[past.candidate_id] += 1
        if past.candidate_id not in last or past.assigned_at > last[past.candidate_id]:
            last[past.candidate_id] = past.assigned_at
    total_weight = sum((c.weight for c in pool), Decimal("0"))
    total_count = sum(counts.values())

    def shares(c: Candidate) -> tuple[Decimal, Decimal]:
        ideal = c.weight / total_weight
        actual = Decimal(counts[c.id]) / Decimal(total_count) if total_count else Decimal("0")
        return ideal, actual

    never = dt.datetime.min.replace(tzinfo=as_of.tzinfo)

    def key(c: Candidate) -> tuple:
        ideal, actual = shares(c)
        return (-(ideal - actual), c.open_matters, last.get(c.id, never), c.id)

    best = min(pool, key=key)
    ideal, actual = shares(best)
    return Allocation(best, ideal, actual, tuple(sorted(ids)), relaxed)
