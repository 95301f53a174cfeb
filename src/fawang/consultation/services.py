"""Writes of the consultation app: loading the FAQ, answering a question (全程留痕), callbacks.

``consult`` is the one entry for every channel (web page, API, hotline agent, WeChat adapter):
classify → retrieve articles → match FAQ → pick services and the nearest service point →
compose the answer (template, optionally phrased by the LLM) → save the record → link it to a
consultation Case on the spine when a region is known.
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction
from django.utils.translation import gettext as _

from fawang.consultation import llm
from fawang.consultation.choices import AnswerSource, CallbackStatus, ConsultChannel
from fawang.consultation.guidance import CONSULTATION_ITEM
from fawang.consultation.models import CallbackRequest, FaqEntry, SmartConsultation
from fawang.consultation.selectors import (
    FaqMatch,
    faq_search,
    nearest_service_point,
    resolve_citations,
    service_suggestions,
)
from fawang.consultation.text import words
from fawang.core.errors import DomainError
from fawang.knowledge.classify import CATEGORIES, classify_question, likely_categories

logger = logging.getLogger(__name__)

FAQ_PATH = Path(__file__).resolve().parent / "data" / "faq.json"
MAX_QUESTION_CHARS = 2000
_ARTICLE_LABEL = re.compile(r"^第[零〇一二两三四五六七八九十百千]+条(之[一二三四五六七八九十]+)?$")


# --------------------------------------------------------------------------- FAQ loading
def _validate_faq_row(row: dict[str, Any], index: int) -> None:
    where = _("第%(n)d条常见问题") % {"n": index + 1}
    for field in ("key", "category", "question", "answer"):
        if not str(row.get(field) or "").strip():
            raise DomainError("faq_invalid", _("%(where)s缺少字段 %(field)s。") % {"where": where, "field": field})
    if row["category"] not in CATEGORIES:
        raise DomainError("faq_invalid", _("%(where)s的分类“%(cat)s”不在20个问题分类中。")
                          % {"where": where, "cat": row["category"]})
    cites = row.get("citations") or []
    if not isinstance(cites, list) or not cites:
        raise DomainError("faq_invalid", _("%(where)s没有引用法条。") % {"where": where})
    for cite in cites:
        if not isinstance(cite, dict) or not cite.get("law") or not _ARTICLE_LABEL.match(cite.get("article", "")):
            raise DomainError("faq_invalid", _("%(where)s的引用法条格式不正确：%(cite)s")
                              % {"where": where, "cite": json.dumps(cite, ensure_ascii=False)})


def faq_load(*, path: Path | None = None, publish: bool = True) -> dict[str, int]:
    """Upsert the FAQ from the shipped JSON file by ``key``; a second run changes nothing.

    The whole file is validated before anything is written (all or nothing).
    """
    path = Path(path or FAQ_PATH)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise DomainError("faq_unreadable", _("无法读取常见问题文件：%(err)s") % {"err": exc}) from exc
    rows = data.get("entries") if isinstance(data, dict) else data
    if not isinstance(rows, list):
        raise DomainError("faq_invalid", _("常见问题文件格式不正确：缺少 entries 列表。"))
    keys = set()
    for i, row in enumerate(rows):
        _validate_faq_row(row, i)
        if row["key"] in keys:
            raise DomainError("faq_invalid", _("常见问题编号重复：%(key)s") % {"key": row["key"]})
        keys.add(row["key"])
    counts = {"created": 0, "updated": 0, "unchanged": 0}
    with transaction.atomic():
        existing = {e.key: e for e in FaqEntry.objects.filter(key__in=keys)}
        for order, row in enumerate(rows):
            values = {
                "category": row["category"],
                "question": row["question"].strip(),
                "answer": row["answer"].strip(),
                "citations": [{"law": c["law"], "article": c["article"]} for c in row["citations"]],
                "keywords": [str(k) for k in row.get("keywords") or []],
                "sort_order": order,
            }
            entry = existing.get(row["key"])
            if entry is None:
                FaqEntry.objects.create(key=row["key"], is_published=publish, **values)
                counts["created"] += 1
            elif any(getattr(entry, k) != v for k, v in values.items()):
                for k, v in values.items():
                    setattr(entry, k, v)
                entry.save()
                counts["updated"] += 1
            else:
                counts["unchanged"] += 1
    return counts


# --------------------------------------------------------------------------- retrieval
@dataclass(frozen=True)
class QuotedArticle:
    article_id: int
    law: str
    label: str
    text: str
    # Strong enough to quote to a citizen: the trained ranker's hits, or a keyword hit on two or
    # more of the question's words. Weak hits are kept in the record (article_ids) only.
    strong: bool = True


QUOTABLE_LEVELS = ("constitution", "law", "administrative_regulation", "judicial_interpretation")


def _law_name(title: str) -> str:
    return title.removeprefix("中华人民共和国")


def _search_engine(question: str, limit: int) -> list[int]:
    """Article ids from the retrieval engine (``fawang.knowledge.retrieval``)."""
    from fawang.knowledge.retrieval.engine import search_articles

    return [hit.article_id for hit in search_articles(question, limit=limit, filters={"in_force": True})]


def _search_fallback(question: str, limit: int, category: str = "") -> list[tuple[int, bool]]:
    """Keyword fallback over statute text: (article id, strong) best first.

    Score: total length of the question's words found in the article (long words are specific),
    +4 when the article's law belongs to the question's category by the classifier's law rules,
    +1 for statutes proper over regulations and interpretations. Non-statute material (guides,
    amendment decisions) is never returned; ``strong`` marks hits fit to quote.
    """
    from django.db.models import Q

    from fawang.knowledge.classify.categories import category_for_law
    from fawang.knowledge.models import Article

    terms = list(dict.fromkeys(w for w in words(question) if len(w) >= 2))[:8]
    if not terms:
        return []
    query = Q()
    for term in terms:
        query |= Q(text__contains=term)
    rows = (Article.objects.filter(law__in_force=True, law__is_case=False, law__level__in=QUOTABLE_LEVELS)
            .exclude(label="正文").filter(query)
            .values_list("id", "text", "label", "law__title", "law__level")[:3000])
    scored = []
    for pk, text, label, title, level in rows:
        hits = [t for t in terms if t in text]
        score = sum(len(t) for t in hits)
        in_category = bool(category) and category_for_law(title, label) == category
        if in_category:
            score += 4
        if level == "law":
            score += 1
        # Quoted to the citizen only when two of their words hit an article of the right field:
        # plain keyword overlap across fields quotes adoption rules to a question about a loan.
        scored.append((score, -len(text), pk, len(hits) >= 2 and in_category))
    scored.sort(reverse=True)
    return [(pk, strong) for _s, _len, pk, strong in scored[:limit]]


def retrieve_articles(question: str, *, limit: int = 5, category: str = "") -> list[QuotedArticle]:
    """The statute articles to quote for ``question``, best first.

    The one place that chooses the retrieval method: the knowledge retrieval engine when it
    answers, else a keyword query over the Article table (``category`` sharpens it).
    """
    from fawang.knowledge.models import Article

    try:
        hits = [(pk, True) for pk in _search_engine(question, limit)]
    except Exception as exc:  # the engine is optional at run time (index files, model, numpy)
        logger.warning("retrieval engine unavailable, using keyword fallback: %s", exc)
        hits = []
    if not hits:
        hits = _search_fallback(question, limit, category)
    rows = Article.objects.select_related("law").in_bulk([pk for pk, _strong in hits])
    return [QuotedArticle(pk, _law_name(rows[pk].law.title), rows[pk].label, rows[pk].text, strong)
            for pk, strong in hits if pk in rows]


# --------------------------------------------------------------------------- answering
def _short(text: str, n: int = 140) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= n else text[: n - 1] + "…"


def compose_answer(*, category: str, faq: list[FaqMatch], articles: list[QuotedArticle],
                   alternatives: Sequence[str] = ()) -> str:
    """The template answer: the best FAQ answer with its citations, then the quoted articles.

    ``alternatives`` (other likely categories, when the classifier is unsure) are named in the
    first sentence, so that a citizen whose question was misread is not told only the wrong one.
    """
    others = [c for c in alternatives if c != category]
    if others:
        parts = [_("您的问题初步归类为“%(category)s”，也可能涉及%(others)s。") % {
            "category": category, "others": "、".join(f"“{c}”" for c in others)}]
    else:
        parts = [_("您的问题初步归类为“%(category)s”。") % {"category": category}]
    cited: set[tuple[str, str]] = set()
    if faq:
        best = faq[0].entry
        labels = "、".join(best.citation_labels())
        parts.append(f"{best.answer}" + (_("（依据：%(labels)s）") % {"labels": labels} if labels else ""))
        cited = {(c["law"], c["article"]) for c in best.citations}
    quoted = [a for a in articles if a.strong and (a.law, a.label) not in cited][:2]
    for article in quoted:
        parts.append(_("《%(law)s》%(label)s规定：“%(text)s”") % {
            "law": article.law, "label": article.label, "text": _short(article.text)})
    if not faq and not quoted:
        parts.append(_("暂未检索到与您的问题直接相关的法律规定，建议拨打12348公共法律服务热线或到就近的公共法律服务站点咨询。"))
    return "\n".join(parts)


def _citation_snapshot(faq: list[FaqMatch], articles: list[QuotedArticle]) -> list[dict[str, Any]]:
    """What the 意见书 quotes, frozen at answer time: FAQ citations first, then retrieved articles."""
    out: list[dict[str, Any]] = []
    seen: set[tuple[str, str]] = set()
    if faq:
        for row in resolve_citations(faq[0].entry.citations):
            key = (row["law"], row["article"])
            if key not in seen:
                seen.add(key)
                out.append({**row, "source": "faq"})
    for a in articles:
        key = (a.law, a.label)
        if a.strong and key not in seen:
            seen.add(key)
            out.append({"law": a.law, "article": a.label, "article_id": a.article_id, "text": a.text,
                        "source": "retrieval"})
    return out


def _llm_sources(citations: list[dict[str, Any]]) -> list[llm.SourceArticle]:
    return [llm.SourceArticle(c["law"], c["article"], c.get("text") or "") for c in citations]


def _link_case(consultation: SmartConsultation, *, actor: Any) -> str:
    """File the consultation as a completed consultation Case (received → accepted → completed)
    so that statistics and supervision see it like any other request. Best effort: without a
    region or the catalogue item the consultation is still recorded, just not on the spine."""
    if not consultation.region_code:
        return ""
    try:
        from fawang.cases import services as case_services
        from fawang.catalog.models import ServiceItem
        from fawang.consultation import events

        item = ServiceItem.objects.filter(code=CONSULTATION_ITEM, is_active=True).first()
        if item is None:
            return ""
        staff = actor if actor is not None and getattr(actor, "role", "citizen") != "citizen" else None
        with transaction.atomic():
            case, _created = case_services.case_create_or_get(
                item=item, channel=consultation.channel, applicant=None, region_code=consultation.region_code,
                service_point=None, actor=staff, idempotency_key=f"consultation-{consultation.public_id}",
                subject=_short(consultation.question, 200), citizen_user=consultation.user,
                is_demo=consultation.is_demo, form_data={"consultation": str(consultation.public_id)},
            )
            case_services.case_accept(case=case, actor=None)
            case_services.case_record(case=case, actor=None, event_type=events.ANSWERED,
                                      payload={"consultation": str(consultation.public_id),
                                               "category": consultation.category,
                                               "articles": consultation.article_ids})
            case_services.case_complete(case=case, actor=None, result=_("智能咨询已当场答复，出具法律咨询意见书。"))
        return case.number
    except (DomainError, DatabaseError, LookupError, ImportError) as exc:
        logger.warning("consultation %s not linked to a case: %s", consultation.public_id, exc)
        return ""


def _clean_region(region_code: str) -> str:
    code = (region_code or "").strip()
    if code and (not code.isdigit() or len(code) not in (2, 4, 6, 9, 12)):
        raise DomainError("region_invalid", _("所在地区代码不正确。"), field="region_code")
    return code


def consult(
    *,
    question: str,
    channel: str = ConsultChannel.WEB,
    user: Any = None,
    entered_by: Any = None,
    region_code: str = "",
    lat: float | None = None,
    lng: float | None = None,
    use_llm: bool = True,
    article_limit: int = 5,
    is_demo: bool = False,
) -> SmartConsultation:
    """Answer one question and record everything that was answered (全程留痕)."""
    question = (question or "").strip()
    if not question:
        raise DomainError("question_required", _("请填写您要咨询的问题。"), field="question")
    if len(question) > MAX_QUESTION_CHARS:
        raise DomainError("question_too_long", _("问题过长，请精简到%(n)d字以内。") % {"n": MAX_QUESTION_CHARS},
                          field="question")
    if channel not in ConsultChannel.values:
        raise DomainError("channel_invalid", _("来源渠道无效。"), field="channel")
    region_code = _clean_region(region_code)
    if (lat is None) != (lng is None) or (lat is not None and not (-90 <= lat <= 90 and -180 <= lng <= 180)):
        raise DomainError("location_invalid", _("位置坐标不正确。"), field="lat")
    if user is not None and not getattr(user, "is_authenticated", False):
        user = None
    if entered_by is not None and not getattr(entered_by, "is_authenticated", False):
        entered_by = None

    category, score, top3 = classify_question(question)
    articles = retrieve_articles(question, limit=article_limit, category=category)
    faq = faq_search(question, category=category)
    citations = _citation_snapshot(faq, articles)
    likely = likely_categories(score, top3) or [category]
    answer = compose_answer(category=category, faq=faq, articles=articles, alternatives=likely)
    source = AnswerSource.TEMPLATE
    if use_llm and llm.is_configured():
        phrased = llm.phrase_answer(question, _llm_sources(citations), [m.entry.answer for m in faq[:1]])
        if phrased:
            answer, source = phrased, AnswerSource.LLM
    point = nearest_service_point(region_code=region_code, lat=lat, lng=lng)
    if not region_code and point is not None:
        region_code = point.region_code

    with transaction.atomic():
        consultation = SmartConsultation.objects.create(
            question=question, channel=channel, category=category, category_score=score,
            category_top3=[list(pair) for pair in top3], article_ids=[a.article_id for a in articles],
            citations=citations, faq_ids=[m.entry.pk for m in faq], service_types=service_suggestions(*likely),
            answer_text=answer, answer_source=source, region_code=region_code, service_point=point,
            service_point_distance_km=getattr(point, "distance_km", None),
            user=user, entered_by=entered_by, is_demo=is_demo,
        )
        number = _link_case(consultation, actor=entered_by)
        if number:
            consultation.case_number = number
            consultation.save(update_fields=["case_number"])
    return consultation


# --------------------------------------------------------------------------- 转人工
def callback_request_create(
    *,
    name: str,
    phone: str,
    preferred_time: str = "",
    note: str = "",
    consultation: SmartConsultation | None = None,
    region_code: str = "",
    is_demo: bool = False,
) -> CallbackRequest:
    """A citizen asks a person to call back; validated, then recorded for the hotline."""
    from fawang.core.validators import normalize_phone, validate_phone

    name = (name or "").strip()
    if not name:
        raise DomainError("name_required", _("请填写称呼。"), field="name")
    if len(name) > 50:
        raise DomainError("name_too_long", _("称呼过长。"), field="name")
    try:
        validate_phone(phone)
    except ValidationError as exc:
        raise DomainError("phone_invalid", exc.messages[0], field="phone") from exc
    region_code = _clean_region(region_code) or (consultation.region_code if consultation else "")
    with transaction.atomic():
        request = CallbackRequest.objects.create(
            consultation=consultation, name=name, phone=normalize_phone(phone),
            preferred_time=(preferred_time or "").strip()[:100], note=(note or "").strip()[:2000],
            region_code=region_code, status=CallbackStatus.PENDING, is_demo=is_demo,
        )
    return request


def callback_mark(*, callback: CallbackRequest, status: str) -> CallbackRequest:
    if status not in CallbackStatus.values:
        raise DomainError("status_invalid", _("状态无效。"), field="status")
    callback.status = status
    callback.save(update_fields=["status"])
    return callback
