"""Legal aid API (mounted at /api/legalaid/): intake on any channel, one endpoint per transition.

Staff endpoints answer 404 for applications outside the user's region (same as missing);
citizens reach only their own applications (apply, withdraw, object). Errors are
``DomainError``s mapped in ``fawang.api.errors``.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status

from fawang.accounts.models import User
from fawang.cases.schemas import PartyIn
from fawang.cases.services import party_create
from fawang.core.api_auth import staff_auth, user_auth
from fawang.core.errors import DomainError, NotFoundOrForbidden
from fawang.core.permissions import is_staff_user
from fawang.legalaid import documents, permissions, selectors, services
from fawang.legalaid.models import LegalAidApplication
from fawang.regions.models import ServicePoint

router = Router(tags=["法律援助"])


class ApplyIn(Schema):
    applicant: PartyIn
    matter: str
    channel: str
    service_point_code: str = ""
    region_code: str = ""
    summary: str = ""
    aid_form: str = "litigation_agency"
    supplementary_subject: str = ""
    no_means_test_ground: str = ""
    exempt_group: str = ""
    exempt_proof_provided: bool = False
    household_size: int | None = None
    household_monthly_income: Decimal | None = None
    household_assets: Decimal | None = None
    honesty_commitment_signed: bool = False
    is_detained: bool = False
    custodial_place: str = ""
    limitation_ends_on: dt.date | None = None
    needs_preservation: bool = False
    specialty: str = ""
    language: str = ""
    serious_case: bool = False
    idempotency_key: str = ""


class NotifyIn(Schema):
    notifier: str
    notifier_name: str
    notice_number: str
    defendant: PartyIn
    center_code: str
    matter: str = "notified_defence"
    summary: str = ""
    serious_case: bool = False
    language: str = ""


class AssignmentOut(Schema):
    id: int
    practitioner_id: int
    practitioner_name: str
    assigned_at: dt.datetime
    is_fast_track: bool
    ideal_share: Decimal | None
    actual_share: Decimal | None
    relaxed: list[str]
    released_at: dt.datetime | None
    release_reason: str


class ObjectionOut(Schema):
    id: int
    against_status: str
    grounds: str
    filed_at: dt.datetime
    review_due_at: dt.datetime
    outcome: str
    decision_note: str


class ApplicationOut(Schema):
    id: int
    case_number: str
    status: str
    status_label: str
    source: str
    matter: str
    matter_label: str
    aid_form: str
    region_code: str
    applicant: str
    center: str
    received_at: dt.datetime
    center_received_at: dt.datetime | None
    forward_due_at: dt.datetime | None
    decision_due_at: dt.datetime | None
    assign_due_at: dt.datetime | None
    materials_due_at: dt.datetime | None
    missing_materials: list[str]
    hardship_method: str
    articles: list[str]
    refusal_reasons: str
    is_fast_track: bool
    termination_ground: str
    finalized_at: dt.datetime | None


class ApplicationDetailOut(ApplicationOut):
    summary: str
    assignments: list[AssignmentOut]
    objections: list[ObjectionOut]


def _out(app: LegalAidApplication) -> dict[str, Any]:
    return {
        "id": app.pk, "case_number": app.case.number, "status": app.status, "status_label": app.get_status_display(),
        "source": app.source, "matter": app.matter, "matter_label": app.get_matter_display(), "aid_form": app.aid_form,
        "region_code": app.region_code, "applicant": app.case.applicant.masked_name if app.case.applicant_id else "",
        "center": app.center.name if app.center_id else "", "received_at": app.received_at,
        "center_received_at": app.center_received_at, "forward_due_at": app.forward_due_at,
        "decision_due_at": app.decision_due_at, "assign_due_at": app.assign_due_at,
        "materials_due_at": app.materials_due_at, "missing_materials": app.missing_materials,
        "hardship_method": app.hardship_method, "articles": app.articles, "refusal_reasons": app.refusal_reasons,
        "is_fast_track": app.is_fast_track, "termination_ground": app.termination_ground,
        "finalized_at": app.finalized_at,
    }


def _detail(app: LegalAidApplication) -> dict[str, Any]:
    app.refresh_from_db()
    return {
        **_out(app), "summary": app.summary,
        "assignments": [
            {"id": a.pk, "practitioner_id": a.practitioner_id, "practitioner_name": a.practitioner_name,
             "assigned_at": a.assigned_at, "is_fast_track": a.is_fast_track, "ideal_share": a.ideal_share,
             "actual_share": a.actual_share, "relaxed": a.relaxed, "released_at": a.released_at,
             "release_reason": a.release_reason}
            for a in app.assignments.all()
        ],
        "objections": [
            {"id": o.pk, "against_status": o.against_status, "grounds": o.grounds, "filed_at": o.filed_at,
             "review_due_at": o.review_due_at, "outcome": o.outcome, "decision_note": o.decision_note}
            for o in app.objections.all()
        ],
    }


def _app(request: HttpRequest, pk: int) -> LegalAidApplication:
    user = request.auth  # type: ignore[attr-defined]
    if is_staff_user(user):
        return selectors.access_application(user=user, pk=pk)
    app = LegalAidApplication.objects.select_related("case").filter(pk=pk, case__citizen_user=user).first()
    if app is None:
        raise NotFoundOrForbidden()
    return app


def _point(code: str, field: str) -> ServicePoint:
    point = ServicePoint.objects.filter(code=code, is_active=True).first() if code else None
    if point is None:
        raise DomainError("service_point_invalid", _("请选择运行中的服务点。"), field=field)
    return point


def _party(data: PartyIn, region_code: str) -> Any:
    return party_create(**data.model_dump(), region_code=region_code)


def _practitioner(pk: int | None) -> Any:
    if pk is None:
        return None
    from fawang.directory.models import Practitioner

    p = Practitioner.objects.filter(pk=pk).first()
    if p is None:
        raise DomainError("practitioner_invalid", _("法律援助人员不存在。"), field="practitioner_id")
    return p


def _lawyer_user(request: HttpRequest, username: str) -> Any:
    """The aid lawyer's login (lawyers may practise anywhere; the service checks the role)."""
    if not username:
        return None
    user = User.objects.filter(username=username, role="lawyer", is_active=True).first()
    if user is None:
        raise DomainError("lawyer_user_invalid", _("承办律师账号不存在。"), field="lawyer_username")
    return user


