"""Staff pages of the people's mediation line: the committee's list and the case page with
one form per step (htmx). Each form calls one service; scope as in the API."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fawang.core.errors import DomainError, NotFoundOrForbidden, PermissionDenied
from fawang.core.permissions import access_object, has_permission, is_staff_user
from fawang.core.scoping import region_q, restrict
from fawang.mediation import services
from fawang.mediation.choices import FailureReason, MediationStatus, RiskLevel
from fawang.mediation.models import Agreement, Mediation
from fawang.mediation.permissions import handles_mediation


def _staff(request: HttpRequest) -> Any:
    user = request.user
    if not is_staff_user(user) or not has_permission(user, "case.view"):
        raise DjangoPermissionDenied
    return user


def _get(request: HttpRequest, pk: int) -> Mediation:
    try:
        return access_object(Mediation.objects.select_related("case"), request.user, pk, action="case.view")
    except NotFoundOrForbidden as exc:
        raise Http404(exc.message) from exc
    except PermissionDenied as exc:
        raise DjangoPermissionDenied(exc.message) from exc


@login_required
def mediation_list(request: HttpRequest) -> HttpResponse:
    user = _staff(request)
    status = request.GET.get("status") or ""
    qs = restrict(Mediation.objects.select_related("case"), user).order_by("due_on", "-id")
    if status:
        qs = qs.filter(status=status)
    return render(request, "mediation/list.html", {"rows": qs[:200], "status": status,
                                                   "statuses": MediationStatus.choices})


def _context(request: HttpRequest, m: Mediation, *, error: str = "", done: str = "") -> dict[str, Any]:
    from fawang.directory.models import Practitioner

    m.refresh_from_db()
    return {
        "m": m, "error": error, "done": done, "S": MediationStatus,
        "parties": m.parties.select_related("party"),
        "mediators": m.mediators.all(),
        "candidates": Practitioner.objects.filter(region_q(m.region_code[:6]), kind="mediator",
                                                  status="active").order_by("name")[:100],
        "agreement": Agreement.objects.filter(mediation=m).first(),
        "records": m.records.all(), "events": m.case.events.order_by("at", "id"),
        "failure_reasons": FailureReason.choices, "risk_levels": RiskLevel.choices,
        "can_mediate": has_permission(request.user, "mediation.handle"),
        "can_download_agreement": handles_mediation(request.user, m),
    }


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    _staff(request)
    return render(request, "mediation/detail.html", _context(request, _get(request, pk)))


def _date(value: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(value) if value else None
    except ValueError:
        raise DomainError("date_invalid", _("日期格式无效。"), field="date") from None


def _mediators(post: Any) -> list[Any]:
    from fawang.directory.models import Practitioner

    ids = [int(i) for i in post.getlist("mediators") if i.isdigit()]
    found = {p.pk: p for p in Practitioner.objects.filter(pk__in=ids)}
    return [found[i] for i in ids if i in found]


ACTIONS = {
    "accept": lambda m, u, p: services.mediation_accept(mediation=m, actor=u),
    "assign": lambda m, u, p: services.mediation_assign_mediators(
        mediation=m, actor=u, mediators=_mediators(p), selection=p.get("selection", "designated"),
        lead_user=u if u.role == "mediator" else None),
    "record": lambda m, u, p: services.mediation_record_session(
        mediation=m, actor=u, content=p.get("content", ""), place=p.get("place", ""),
        attendees=p.get("attendees", "")),
    "risk": lambda m, u, p: services.mediation_report_risk(
        mediation=m, actor=u, level=p.get("level", ""), description=p.get("description", ""),
        measures=p.get("measures", ""), reported_to=p.get("reported_to", "")),
    "fail": lambda m, u, p: services.mediation_fail(mediation=m, actor=u, reason=p.get("reason", ""),
                                                   note=p.get("note", "")),
    "agree": lambda m, u, p: services.mediation_agree(
        mediation=m, actor=u, facts=p.get("facts", ""), issues=p.get("issues", ""),
        responsibilities=p.get("responsibilities", ""), terms=p.get("terms", ""),
        performance_manner=p.get("performance_manner", ""),
        performance_deadline=_date(p.get("performance_deadline", "")), form=p.get("form", "written")),
    "sign": lambda m, u, p: services.mediation_sign_agreement(
        mediation=m, actor=u, all_parties_signed=bool(p.get("all_parties_signed")),
        mediator_signed=bool(p.get("mediator_signed")), committee_sealed=bool(p.get("committee_sealed"))),
    "performance": lambda m, u, p: services.mediation_check_performance(
        mediation=m, actor=u, result=p.get("result", ""), note=p.get("note", "")),
}


@login_required
@require_POST
def act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    user = _staff(request)
    m = _get(request, pk)
    handler = ACTIONS.get(action)
    if handler is None:
        raise Http404
    error = done = ""
    try:
        handler(m, user, request.POST)
        done = _("已保存。")
    except NotFoundOrForbidden as exc:
        raise Http404(exc.message) from exc
    except DomainError as exc:
        error = exc.message
    context = _context(request, m, error=error, done=done)
    template = "mediation/_panel.html" if request.headers.get("HX-Request") else "mediation/detail.html"
    return render(request, template, context, status=400 if error else 200)
