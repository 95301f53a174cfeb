"""People's mediation API (mounted at /api/mediation/): one endpoint per transition, the
agreement as PDF. Out-of-region answers 404 like a missing record."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status

from fawang.accounts.models import User
from fawang.cases.schemas import PartyIn
from fawang.cases.services import party_create
from fawang.core.api_auth import staff_auth, user_auth
from fawang.core.errors import DomainError, NotFoundOrForbidden
from fawang.core.permissions import access_object, is_staff_user, require_permission
from fawang.core.scoping import restrict
from fawang.mediation import permissions, services
from fawang.mediation.documents import agreement_pdf
from fawang.mediation.models import Agreement, Mediation
from fawang.regions.models import ServicePoint

router = Router(tags=["人民调解"])


class MediationPartyIn(PartyIn):
    role: str


class ApplyIn(Schema):
    parties: list[MediationPartyIn]
    summary: str
    channel: str
    dispute_type: str = "other"
    source: str = "application"
    referral_body: str = ""
    referral_number: str = ""
    committee_id: int | None = None
    service_point_code: str = ""
    region_code: str = ""
    is_public: bool = False
    idempotency_key: str = ""


class PartyOut(Schema):
    party_id: int
    name: str
    role: str
    consented: bool
    refused: bool


class AgreementOut(Schema):
    number: str
    form: str
    terms: str
    performance_deadline: dt.date | None
    effective_on: dt.date | None
    confirmation_due_on: dt.date | None


class MediationOut(Schema):
    id: int
    case_number: str
    status: str
    status_label: str
    source: str
    dispute_type: str
    summary: str
    region_code: str
    committee_name: str
    accepted_at: dt.datetime | None
    due_on: dt.date | None
    time_limit_days: int
    risk_level: str
    failure_reason: str
    remedies_notice: str
    parties: list[PartyOut]
    mediators: list[str]
    agreement: AgreementOut | None


def _out(m: Mediation) -> dict[str, Any]:
    m.refresh_from_db()
    agreement = Agreement.objects.filter(mediation=m).first()
    return {
        "id": m.pk, "case_number": m.case.number, "status": m.status, "status_label": m.get_status_display(),
        "source": m.source, "dispute_type": m.dispute_type, "summary": m.summary, "region_code": m.region_code,
        "committee_name": m.committee_name, "accepted_at": m.accepted_at, "due_on": m.due_on,
        "time_limit_days": m.time_limit_days, "risk_level": m.risk_level, "failure_reason": m.failure_reason,
        "remedies_notice": m.remedies_notice,
        "parties": [{"party_id": r.party_id, "name": r.party.masked_name, "role": r.role, "consented": r.consented,
                     "refused": r.refused} for r in m.parties.select_related("party")],
        "mediators": list(m.mediators.values_list("mediator_name", flat=True)),
        "agreement": None if agreement is None else {
            "number": agreement.number, "form": agreement.form, "terms": agreement.terms,
            "performance_deadline": agreement.performance_deadline, "effective_on": agreement.effective_on,
            "confirmation_due_on": agreement.confirmation_due_on},
    }


def _get(request: HttpRequest, pk: int) -> Mediation:
    user = request.auth  # type: ignore[attr-defined]
    if is_staff_user(user):
        return access_object(Mediation.objects.select_related("case"), user, pk, action="case.view")
    m = Mediation.objects.select_related("case").filter(pk=pk, case__citizen_user=user).first()
    if m is None:
        raise NotFoundOrForbidden()
    return m


def _party_of(m: Mediation, party_id: int) -> Any:
    row = m.parties.select_related("party").filter(party_id=party_id).first()
    if row is None:
        raise DomainError("party_unknown", _("该当事人不是本纠纷的当事人。"), field="party_id")
    return row.party


@router.get("/", response=list[MediationOut], auth=staff_auth)
def list_mediations(request: HttpRequest, status: str | None = None, limit: int = 50, offset: int = 0):
    user = request.auth  # type: ignore[attr-defined]
    require_permission(user, "case.view")
    qs = restrict(Mediation.objects.select_related("case"), user).order_by("due_on", "-id")
    if status:
        qs = qs.filter(status=status)
    return [_out(m) for m in qs[offset:offset + max(1, min(limit, 200))]]


@router.get("/{int:pk}", response=MediationOut, auth=user_auth)
def get_mediation(request: HttpRequest, pk: int):
    return _out(_get(request, pk))


@router.post("/", response={200: MediationOut, 201: MediationOut}, auth=user_auth)
def apply(request: HttpRequest, payload: ApplyIn):
    """第十七条/第十八条: application, the committee's initiative or a referral."""
    from fawang.directory.models import Institution

    user = request.auth  # type: ignore[attr-defined]
    staff = is_staff_user(user)
    point = None
    if payload.service_point_code:
        point = ServicePoint.objects.filter(code=payload.service_point_code, is_active=True).first()
        if point is None:
            raise DomainError("service_point_invalid", _("请选择运行中的服务点。"), field="service_point_code")
    region = point.region_code if point else payload.region_code
    key = request.headers.get("Idempotency-Key", "") or payload.idempotency_key
    if key:
        existing = Mediation.objects.filter(case__idempotency_key=key).first()
        if existing is not None:
            return Status(200, _out(_get(request, existing.pk)))
    committee = None
    if payload.committee_id is not None:
        committee = Institution.objects.filter(pk=payload.committee_id).first()
        if committee is None:
            raise DomainError("committee_invalid", _("请选择人民调解委员会。"), field="committee_id")
    parties = [
        (party_create(**p.model_dump(exclude={"role"}), region_code=region), p.role)
        for p in payload.parties
    ]
    m = services.mediation_apply(
        actor=user, parties=parties, summary=payload.summary, channel=payload.channel,
        dispute_type=payload.dispute_type, source=payload.source, referral_body=payload.referral_body,
        referral_number=payload.referral_number, committee=committee, service_point=point, region_code=region,
        citizen_user=None if staff else user, idempotency_key=key or None, is_public=payload.is_public,
    )
    return Status(201, _out(m))