# --------------------------------------------------------------------------- reads


@router.get("/", response=list[ApplicationOut], auth=staff_auth)
def list_applications(request: HttpRequest, queue: str | None = None, status: str | None = None,
                      limit: int = 50, offset: int = 0):
    """The staff queues: intake, review, assign, handling, objections (region-scoped)."""
    limit = max(1, min(limit, 200))
    qs = selectors.application_list(user=request.auth, queue=queue, status=status)  # type: ignore[attr-defined]
    return [_out(a) for a in qs.select_related("case__applicant")[offset:offset + limit]]


@router.get("/{int:pk}", response=ApplicationDetailOut, auth=user_auth)
def get_application(request: HttpRequest, pk: int):
    return _detail(_app(request, pk))


@router.get("/{int:pk}/refusal-notice.pdf", auth=user_auth)
def refusal_notice(request: HttpRequest, pk: int):
    """第四十三条: the written refusal with reasons (only to those handling the application)."""
    app = _app(request, pk)
    user = request.auth  # type: ignore[attr-defined]
    permissions.require_refusal_notice_reader(user=user, app=app)
    response = HttpResponse(documents.refusal_notice_pdf(app), content_type="application/pdf")
    permissions.audit_refusal_notice_download(user=user, app=app)
    response["Content-Disposition"] = f'inline; filename="refusal-{app.case.number}.pdf"'
    return response


# --------------------------------------------------------------------------- intake


