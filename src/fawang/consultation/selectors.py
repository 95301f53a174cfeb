"""Reads: FAQ search, citation resolution, hot topics, nearest service point, record lookups."""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from fawang.consultation.guidance import CATEGORY_SERVICES, SERVICE_FALLBACK
from fawang.consultation.models import CallbackRequest, ConsultationRecord, FaqEntry, SmartConsultation
from fawang.consultation.text import bigrams, words
from fawang.core.errors import NotFoundOrForbidden
from fawang.core.scoping import region_q, restrict


# --------------------------------------------------------------------------- FAQ
@dataclass(frozen=True)
class FaqMatch:
    entry: FaqEntry
    score: float


def faq_list(*, category: str | None = None, published_only: bool = True) -> QuerySet[FaqEntry]:
    qs = FaqEntry.objects.all()
    if published_only:
        qs = qs.filter(is_published=True)
    if category:
        qs = qs.filter(category=category)
    return qs


def faq_search(question: str, *, limit: int = 3, category: str | None = None,
               min_score: float = 0.8) -> list[FaqMatch]:
    """FAQ entries that answer ``question``, best first.

    Score = keyword hits (an entry's keywords found verbatim in the question: 1 for words of
    three or more characters, 0.6 for two-character words, which are more often generic)
    + share of the question's content words found in the entry's question or keywords
    + 2 × character-bigram Dice similarity of the two questions; an entry in the classifier's
    category gets +0.5 (it separates near-ties, and alone never reaches the threshold).
    A few hundred entries are scored in Python: cheaper than an index round trip at this size.
    """
    text = (question or "").strip().lower()
    if not text:
        return []
    q_words = set(words(text))
    q_grams = bigrams(text)
    matches: list[FaqMatch] = []
    for entry, e_words, e_grams in _faq_features():
        kw_hits = sum(1.0 if len(kw) >= 3 else 0.6 for kw in entry.keywords if kw and kw.lower() in text)
        overlap = len(q_words & e_words) / max(3, len(q_words))
        dice = 2 * len(q_grams & e_grams) / ((len(q_grams) + len(e_grams)) or 1)
        score = kw_hits + overlap + 2 * dice
        if category and entry.category == category:
            score += 0.5
        if score >= min_score and (kw_hits or overlap or dice >= 0.2):
            matches.append(FaqMatch(entry, round(score, 4)))
    matches.sort(key=lambda m: (-m.score, m.entry.key))
    return matches[:limit]


_FAQ_CACHE: dict[str, Any] = {}


def _faq_features() -> list[tuple[FaqEntry, set[str], set[str]]]:
    """Published entries with their segmented words and bigrams, cached per process until any
    entry changes (``updated_at``), so a question costs no re-segmentation of the FAQ."""
    from django.db.models import Max

    stamp = FaqEntry.objects.filter(is_published=True).aggregate(n=Count("id"), last=Max("updated_at"),
                                                                top=Max("id"))
    key = (stamp["n"], stamp["last"], stamp["top"])
    if _FAQ_CACHE.get("key") != key:
        rows = []
        for entry in faq_list():
            kw_text = " ".join(entry.keywords)
            rows.append((entry, set(words(entry.question)) | set(words(kw_text)), bigrams(entry.question)))
        _FAQ_CACHE.update(key=key, rows=rows)
    return _FAQ_CACHE["rows"]


def _law_names(law: str) -> set[str]:
    return {law, f"中华人民共和国{law}"}


def resolve_citations(citations: list[dict[str, str]]) -> list[dict[str, Any]]:
    """(law, article) pairs → the same dicts plus ``article_id`` and ``text`` when the statute
    has been imported into ``knowledge.Article``; unresolved pairs stay as they are (the law may
    simply not be imported in this deployment). One query for any number of citations."""
    from fawang.knowledge.models import Article

    pairs = [(c.get("law", ""), c.get("article", "")) for c in citations]
    names = set().union(*(_law_names(law) for law, _ in pairs if law)) if pairs else set()
    labels = {label for _, label in pairs if label}
    found: dict[tuple[str, str], Article] = {}
    if names and labels:
        rows = list(Article.objects.select_related("law")
                    .filter(label__in=labels).filter(Q(law__short_title__in=names) | Q(law__title__in=names)))
        # The newest in-force version wins (later rows overwrite earlier ones below). Sorted here,
        # not in SQL: several versions may be marked in force and dates may be missing, and
        # SQLite and PostgreSQL order NULLs differently.
        oldest = dt.date.min
        rows.sort(key=lambda a: (a.law.in_force, a.law.publish_date or oldest, a.law.valid_from or oldest, a.law_id))
        for article in rows:
            for name in {article.law.title, article.law.short_title}:
                found[(name.removeprefix("中华人民共和国"), article.label)] = article
    out: list[dict[str, Any]] = []
    for law, label in pairs:
        article = found.get((law.removeprefix("中华人民共和国"), label))
        out.append({"law": law, "article": label, "article_id": article.pk if article else None,
                    "text": article.text if article else ""})
    return out


def faq_with_citations(entries: list[FaqEntry]) -> list[tuple[FaqEntry, list[dict[str, Any]]]]:
    """Entries with their resolved citations, in one query for the whole page."""
    flat = [c for e in entries for c in e.citations]
    resolved = iter(resolve_citations(flat))
    return [(e, [next(resolved) for _ in e.citations]) for e in entries]


