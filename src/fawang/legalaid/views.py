"""Staff pages of the legal aid line: the queues and the review/decision form (htmx).

Thin: every action calls one service; errors come back as the form's message. Scoping and
role checks are the same as the API's (``selectors.access_application``, the services).
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fawang.core.errors import DomainError, NotFoundOrForbidden, PermissionDenied
from fawang.core.permissions import has_permission, is_staff_user
from fawang.legalaid import selectors, services
from fawang.legalaid.choices import AidStatus
from fawang.legalaid.permissions import handles_application

QUEUE_LABELS = {
    "intake": _("待初审/接收"),
    "review": _("待审查决定"),
    "assign": _("待指派"),
    "handling": _("承办中"),
    "objections": _("异议审查"),
}


def _staff(request: HttpRequest) -> Any:
    if not is_staff_user(request.user):
        raise DjangoPermissionDenied
    return request.user


def _sla(due: Any) -> str:
    if due is None:
        return ""
    now = timezone.now()
    if now > due:
        return "sla-overdue"
    return "sla-warning" if (due - now).days < 1 else "sla-ok"


@login_required
def queue(request: HttpRequest) -> HttpResponse:
    """The reviewer's and approver's queues, oldest deadline first (htmx tab switch)."""
    user = _staff(request)
    name = request.GET.get("queue") or "review"
    if name not in QUEUE_LABELS:
        raise Http404
    try:
        apps = list(selectors.application_list(user=user, queue=name).select_related("case__applicant")[:200])
    except PermissionDenied as exc:
        raise DjangoPermissionDenied(exc.message) from exc
    rows = [{"app": a, "due": a.decision_due_at or a.assign_due_at or a.forward_due_at,
             "sla": _sla(a.decision_due_at or a.assign_due_at or a.forward_due_at)} for a in apps]
    context = {"rows": rows, "queue": name, "queues": QUEUE_LABELS}
    template = "legalaid/_queue.html" if request.headers.get("HX-Request") else "legalaid/queue.html"
    return render(request, template, context)


def _get(request: HttpRequest, pk: int) -> Any:
    try:
        return selectors.access_application(user=request.user, pk=pk)
    except NotFoundOrForbidden as exc:
        raise Http404(exc.message) from exc
    except PermissionDenied as exc:
        raise DjangoPermissionDenied(exc.message) from exc


def _panel_context(request: HttpRequest, app: Any, *, error: str = "", done: str = "") -> dict[str, Any]:
    from fawang.legalaid.choices import QualityGrade, QualityMethod, TerminationGround

    user = request.user
    current = app.current_assignment
    return {
        "app": app, "error": error, "done": done,
        "events": app.case.events.order_by("at", "id"),
        "can_review": has_permission(user, "legalaid.review"),
        "can_approve": has_permission(user, "legalaid.approve"),
        "can_intake": has_permission(user, "legalaid.intake"),
        "can_decide_objection": has_permission(user, services.OBJECTION_REVIEW),
        "is_handler": can_handle(user, current),
        "can_download_refusal_notice": handles_application(user, app),
        "grades": QualityGrade.choices, "methods": QualityMethod.choices, "grounds": TerminationGround.choices,
        "S": AidStatus,
    }


def can_handle(user: Any, assignment: Any) -> bool:
    """The assigned aid lawyer's account, or center staff who may approve (services re-check)."""
    if has_permission(user, "legalaid.approve"):
        return True
    return assignment is not None and assignment.lawyer_user_id == user.pk


@login_required
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    _staff(request)
    app = _get(request, pk)
    return render(request, "legalaid/detail.html", _panel_context(request, app))


ACTIONS = {
    "receive": lambda app, user, post: services.legalaid_receive(app=app, actor=user),
    "check_hardship": lambda app, user, post: services.legalaid_check_hardship(app=app, actor=user),
    "request_materials": lambda app, user, post: services.legalaid_request_materials(
        app=app, actor=user, materials=[line for line in post.get("materials", "").splitlines() if line.strip()],
        note=post.get("note", "")),
    "supply_materials": lambda app, user, post: services.legalaid_supply_materials(app=app, actor=user),
    "approve": lambda app, user, post: services.legalaid_approve(app=app, actor=user),
    "refuse": lambda app, user, post: services.legalaid_refuse(app=app, actor=user, reasons=post.get("reasons", "")),
    "assign": lambda app, user, post: services.legalaid_assign(app=app, actor=user),
    "fast_track": lambda app, user, post: services.legalaid_fast_track(app=app, actor=user),
    "finalize": lambda app, user, post: services.legalaid_finalize(app=app, actor=user),
    "progress": lambda app, user, post: services.legalaid_report_progress(
        app=app, actor=user, content=post.get("content", "")),
    "closing": lambda app, user, post: services.legalaid_report_closing(
        app=app, actor=user, outcome=post.get("outcome", ""),
        documents=[line for line in post.get("documents", "").splitlines() if line.strip()],
        extra_costs=post.get("extra_costs") or 0),
    "quality": lambda app, user, post: services.legalaid_review_quality(
        app=app, actor=user, grade=post.get("grade", ""), methods=post.getlist("methods"),
        opinion=post.get("opinion", "")),
    "terminate": lambda app, user, post: services.legalaid_terminate(
        app=app, actor=user, ground=post.get("ground", ""), note=post.get("note", "")),
    "decide_objection": lambda app, user, post: services.legalaid_decide_objection(
        objection=app.objections.filter(outcome="").order_by("-filed_at").first() or _no_objection(),
        actor=user, outcome=post.get("outcome", ""), note=post.get("note", "")),
}


def _no_objection() -> Any:
    raise DomainError("no_objection", _("没有待审查的异议。"))


DONE = {
    "receive": _("已接收，七日审查期限开始计算。"),
    "check_hardship": _("已完成经济困难状况审查。"),
    "request_materials": _("已一次性告知需补充的材料。"),
    "supply_materials": _("材料已补齐，继续审查。"),
    "approve": _("已决定给予法律援助，请在三日内指派。"),
    "refuse": _("已决定不予法律援助，请打印决定书送达申请人。"),
    "assign": _("已指派法律援助人员。"),
    "fast_track": _("已先行指派，受援人应及时补办手续。"),
    "finalize": _("决定已生效，案件办结。"),
    "progress": _("已通报办理情况，受援人将收到通知。"),
    "closing": _("已提交结案报告，等待质量评查。"),
    "quality": _("质量评查完成，补贴已核定，案件办结。"),
    "terminate": _("已终止法律援助，受援人可以提出异议。"),
    "decide_objection": _("异议审查决定已作出。"),
}


@login_required
@require_POST
def act(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    """One decision-form button = one service call; the panel re-renders with the outcome."""
    user = _staff(request)
    app = _get(request, pk)
    handler = ACTIONS.get(action)
    if handler is None:
        raise Http404
    error = done = ""
    try:
        handler(app, user, request.POST)
        done = str(DONE[action])
    except NotFoundOrForbidden as exc:
        raise Http404(exc.message) from exc
    except DomainError as exc:  # PermissionDenied included: shown, nothing saved
        error = exc.message
    app = _get(request, pk)
    context = _panel_context(request, app, error=error, done=done)
    template = "legalaid/_panel.html" if request.headers.get("HX-Request") else "legalaid/detail.html"
    return render(request, template, context, status=400 if error else 200)