class ConsentIn(Schema):
    party_id: int
    consents: bool


class RefuseIn(Schema):
    party_id: int
    note: str = ""


class AcceptIn(Schema):
    time_limit_days: int | None = None


class MediatorsIn(Schema):
    practitioner_ids: list[int]
    selection: str = "designated"
    lead_username: str = ""


class InviteIn(Schema):
    name: str
    relation: str
    parties_consented: bool = False


class RecordIn(Schema):
    content: str
    place: str = ""
    attendees: str = ""


class RiskIn(Schema):
    level: str
    description: str
    measures: str = ""
    reported_to: str = ""


class FailIn(Schema):
    reason: str = "no_agreement"
    note: str = ""


class AgreementIn(Schema):
    facts: str = ""
    issues: str = ""
    responsibilities: str = ""
    terms: str
    performance_manner: str = ""
    performance_deadline: dt.date | None = None
    form: str = "written"


class SignIn(Schema):
    all_parties_signed: bool
    mediator_signed: bool
    committee_sealed: bool


class ConfirmationIn(Schema):
    confirmed_on: dt.date
    valid: bool = True


class PerformanceIn(Schema):
    result: str
    note: str = ""


@router.post("/{int:pk}/consent", response=MediationOut, auth=staff_auth)
def consent(request: HttpRequest, pk: int, payload: ConsentIn):
    m = _get(request, pk)
    return _out(services.mediation_record_consent(mediation=m, actor=request.auth,  # type: ignore[attr-defined]
                                                  party=_party_of(m, payload.party_id), consents=payload.consents))


@router.post("/{int:pk}/refuse", response=MediationOut, auth=staff_auth)
def refuse(request: HttpRequest, pk: int, payload: RefuseIn):
    m = _get(request, pk)
    return _out(services.mediation_refuse(mediation=m, actor=request.auth,  # type: ignore[attr-defined]
                                          party=_party_of(m, payload.party_id), note=payload.note))


@router.post("/{int:pk}/accept", response=MediationOut, auth=staff_auth)
def accept(request: HttpRequest, pk: int, payload: AcceptIn):
    return _out(services.mediation_accept(mediation=_get(request, pk), actor=request.auth,  # type: ignore[attr-defined]
                                          time_limit_days=payload.time_limit_days))


@router.post("/{int:pk}/mediators", response=MediationOut, auth=staff_auth)
def assign_mediators(request: HttpRequest, pk: int, payload: MediatorsIn):
    from fawang.directory.models import Practitioner

    m = _get(request, pk)
    found = {p.pk: p for p in Practitioner.objects.filter(pk__in=payload.practitioner_ids)}
    if len(found) != len(set(payload.practitioner_ids)):
        raise DomainError("mediator_invalid", _("所选人民调解员不存在。"), field="practitioner_ids")
    lead = None
    if payload.lead_username:
        lead = User.objects.filter(username=payload.lead_username, is_active=True).first()
        if lead is None:
            raise DomainError("lead_user_invalid", _("主持调解员账号不存在。"), field="lead_username")
    services.mediation_assign_mediators(mediation=m, actor=request.auth,  # type: ignore[attr-defined]
                                        mediators=[found[i] for i in payload.practitioner_ids],
                                        selection=payload.selection, lead_user=lead)
    return _out(m)