@router.post("/", response={200: ApplicationDetailOut, 201: ApplicationDetailOut}, auth=user_auth)
def apply(request: HttpRequest, payload: ApplyIn):
    """Apply on any channel; a citizen applies for themself (web, mobile, WeChat)."""
    user = request.auth  # type: ignore[attr-defined]
    staff = is_staff_user(user)
    point = _point(payload.service_point_code, "service_point_code") if payload.service_point_code else None
    region = point.region_code if point else payload.region_code
    key = request.headers.get("Idempotency-Key", "") or payload.idempotency_key
    if key:
        existing = LegalAidApplication.objects.filter(case__idempotency_key=key).first()
        if existing is not None:
            return Status(200, _detail(_app(request, existing.pk)))
    app = services.legalaid_apply(
        actor=user, citizen_user=None if staff else user, applicant=_party(payload.applicant, region),
        matter=payload.matter, channel=payload.channel, service_point=point, region_code=region,
        summary=payload.summary, aid_form=payload.aid_form, supplementary_subject=payload.supplementary_subject,
        no_means_test_ground=payload.no_means_test_ground, exempt_group=payload.exempt_group,
        exempt_proof_provided=payload.exempt_proof_provided, household_size=payload.household_size,
        household_monthly_income=payload.household_monthly_income, household_assets=payload.household_assets,
        honesty_commitment_signed=payload.honesty_commitment_signed, is_detained=payload.is_detained,
        custodial_place=payload.custodial_place, limitation_ends_on=payload.limitation_ends_on,
        needs_preservation=payload.needs_preservation, specialty=payload.specialty, language=payload.language,
        serious_case=payload.serious_case, idempotency_key=key or None,
    )
    return Status(201, _detail(app))


@router.post("/notifications", response={201: ApplicationDetailOut}, auth=staff_auth)
def notify(request: HttpRequest, payload: NotifyIn):
    """第三十六条: register a court/procuratorate/police notice; assignment due in 3 days."""
    center = _point(payload.center_code, "center_code")
    app = services.legalaid_notify(
        actor=request.auth, notifier=payload.notifier, notifier_name=payload.notifier_name,  # type: ignore[attr-defined]
        notice_number=payload.notice_number, defendant=_party(payload.defendant, center.region_code), center=center,
        matter=payload.matter, summary=payload.summary, serious_case=payload.serious_case, language=payload.language,
    )
    return Status(201, _detail(app))


# --------------------------------------------------------------------------- transitions


class ForwardIn(Schema):
    center_code: str
    opinion: str = ""


class MaterialsIn(Schema):
    materials: list[str] = []
    days: int = 15
    note: str = ""


class ReceivedIn(Schema):
    received: list[str] = []


class ReasonIn(Schema):
    reason: str = ""


class RefuseIn(Schema):
    reasons: str


class AssignIn(Schema):
    practitioner_id: int | None = None
    lawyer_username: str = ""


class ReassignIn(AssignIn):
    reason: str


class TextIn(Schema):
    content: str


class TerminateIn(Schema):
    ground: str
    note: str = ""


class ObjectIn(Schema):
    grounds: str


class DecideIn(Schema):
    outcome: str
    note: str


class ClosingIn(Schema):
    outcome: str
    documents: list[str] = []
    extra_costs: Decimal = Decimal("0")


class QualityIn(Schema):
    grade: str
    methods: list[str] = []
    opinion: str = ""


class EligibilityOut(Schema):
    eligible: bool
    hardship_method: str
    reasons: list[str]
    articles: list[str]


@router.post("/{int:pk}/forward", response=ApplicationDetailOut, auth=staff_auth)
def forward(request: HttpRequest, pk: int, payload: ForwardIn):
    app = services.legalaid_forward(app=_app(request, pk), actor=request.auth,  # type: ignore[attr-defined]
                                    to_center=_point(payload.center_code, "center_code"), opinion=payload.opinion)
    return _detail(app)


