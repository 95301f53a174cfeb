"""Public pages: ask (/consult/), the 法律咨询意见书 (HTML and PDF), FAQ, 转人工 callback."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from fawang.consultation import opinion
from fawang.consultation.choices import ConsultChannel, QuestionCategory
from fawang.consultation.selectors import (
    consultation_get_public,
    faq_list,
    faq_search,
    faq_with_citations,
    hot_topics,
)
from fawang.consultation.services import MAX_QUESTION_CHARS, callback_request_create, consult
from fawang.core.errors import DomainError, NotFoundOrForbidden
from fawang.core.permissions import is_staff_user
from fawang.core.throttle import throttle_check

STAFF_CHANNELS = [(c.value, c.label) for c in (ConsultChannel.HOTLINE, ConsultChannel.WINDOW, ConsultChannel.WEB)]


def _hotline() -> str:
    return getattr(settings, "FAWANG_HOTLINE", "12348")


def _divisions() -> list:
    """Cities and counties that have a service point: the regions this deployment serves."""
    from fawang.regions.models import Division, ServicePoint

    codes = set(ServicePoint.objects.filter(is_active=True).values_list("region_code", flat=True).distinct()[:5000])
    prefixes = {code[:n] for code in codes for n in (4, 6) if len(code) >= n}
    return list(Division.objects.filter(code__in=prefixes).order_by("code").only("code", "name")[:400])


def _index_context(request: HttpRequest, **extra) -> dict:
    region = request.GET.get("region", "") or extra.get("form", {}).get("region_code", "")
    return {
        "hotline": _hotline(),
        "hot": hot_topics(region_code=region if region.isdigit() else "", days=30, limit=5),
        "categories": QuestionCategory.choices,
        "divisions": _divisions(),
        "is_staff": is_staff_user(request.user),
        "staff_channels": STAFF_CHANNELS,
        **extra,
    }


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    # ?q= carries a question over from the law search page, so it need not be typed twice.
    question = request.GET.get("q", "").strip()[:MAX_QUESTION_CHARS]
    return render(request, "consultation/index.html", _index_context(request, form={"question": question}))


@require_POST
def ask(request: HttpRequest) -> HttpResponse:
    form = {k: request.POST.get(k, "").strip() for k in ("question", "region_code", "channel", "lat", "lng")}
    staff = is_staff_user(request.user)
    channel = form["channel"] if staff and form["channel"] in ConsultChannel.values else ConsultChannel.WEB
    try:
        lat, lng = (float(form["lat"]), float(form["lng"])) if form["lat"] and form["lng"] else (None, None)
    except ValueError:
        lat = lng = None  # a browser sent junk: ignore the location, not the question
    try:
        throttle_check(request, "consult")
        consultation = consult(
            question=form["question"], channel=channel, region_code=form["region_code"], lat=lat, lng=lng,
            user=request.user if request.user.is_authenticated and not staff else None,
            entered_by=request.user if staff else None,
        )
    except DomainError as exc:  # the form comes back with the question kept, and the reason
        return render(request, "consultation/index.html", _index_context(request, form=form, error=exc.message),
                      status=exc.status_code)
    return redirect("consultation:opinion", public_id=consultation.public_id)


def _get(public_id) -> object:
    try:
        return consultation_get_public(public_id=public_id)
    except NotFoundOrForbidden:
        from django.http import Http404

        raise Http404 from None


@require_GET
def opinion_page(request: HttpRequest, public_id) -> HttpResponse:
    consultation = _get(public_id)
    return render(request, "consultation/opinion.html", opinion.opinion_context(consultation))


@require_GET
def opinion_pdf(request: HttpRequest, public_id) -> HttpResponse:
    consultation = _get(public_id)
    response = HttpResponse(opinion.opinion_pdf(consultation), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="opinion-{opinion.opinion_number(consultation)}.pdf"'
    return response


@require_GET
def faq(request: HttpRequest) -> HttpResponse:
    category = request.GET.get("category", "")
    category = category if category in QuestionCategory.values else ""
    q = request.GET.get("q", "").strip()[:200]
    if q:
        entries = [m.entry for m in faq_search(q, limit=20) if not category or m.entry.category == category]
    else:
        entries = list(faq_list(category=category or None))
    return render(request, "consultation/faq.html", {
        "entries": faq_with_citations(entries), "category": category, "q": q, "categories": QuestionCategory.choices,
        "hotline": _hotline(),
    })


@require_POST
def callback(request: HttpRequest) -> HttpResponse:
    form = {k: request.POST.get(k, "") for k in ("name", "phone", "preferred_time", "note", "consultation")}
    consultation = None
    if form["consultation"]:
        try:
            consultation = consultation_get_public(public_id=form["consultation"])
        except NotFoundOrForbidden:
            consultation = None
    try:
        throttle_check(request, "callback")
        callback_request_create(name=form["name"], phone=form["phone"], preferred_time=form["preferred_time"],
                                note=form["note"], consultation=consultation)
    except DomainError as exc:
        if consultation is not None:
            ctx = opinion.opinion_context(consultation)
            template = "consultation/opinion.html"
        else:
            ctx = _index_context(request, form={})
            template = "consultation/index.html"
        ctx.update(callback_error=exc.message, callback_form=form)
        return render(request, template, ctx, status=exc.status_code)
    return render(request, "consultation/callback_done.html", {"hotline": _hotline()})
