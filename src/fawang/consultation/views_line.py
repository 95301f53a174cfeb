"""Staff pages of the consultation line (htmx): the answer form, the list, one consultation.

``/consult/line/``: a window clerk or hotline agent records a consultation (question, answer,
cited articles, applicant) — the form posts with htmx and is replaced by the result or by the
same form with the zh-hans error. ``/consult/line/<number>/``: rounds, escalation, answers,
conversion and closing, each action an htmx post that re-renders the consultation's body.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fawang.cases.choices import Channel
from fawang.cases.services import party_create
from fawang.cases.views import staff_page
from fawang.consultation import selectors_line as sel
from fawang.consultation import services_line as line
from fawang.consultation.choices import ConversionTarget, QuestionCategory
from fawang.core.errors import DomainError, NotFoundOrForbidden, PermissionDenied

FRONT_CHANNELS = [(c, Channel(c).label) for c in ("hotline", "window", "web", "wechat") if c in Channel.values]


def _citations(text: str) -> list[str]:
    """One citation per line or separated by 、/；, written 《法律》第X条."""
    import re

    return [c.strip() for c in re.split(r"[\n、；;]+", text or "") if c.strip()]


def _form_context(request: HttpRequest, **extra: Any) -> dict[str, Any]:
    return {"channels": FRONT_CHANNELS, "categories": QuestionCategory.choices,
            "key": uuid.uuid4().hex, "values": {}, **extra}


@staff_page("consultation.answer")
def line_index(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        return _record(request)
    return render(request, "consultation/line_index.html", _form_context(
        request, records=sel.line_list(user=request.user)[:30],
        overdue=sel.rounds_overdue(user=request.user)[:30]))


def _record(request: HttpRequest) -> HttpResponse:
    v = {k: request.POST.get(k, "").strip() for k in (
        "question", "answer", "channel", "category", "citations", "name", "phone", "id_number", "key")}
    keep_open = request.POST.get("keep_open") == "on"
    point = request.user.service_point
    try:
        with transaction.atomic():
            applicant = None
            if v["name"]:
                applicant = party_create(name=v["name"], phone=v["phone"], id_number=v["id_number"],
                                         id_type="resident_id" if v["id_number"] else "none",
                                         region_code=point.region_code if point else "")
            record = line.consultation_record(
                actor=request.user, question=v["question"], channel=v["channel"], answer=v["answer"],
                category=v["category"], citations=_citations(v["citations"]), applicant=applicant,
                keep_open=keep_open, idempotency_key=f"line-form:{v['key']}" if v["key"] else None,
            )
    except (NotFoundOrForbidden, PermissionDenied):
        raise
    except DomainError as exc:
        context = _form_context(request, values=v, error=exc.message, keep_open=keep_open)
        context["key"] = v["key"] or context["key"]
        return render(request, "consultation/_line_form.html", context, status=200)
    return render(request, "consultation/_line_recorded.html", {"record": record})


def _body(request: HttpRequest, number: str, *, error: str = "", status: int = 200) -> HttpResponse:
    record = sel.line_get(user=request.user, number=number)
    from fawang.directory.models import Practitioner

    experts = Practitioner.objects.filter(kind="expert", status="active").order_by("name")[:200]
    return render(request, "consultation/_line_body.html", {
        "record": record, "rounds": record.rounds.order_by("number"), "linked": sel.linked_cases(record),
        "targets": ConversionTarget.choices, "experts": experts, "error": error,
        "categories": QuestionCategory.choices,
    }, status=status)


@staff_page("consultation.answer")
def line_detail(request: HttpRequest, number: str) -> HttpResponse:
    record = sel.line_get(user=request.user, number=number)
    return render(request, "consultation/line_detail.html", {"record": record, "number": number})


@staff_page("consultation.answer")
def line_body(request: HttpRequest, number: str) -> HttpResponse:
    return _body(request, number)


@require_POST
@staff_page("consultation.answer")
def line_act(request: HttpRequest, number: str, act: str) -> HttpResponse:
    from fawang.accounts.models import User
    from fawang.directory.models import Practitioner

    record = sel.line_get(user=request.user, number=number)
    p = request.POST
    try:
        if act == "escalate":
            lawyer = User.objects.filter(username=p.get("lawyer", "").strip()).first() if p.get("lawyer") else None
            expert = Practitioner.objects.filter(pk=p.get("expert")).first() if p.get("expert", "").isdigit() else None
            if p.get("lawyer") and lawyer is None:
                raise DomainError("lawyer_invalid", _("请选择本区域内在岗的律师。"), field="lawyer")
            line.consultation_escalate(record=record, actor=request.user, reason=p.get("reason", ""),
                                       lawyer=lawyer, practitioner=expert)
        elif act == "answer":
            line.consultation_round_answer(record=record, actor=request.user, answer=p.get("answer", ""),
                                           citations=_citations(p.get("citations", "")))
        elif act == "ask":
            line.consultation_round_ask(record=record, actor=request.user, question=p.get("question", ""))
        elif act == "close":
            line.consultation_close(record=record, actor=request.user, summary=p.get("summary", ""))
        elif act == "category":
            line.consultation_set_category(record=record, actor=request.user, category=p.get("category", ""))
        elif act == "convert":
            line.consultation_convert(
                record=record, actor=request.user, target=p.get("target", ""), matter=p.get("matter", ""),
                respondent_name=p.get("respondent_name", ""), dispute_type=p.get("dispute_type", ""),
                notary_matter=p.get("notary_matter", ""), facts=p.get("facts", ""))
        else:
            raise DomainError("action_invalid", _("操作无效。"))
    except (NotFoundOrForbidden, PermissionDenied):
        raise
    except DomainError as exc:
        return _body(request, number, error=exc.message)
    return _body(request, number)