# --------------------------------------------------------------------------- services
def service_suggestions(*categories: str) -> list[dict[str, str]]:
    """Service items fitting the categories (the likeliest first, each item once): catalogue rows
    when loaded, else the built-in names."""
    codes = list(dict.fromkeys(code for category in categories for code in CATEGORY_SERVICES.get(category, ())))
    found: dict[str, Any] = {}
    try:
        from fawang.catalog.models import ServiceItem

        found = {i.code: i for i in ServiceItem.objects.filter(code__in=codes, is_active=True)}
    except (ImportError, LookupError):  # pragma: no cover - catalog is an installed app
        found = {}
    out = []
    for code in codes:
        item = found.get(code)
        if item is not None:
            out.append({"code": code, "name": item.name, "url": f"/services/{code}/"})
        elif code in SERVICE_FALLBACK:
            out.append({"code": code, "name": str(SERVICE_FALLBACK[code]), "url": ""})
    return out


def _km(lat1: float, lng1: float, lat2: float, lng2: float) -> float:
    r = 6371.0
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lng2 - lng1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * r * math.asin(math.sqrt(a))


def nearest_service_point(*, region_code: str = "", lat: float | None = None, lng: float | None = None):
    """The service point a citizen should go to: by distance when coordinates are known, else the
    point registered at the most specific division enclosing ``region_code``. None if unknown."""
    from fawang.regions.models import ServicePoint

    points = ServicePoint.objects.filter(is_active=True)
    if lat is not None and lng is not None:
        candidates = points.exclude(latitude=None).exclude(longitude=None)
        if region_code:
            scoped = candidates.filter(region_q(region_code[:4]))
            candidates = scoped if scoped.exists() else candidates
        best = None
        for point in candidates.only("id", "latitude", "longitude", "name", "region_code", "address", "phone",
                                     "opening_hours", "kind", "code")[:5000]:
            d = _km(lat, lng, float(point.latitude), float(point.longitude))
            if best is None or d < best[0]:
                best = (d, point)
        if best is not None:
            best[1].distance_km = round(best[0], 1)
            return best[1]
    code = (region_code or "").strip()
    if not code:
        return None
    prefixes = [code[:n] for n in (12, 9, 6, 4, 2) if len(code) >= n]
    for prefix in prefixes:
        point = points.filter(region_code=prefix).order_by("code").first()
        if point is not None:
            return point
    return points.filter(region_q(code)).order_by("region_code", "code").first()


# --------------------------------------------------------------------------- records
def consultation_get_public(*, public_id: Any) -> SmartConsultation:
    """A consultation by its unguessable public id (the citizen's link to their 意见书)."""
    try:
        return SmartConsultation.objects.select_related("service_point").get(public_id=public_id)
    except (SmartConsultation.DoesNotExist, ValueError, TypeError) as exc:
        raise NotFoundOrForbidden() from exc


def consultation_list(*, user: Any) -> QuerySet[SmartConsultation]:
    """Staff: the consultations of their region; citizens: their own."""
    if user is not None and getattr(user, "is_authenticated", False) and getattr(user, "role", "") == "citizen":
        return SmartConsultation.objects.filter(user=user)
    return restrict(SmartConsultation.objects.all(), user)


def callback_list(*, user: Any) -> QuerySet[CallbackRequest]:
    return restrict(CallbackRequest.objects.select_related("consultation"), user)


def hot_topics(*, region_code: str = "", days: int = 30, limit: int = 5,
               now: dt.datetime | None = None) -> dict[str, Any]:
    """Most asked categories and questions in a region over the last ``days`` days (F16).

    Categories count every channel: the online smart consultations and the consultations staff
    recorded at the window or on the 12348 hotline (``ConsultationRecord``), where most of a
    county's questions arrive. A smart consultation staff brought onto the line counts once, under
    the line record's category (which staff may have corrected). Aggregated in the database
    (GROUP BY category, one query per source). The "questions" list is the FAQ entries most often
    matched online in the same window, since free-text questions rarely repeat verbatim and may
    contain personal details that must not be shown publicly.
    """
    now = now or timezone.now()
    since = now - dt.timedelta(days=days)
    window = Q(created_at__gte=since, created_at__lte=now) & region_q(region_code)
    qs = SmartConsultation.objects.filter(window)
    line = ConsultationRecord.objects.filter(window).exclude(category="")
    online_only = qs.exclude(case_number__in=line.exclude(case__number="").values("case__number"))
    counts: Counter[str] = Counter()
    for source in (online_only, line):
        for row in source.order_by().values("category").annotate(n=Count("id")):
            counts[row["category"]] += row["n"]
    categories = sorted(counts.items(), key=lambda pair: (-pair[1], pair[0]))[:limit]
    faq_counts: Counter[int] = Counter()
    for ids in qs.values_list("faq_ids", flat=True).iterator(chunk_size=2000):
        for faq_id in (ids or [])[:1]:  # the best match only: what the question was mostly about
            faq_counts[faq_id] += 1
    top_ids = [faq_id for faq_id, _n in faq_counts.most_common(limit)]
    entries = {e.pk: e for e in FaqEntry.objects.filter(pk__in=top_ids, is_published=True)}
    questions = [
        {"faq_id": faq_id, "question": entries[faq_id].question, "category": entries[faq_id].category, "count": n}
        for faq_id, n in faq_counts.most_common(limit) if faq_id in entries
    ]
    return {
        "region_code": region_code,
        "days": days,
        "total": sum(counts.values()),
        "categories": [{"category": category, "count": n} for category, n in categories],
        "questions": questions,
    }