@router.post("/{int:pk}/participants", response=MediationOut, auth=staff_auth)
def invite(request: HttpRequest, pk: int, payload: InviteIn):
    m = _get(request, pk)
    services.mediation_invite(mediation=m, actor=request.auth, name=payload.name, relation=payload.relation,  # type: ignore[attr-defined]
                              parties_consented=payload.parties_consented)
    return _out(m)


@router.post("/{int:pk}/records", response=MediationOut, auth=staff_auth)
def record(request: HttpRequest, pk: int, payload: RecordIn):
    m = _get(request, pk)
    services.mediation_record_session(mediation=m, actor=request.auth, content=payload.content,  # type: ignore[attr-defined]
                                      place=payload.place, attendees=payload.attendees)
    return _out(m)


@router.post("/{int:pk}/risks", response=MediationOut, auth=staff_auth)
def report_risk(request: HttpRequest, pk: int, payload: RiskIn):
    m = _get(request, pk)
    services.mediation_report_risk(mediation=m, actor=request.auth, level=payload.level,  # type: ignore[attr-defined]
                                   description=payload.description, measures=payload.measures,
                                   reported_to=payload.reported_to)
    return _out(m)


@router.post("/{int:pk}/fail", response=MediationOut, auth=staff_auth)
def fail(request: HttpRequest, pk: int, payload: FailIn):
    return _out(services.mediation_fail(mediation=_get(request, pk), actor=request.auth,  # type: ignore[attr-defined]
                                        reason=payload.reason, note=payload.note))


@router.post("/{int:pk}/agreement", response=MediationOut, auth=staff_auth)
def agree(request: HttpRequest, pk: int, payload: AgreementIn):
    m = _get(request, pk)
    services.mediation_agree(mediation=m, actor=request.auth, facts=payload.facts, issues=payload.issues,  # type: ignore[attr-defined]
                             responsibilities=payload.responsibilities, terms=payload.terms,
                             performance_manner=payload.performance_manner,
                             performance_deadline=payload.performance_deadline, form=payload.form)
    return _out(m)


@router.post("/{int:pk}/agreement/sign", response=MediationOut, auth=staff_auth)
def sign(request: HttpRequest, pk: int, payload: SignIn):
    m = _get(request, pk)
    services.mediation_sign_agreement(mediation=m, actor=request.auth,  # type: ignore[attr-defined]
                                      all_parties_signed=payload.all_parties_signed,
                                      mediator_signed=payload.mediator_signed,
                                      committee_sealed=payload.committee_sealed)
    return _out(m)


@router.get("/{int:pk}/agreement.pdf", auth=user_auth)
def agreement_document(request: HttpRequest, pk: int):
    """第二十九条: the agreement for signing (parties, facts, terms, performance). It carries the
    parties' ID numbers and addresses in full: only those handling the mediation get it."""
    m = _get(request, pk)
    user = request.auth  # type: ignore[attr-defined]
    agreement = Agreement.objects.filter(mediation=m).first()
    if agreement is None:
        raise NotFoundOrForbidden()
    permissions.require_agreement_reader(user=user, mediation=m)
    response = HttpResponse(agreement_pdf(agreement), content_type="application/pdf")
    permissions.audit_agreement_download(user=user, mediation=m, agreement=agreement)
    response["Content-Disposition"] = f'inline; filename="{agreement.number}.pdf"'
    return response


@router.post("/{int:pk}/performance", response=MediationOut, auth=staff_auth)
def performance(request: HttpRequest, pk: int, payload: PerformanceIn):
    m = _get(request, pk)
    services.mediation_check_performance(mediation=m, actor=request.auth, result=payload.result,  # type: ignore[attr-defined]
                                         note=payload.note)
    return _out(m)


@router.post("/{int:pk}/agreement/confirmation", response=MediationOut, auth=staff_auth)
def judicial_confirmation(request: HttpRequest, pk: int, payload: ConfirmationIn):
    """第三十三条: record the court's judicial confirmation of the agreement."""
    m = _get(request, pk)
    services.mediation_record_confirmation(mediation=m, actor=request.auth, confirmed_on=payload.confirmed_on,  # type: ignore[attr-defined]
                                           valid=payload.valid)
    return _out(m)
