"""The 法律咨询意见书: one context built from the consultation record, rendered as HTML or PDF.

Everything comes from the record (question, snapshot of the quoted articles, answer, service
point), so an opinion printed today and one re-printed next year read the same.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone

from fawang.consultation.guidance import DISCLAIMER, LEGAL_AID_CATEGORIES, LEGAL_AID_HINT, SUGGESTIONS
from fawang.consultation.models import SmartConsultation
from fawang.knowledge.classify import likely_categories

# WeasyPrint picks the first installed family. Debian: fonts-noto-cjk (Noto Serif/Sans CJK SC);
# fallbacks cover fonts-arphic-uming and fonts-wqy-zenhei, and other systems' common CJK fonts.
PDF_FONT_FAMILIES = ('"Noto Serif CJK SC", "Noto Sans CJK SC", "Source Han Serif SC", "Source Han Sans SC", '
                     '"AR PL UMing CN", "WenQuanYi Zen Hei", "SimSun", "Songti SC", serif')


def opinion_number(consultation: SmartConsultation) -> str:
    """Case number when filed on the spine, else a short stable reference from the public id."""
    return consultation.case_number or f"ZX-{consultation.public_id.hex[:12].upper()}"


def opinion_context(consultation: SmartConsultation) -> dict[str, Any]:
    category = consultation.category
    suggestions = [str(s) for s in SUGGESTIONS.get(category, ())]
    if category in LEGAL_AID_CATEGORIES:
        suggestions.append(str(LEGAL_AID_HINT))
    applicable = []
    for cite in consultation.citations:
        applicable.append({
            "label": f"《{cite['law']}》{cite['article']}",
            "text": cite.get("text") or "",
            "source": cite.get("source", ""),
        })
    point = consultation.service_point
    return {
        "consultation": consultation,
        "number": opinion_number(consultation),
        "question": consultation.question,
        "category": category,
        # other likely categories when the classifier was unsure (``likely_categories``)
        "alternatives": [c for c in likely_categories(consultation.category_score, consultation.category_top3 or [])
                         if c != category],
        "answer_paragraphs": [p for p in consultation.answer_text.split("\n") if p.strip()],
        "applicable": applicable,
        "suggestions": suggestions,
        "services": consultation.service_types,
        "service_point": point,
        "distance_km": consultation.service_point_distance_km,
        "hotline": getattr(settings, "FAWANG_HOTLINE", "12348"),
        "platform_name": getattr(settings, "FAWANG_PLATFORM_NAME", "法网"),
        "disclaimer": str(DISCLAIMER),
        "issued_at": timezone.localtime(consultation.created_at),
        "printed_at": timezone.localtime(),
        "font_families": PDF_FONT_FAMILIES,
    }


def opinion_pdf(consultation: SmartConsultation) -> bytes:
    """The opinion as PDF bytes (WeasyPrint; CJK fonts from the system, see PDF_FONT_FAMILIES)."""
    from weasyprint import HTML

    html = render_to_string("consultation/opinion_pdf.html", opinion_context(consultation))
    return HTML(string=html).write_pdf()