@router.post("/{int:pk}/receive", response=ApplicationDetailOut, auth=staff_auth)
def receive(request: HttpRequest, pk: int):
    app = LegalAidApplication.objects.select_related("case__transfer_to").filter(pk=pk).first()
    user = request.auth  # type: ignore[attr-defined]
    # A forwarded application is still filed under the sender until the center takes it over.
    if app is None or not (
        app.case.transfer_to_id and user.scope_code is not None
        and app.case.transfer_to.region_code.startswith(user.scope_code)
    ):
        app = _app(request, pk)
    return _detail(services.legalaid_receive(app=app, actor=user))


@router.post("/{int:pk}/check-hardship", response=EligibilityOut, auth=staff_auth)
def check_hardship(request: HttpRequest, pk: int):
    result = services.legalaid_check_hardship(app=_app(request, pk), actor=request.auth)  # type: ignore[attr-defined]
    return {"eligible": result.eligible, "hardship_method": result.hardship_method,
            "reasons": list(result.reasons), "articles": list(result.articles)}


@router.post("/{int:pk}/request-materials", response=ApplicationDetailOut, auth=staff_auth)
def request_materials(request: HttpRequest, pk: int, payload: MaterialsIn):
    return _detail(services.legalaid_request_materials(app=_app(request, pk), actor=request.auth,  # type: ignore[attr-defined]
                                                       materials=payload.materials, days=payload.days,
                                                       note=payload.note))


@router.post("/{int:pk}/supply-materials", response=ApplicationDetailOut, auth=staff_auth)
def supply_materials(request: HttpRequest, pk: int, payload: ReceivedIn):
    return _detail(services.legalaid_supply_materials(app=_app(request, pk), actor=request.auth,  # type: ignore[attr-defined]
                                                      received=payload.received))


@router.post("/{int:pk}/withdraw", response=ApplicationDetailOut, auth=user_auth)
def withdraw(request: HttpRequest, pk: int, payload: ReasonIn):
    return _detail(services.legalaid_withdraw(app=_app(request, pk), actor=request.auth,  # type: ignore[attr-defined]
                                              reason=payload.reason))


@router.post("/{int:pk}/approve", response=ApplicationDetailOut, auth=staff_auth)
def approve(request: HttpRequest, pk: int):
    return _detail(services.legalaid_approve(app=_app(request, pk), actor=request.auth))  # type: ignore[attr-defined]


@router.post("/{int:pk}/refuse", response=ApplicationDetailOut, auth=staff_auth)
def refuse(request: HttpRequest, pk: int, payload: RefuseIn):
    return _detail(services.legalaid_refuse(app=_app(request, pk), actor=request.auth,  # type: ignore[attr-defined]
                                            reasons=payload.reasons))


@router.post("/{int:pk}/fast-track", response=ApplicationDetailOut, auth=staff_auth)
def fast_track(request: HttpRequest, pk: int, payload: AssignIn):
    app = _app(request, pk)
    services.legalaid_fast_track(app=app, actor=request.auth, practitioner=_practitioner(payload.practitioner_id),  # type: ignore[attr-defined]
                                 lawyer_user=_lawyer_user(request, payload.lawyer_username))
    return _detail(app)


@router.post("/{int:pk}/complete-formalities", response=ApplicationDetailOut, auth=staff_auth)
def complete_formalities(request: HttpRequest, pk: int):
    return _detail(services.legalaid_complete_formalities(app=_app(request, pk), actor=request.auth))  # type: ignore[attr-defined]


@router.post("/{int:pk}/assign", response=ApplicationDetailOut, auth=staff_auth)
def assign(request: HttpRequest, pk: int, payload: AssignIn):
    app = _app(request, pk)
    services.legalaid_assign(app=app, actor=request.auth, practitioner=_practitioner(payload.practitioner_id),  # type: ignore[attr-defined]
                             lawyer_user=_lawyer_user(request, payload.lawyer_username))
    return _detail(app)


