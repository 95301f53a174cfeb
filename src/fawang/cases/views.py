"""Staff pages: the window intake form, the work queue and the case page (htmx)."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from fawang.accounts.models import Role
from fawang.cases import selectors, services
from fawang.cases.forms import IntakeForm
from fawang.cases.models import CaseEvent
from fawang.catalog.models import ServiceItem
from fawang.core.errors import DomainError, NotFoundOrForbidden, PermissionDenied
from fawang.core.fast_insert import batched_inserts
from fawang.core.permissions import has_permission, is_staff_user
from fawang.regions.models import ServicePoint

HANDLER_ROLES = {Role.LAWYER, Role.MEDIATOR, Role.LEGAL_AID_REVIEWER, Role.VILLAGE_ADVISER}


def staff_page(action: str | None = None) -> Callable:
    """Login + staff role (+ ``action``); scoping errors become 404, role errors 403."""

    def decorator(view: Callable) -> Callable:
        @login_required
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            if not is_staff_user(request.user) or (action and not has_permission(request.user, action)):
                raise DjangoPermissionDenied
            try:
                return view(request, *args, **kwargs)
            except NotFoundOrForbidden as exc:
                raise Http404(exc.message) from exc
            except PermissionDenied as exc:
                raise DjangoPermissionDenied(exc.message) from exc

        return wrapper

    return decorator


def _item_form_fields(item: ServiceItem | None) -> list[dict[str, Any]]:
    if item is None or not item.forms:
        return []
    return item.forms[0].get("fields", [])


@staff_page("case.intake")
def intake(request: HttpRequest) -> HttpResponse:
    point = request.user.service_point
    if request.method == "POST":
        form = IntakeForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            item = data["item"]
            form_data = {f["name"]: request.POST.get(f"f_{f['name']}", "").strip()
                         for f in _item_form_fields(item)}
            missing = [f["label"] for f in _item_form_fields(item)
                       if f.get("required") and not form_data.get(f["name"])]
            if missing:
                form.add_error(None, _("请填写：%(f)s") % {"f": "、".join(missing)})
            else:
                try:
                    with transaction.atomic(), batched_inserts():
                        applicant = services.party_create(
                            name=data["name"], id_type=data["id_type"], id_number=data["id_number"],
                            phone=data["phone"], address=data["address"], special_groups=data["special_groups"],
                            region_code=point.region_code if point else "",
                        )
                        case, _created = services.case_create_or_get(
                            item=item, channel=data["channel"], applicant=applicant, service_point=point,
                            region_code="" if point else (request.user.scope_code or ""), actor=request.user,
                            idempotency_key=data["idempotency_key"], form_data=form_data,
                            subject=data["subject"],
                        )
                        for material in item.materials or []:
                            upload = request.FILES.get(f"m_{material.get('key')}")
                            if upload is not None:
                                services.case_attach(case=case, actor=request.user, file=upload,
                                                     material_key=material.get("key", ""))
                        if data["accept_now"] and case.status == "received":
                            services.case_accept(case=case, actor=request.user)
                except DomainError as exc:
                    form.add_error(exc.field if exc.field in form.fields else None, exc.message)
                else:
                    messages.success(request, _("已登记，案件编号 %(n)s，查询码 %(c)s。")
                                     % {"n": case.number, "c": case.query_code})
                    return redirect("cases:detail", number=case.number)
        item = form.cleaned_data.get("item") if hasattr(form, "cleaned_data") else None
    else:
        form = IntakeForm(initial={"idempotency_key": uuid.uuid4().hex,
                                   "item": request.GET.get("item") or None})
        item = ServiceItem.objects.filter(code=request.GET.get("item") or "").first()
    return render(request, "cases/intake.html", {
        "form": form, "point": point, "item": item, "item_fields": _item_form_fields(item),
        "values": request.POST,
    })


@staff_page("case.intake")
def intake_item(request: HttpRequest) -> HttpResponse:
    """htmx partial: the chosen item's own fields, materials and time limits."""
    item = ServiceItem.objects.filter(code=request.GET.get("item", ""), is_active=True).first()
    return render(request, "cases/_item_fields.html", {"item": item, "item_fields": _item_form_fields(item),
                                                       "values": {}})


@staff_page("case.view")
def queue(request: HttpRequest) -> HttpResponse:
    # Front desk and supervisors start from everything in their region; handlers from their own.
    default = "1" if request.user.role in HANDLER_ROLES else "0"
    mine = request.GET.get("mine", default) == "1"
    cases = selectors.work_queue_for_user(request.user, mine=mine)[:200]
    incoming = selectors.case_list_for_user(request.user, status="transferring").exclude(
        region_code__startswith=request.user.scope_code or "~")
    return render(request, "cases/queue.html", {"rows": selectors.queue_rows(cases), "mine": mine,
                                                "incoming": incoming[:50]})


@staff_page("case.view")
def detail(request: HttpRequest, number: str) -> HttpResponse:
    case = selectors.case_get_for_user(request.user, number=number)
    return render(request, "cases/detail.html", {
        "case": case,
        "events": CaseEvent.objects.filter(case=case).order_by("at", "id"),
        "steps": case.steps.all(),
        "attachments": case.attachments.all(),
        "transfer_targets": ServicePoint.objects.filter(is_active=True).exclude(pk=case.service_point_id)[:200],
    })


ACTIONS: dict[str, Callable[[Any, Any, Any], Any]] = {
    "accept": lambda case, user, post: services.case_accept(case=case, actor=user),
    "start": lambda case, user, post: services.case_start(case=case, actor=user),
    "request_materials": lambda case, user, post: services.case_request_materials(
        case=case, actor=user, materials=post.getlist("materials"), note=post.get("note", "")),
    "materials_received": lambda case, user, post: services.case_materials_received(case=case, actor=user),
    "complete": lambda case, user, post: services.case_complete(case=case, actor=user, result=post.get("result", "")),
    "deliver": lambda case, user, post: services.case_deliver_result(case=case, actor=user),
    "reject": lambda case, user, post: services.case_reject(case=case, actor=user, reason=post.get("reason", "")),
    "transfer_accept": lambda case, user, post: services.case_transfer_accept(case=case, actor=user),
    "transfer_refuse": lambda case, user, post: services.case_transfer_refuse(
        case=case, actor=user, reason=post.get("reason", "")),
    "note": lambda case, user, post: services.case_note(case=case, actor=user, text=post.get("text", "")),
}


@require_POST
@staff_page("case.view")
def action(request: HttpRequest, number: str, name: str) -> HttpResponse:
    case = selectors.case_get_for_user(request.user, number=number)
    try:
        if name == "transfer":
            target = ServicePoint.objects.filter(code=request.POST.get("to", "")).first()
            services.case_transfer(case=case, actor=request.user, to_service_point=target,
                                   reason=request.POST.get("reason", ""), escalate=bool(request.POST.get("escalate")))
        elif name == "attach":
            services.case_attach(case=case, actor=request.user, file=request.FILES.get("file"),
                                 material_key=request.POST.get("material", ""))
        elif name in ACTIONS:
            ACTIONS[name](case, request.user, request.POST)
        else:
            raise Http404
    except DomainError as exc:
        if isinstance(exc, NotFoundOrForbidden | PermissionDenied):
            raise
        messages.error(request, exc.message)
    else:
        messages.success(request, _("操作已完成。"))
    return redirect("cases:detail", number=number)