@router.post("/{int:pk}/reassign", response=ApplicationDetailOut, auth=staff_auth)
def reassign(request: HttpRequest, pk: int, payload: ReassignIn):
    app = _app(request, pk)
    services.legalaid_reassign(app=app, actor=request.auth, reason=payload.reason,  # type: ignore[attr-defined]
                               practitioner=_practitioner(payload.practitioner_id),
                               lawyer_user=_lawyer_user(request, payload.lawyer_username))
    return _detail(app)


@router.post("/{int:pk}/progress", response=ApplicationDetailOut, auth=staff_auth)
def progress(request: HttpRequest, pk: int, payload: TextIn):
    app = _app(request, pk)
    services.legalaid_report_progress(app=app, actor=request.auth, content=payload.content)  # type: ignore[attr-defined]
    return _detail(app)


@router.post("/{int:pk}/terminate", response=ApplicationDetailOut, auth=staff_auth)
def terminate(request: HttpRequest, pk: int, payload: TerminateIn):
    return _detail(services.legalaid_terminate(app=_app(request, pk), actor=request.auth,  # type: ignore[attr-defined]
                                               ground=payload.ground, note=payload.note))


@router.post("/{int:pk}/termination-report", response=ApplicationDetailOut, auth=staff_auth)
def termination_report(request: HttpRequest, pk: int, payload: TerminateIn):
    """第四十八条第二款: the aid lawyer reports a termination ground; the center decides."""
    app = _app(request, pk)
    services.legalaid_report_termination_ground(app=app, actor=request.auth, ground=payload.ground,  # type: ignore[attr-defined]
                                                note=payload.note)
    return _detail(app)


@router.post("/{int:pk}/objections", response={201: ObjectionOut}, auth=user_auth)
def object_to_decision(request: HttpRequest, pk: int, payload: ObjectIn):
    """第四十九条: the applicant (or staff on their behalf) objects to a refusal or termination."""
    obj = services.legalaid_object(app=_app(request, pk), actor=request.auth, grounds=payload.grounds)  # type: ignore[attr-defined]
    return Status(201, {"id": obj.pk, "against_status": obj.against_status, "grounds": obj.grounds,
                        "filed_at": obj.filed_at, "review_due_at": obj.review_due_at, "outcome": obj.outcome,
                        "decision_note": obj.decision_note})


@router.post("/objections/{int:oid}/decide", response=ApplicationDetailOut, auth=staff_auth)
def decide_objection(request: HttpRequest, oid: int, payload: DecideIn):
    objection = selectors.access_objection(user=request.auth, pk=oid)  # type: ignore[attr-defined]
    services.legalaid_decide_objection(objection=objection, actor=request.auth, outcome=payload.outcome,  # type: ignore[attr-defined]
                                       note=payload.note)
    return _detail(objection.application)


@router.post("/{int:pk}/finalize", response=ApplicationDetailOut, auth=staff_auth)
def finalize(request: HttpRequest, pk: int):
    return _detail(services.legalaid_finalize(app=_app(request, pk), actor=request.auth))  # type: ignore[attr-defined]


@router.post("/{int:pk}/closing-report", response=ApplicationDetailOut, auth=staff_auth)
def closing_report(request: HttpRequest, pk: int, payload: ClosingIn):
    app = _app(request, pk)
    services.legalaid_report_closing(app=app, actor=request.auth, outcome=payload.outcome,  # type: ignore[attr-defined]
                                     documents=payload.documents, extra_costs=payload.extra_costs)
    return _detail(app)


@router.post("/{int:pk}/quality-review", response=ApplicationDetailOut, auth=staff_auth)
def quality_review(request: HttpRequest, pk: int, payload: QualityIn):
    app = _app(request, pk)
    services.legalaid_review_quality(app=app, actor=request.auth, grade=payload.grade,  # type: ignore[attr-defined]
                                     methods=payload.methods, opinion=payload.opinion)
    return _detail(app)
