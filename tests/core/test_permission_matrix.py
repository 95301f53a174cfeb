"""Region isolation, tested for every registered endpoint.

For each staff role, a user of county A asking for county B's object gets 401/403/404 (an admin
page answers 404, as for a missing id, never a redirect; only someone without a staff account
may be sent to sign in) and never the data, and a request that would change B's object
leaves it untouched; the Zhengzhou city supervisor sees both counties alike; and a county-A user
whose role holds the endpoint's action sees county A's own object (positive control, so the test
cannot pass by denying everything). Endpoints without a declared action must be reachable on
county A's object by at least one county-A role.

To cover a new endpoint, append an ``Endpoint`` to ``ENDPOINTS``: a factory that returns one
object in a given county (and a marker string that appears in the response only if the
object's data leaked), a URL builder, the role-table action that grants access, and the
operation keys it ``covers``. Every object operation of the cases, legal aid, mediation,
complaints and consultation-line APIs, and every action of their staff pages, is added
automatically (``generated_api_endpoints`` / ``generated_page_endpoints``) with one body that
passes every schema. ``test_every_endpoint_is_in_the_matrix`` fails for any API operation, page
or region-bound admin model that is neither covered nor listed (with the reason) in
``PUBLIC_ENDPOINTS`` / ``SELF_SCOPED_ENDPOINTS`` / ``REFERENCE_ADMIN_MODELS``.

The two-county world and every business object are built ONCE per module (one outer
transaction, rolled back at the end); each request runs in its own savepoint that is rolled
back, so one role's successful transition never changes what the next role sees.
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.contrib import admin
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from directory.conftest import make_credit_code, make_lawyer_licence  # tests/directory, on sys.path
from fawang.accounts.models import Role, User
from fawang.core.audit import audit_record
from fawang.core.models import AuditEntry, OutboxMessage
from fawang.core.outbox import outbox_enqueue
from fawang.core.permissions import has_permission
from fawang.regions.models import ServicePoint

from .conftest import COUNTY_A, COUNTY_B, World, build_world

pytestmark = pytest.mark.django_db

OBJECT, LIST = "object", "list"


@dataclass(frozen=True)
class Endpoint:
    name: str
    # (world, county code, side "A"/"B") -> (object, marker text that only a leak would show; "" = none)
    factory: Callable[[World, str, str], tuple[Any, str]]
    url: Callable[[Any], str]
    action: str | None  # the role-table action that grants access (None: some county-A role must reach it)
    method: str = "get"
    payload: Callable[[Any], dict[str, Any]] | None = None
    requires_admin_model: type | None = None  # skip when that model has no admin registration
    # OBJECT: B's object must be refused outright; LIST: a 200 with the user's own rows is fine
    kind: str = OBJECT
    covers: tuple[str, ...] = ()  # API operation keys ("GET /api/…"), "page <route>", "admin <model label>"
    form: bool = False  # a page form POST instead of a JSON body
    reachable: bool = True  # False: no county-A staff role can act on it in this world (see reason in ENDPOINTS)
    shows_own: bool = True  # False: a page that lists no existing object (an intake form): 200 is enough
    expensive: bool = False  # a PDF: the positive control stops at the first role that gets it (slow render)


# --- factories -------------------------------------------------------------------------------

def make_user(world: World, county: str, side: str) -> tuple[User, str]:
    user = world.user(f"{side}:window_clerk")
    return user, user.real_name


def make_audit(world: World, county: str, side: str) -> tuple[AuditEntry, str]:
    marker = f"审计标记{side}{county}"
    entry = audit_record(actor=None, action="export", region_code=county, detail=marker, object_repr=marker)
    return entry, marker


def _outbox(county: str, side: str) -> OutboxMessage:
    phone = "13800000001" if side == "A" else "13900000002"
    return outbox_enqueue(channel="sms", recipient=phone, subject=f"受理通知{side}{county}", body="您的申请已受理",
                          idempotency_key=f"matrix-{side}", region_code=county)


def make_outbox(world: World, county: str, side: str) -> tuple[OutboxMessage, str]:
    message = _outbox(county, side)
    return message, message.subject


def make_outbox_phone(world: World, county: str, side: str) -> tuple[OutboxMessage, str]:
    message = _outbox(county, side)
    return message, message.recipient


def make_point(world: World, county: str, side: str) -> tuple[ServicePoint, str]:
    point = world.points[county]
    return point, point.name


def built(kind: str, marker: Callable[[Any], str] = lambda o: o.case.number) -> Callable[[World, str, str],
                                                                                          tuple[Any, str]]:
    """A factory returning the object of ``kind`` built once for the module (see ``build_objects``)."""
    def factory(world: World, county: str, side: str) -> tuple[Any, str]:
        obj = world.objects[(kind, side)]  # type: ignore[attr-defined]
        return obj, marker(obj)
    return factory


def change_url(model: str) -> Callable[[Any], str]:
    return lambda obj: f"/admin/{model}/{obj.pk}/change/"


def list_url(url: str) -> Callable[[Any], str]:
    return lambda obj: url


# --- the objects, one per county -----------------------------------------------------------------

ID_NUMBERS = {"A": ["410105198506120043", "410102199003071230"], "B": ["410103197201010057", "11010519491231002X"]}
PHONES = {"A": "13800138001", "B": "13900139002"}


def build_objects(world: World) -> dict[tuple[str, str], Any]:
    from fawang.cases.models import Case
    from fawang.cases.services import case_create, party_create
    from fawang.catalog.models import ServiceBundle, ServiceItem
    from fawang.catalog.services import catalog_load
    from fawang.complaints.services import complaint_register
    from fawang.consultation import services_line as consultation_line
    from fawang.consultation.models import SmartConsultation
    from fawang.consultation.services import callback_request_create
    from fawang.directory import services as directory
    from fawang.legalaid import services as legalaid
    from fawang.mediation import services as mediation
    from fawang.portal.models import HotTopicsDigest, WechatFollower, WechatMessage

    catalog_load()
    objects: dict[tuple[str, str], Any] = {("bundle", side): ServiceBundle.objects.order_by("code").first()
                                           for side in "AB"}
    for side, county in (("A", COUNTY_A), ("B", COUNTY_B)):
        center = world.points[county]
        station = next(p for code, p in world.points.items() if len(code) == 9 and code.startswith(county))
        clerk = world.user(f"{side}:window_clerk")
        first, second = ID_NUMBERS[side]
        applicant = party_create(name=f"申请人{side}甲", id_number=first, phone=PHONES[side], region_code=county)
        other = party_create(name=f"当事人{side}乙", id_number=second, phone="13700137000", region_code=county)
        case = case_create(item=ServiceItem.objects.get(code="GGFL-ZX-001"), channel="window", applicant=applicant,
                           service_point=center, actor=clerk)
        objects[("case", side)] = Case.objects.get(pk=case.pk)
        objects[("party", side)] = applicant

        app = legalaid.legalaid_apply(actor=clerk, applicant=other, channel="window", service_point=center,
                                      matter="pension")
        app = legalaid.legalaid_receive(app=app, actor=world.user(f"{side}:legal_aid_reviewer"))
        app = legalaid.legalaid_refuse(app=app, actor=world.user(f"{side}:legal_aid_approver"), reasons="不符合条件")
        objects[("objection", side)] = legalaid.legalaid_object(app=app, actor=clerk, grounds="不服决定")
        objects[("legalaid", side)] = app

        objects[("mediation", side)] = mediation.mediation_apply(
            actor=clerk, parties=[(applicant, "applicant"), (other, "respondent")], summary=f"邻里纠纷{side}",
            channel="window", service_point=station)
        objects[("complaint", side)] = complaint_register(
            channel="hotline", content=f"窗口推诿{side}", complainant=applicant, actor=clerk, service_point=center,
            target_kind="staff", target_staff=clerk)

        firm = directory.institution_create(actor=None, kind="law_firm", name=f"矩阵{side}律师事务所",
                                            division_code=county, credit_code=make_credit_code(),
                                            licence_number=f"2{county}{side == 'A':d}{len(side):09d}")
        objects[("institution", side)] = firm
        objects[("practitioner", side)] = directory.practitioner_create(
            actor=None, kind="lawyer", name=f"矩阵律师{side}", institution_id=firm.pk,
            licence_number=make_lawyer_licence(), phone=PHONES[side])
        objects[("credit", side)] = directory.credit_record_create(
            actor=None, kind="award", institution=firm, decided_on=datetime.date(2026, 1, 5),
            issuing_authority="司法局", summary=f"表彰记录{side}")

        objects[("consultation", side)] = SmartConsultation.objects.create(
            question=f"矩阵咨询问题{side}", channel="web", category="labor", answer_text="答复", region_code=county,
            service_point=center, case_number=case.number)
        objects[("callback", side)] = callback_request_create(name=f"回访人{side}", phone=PHONES[side],
                                                              region_code=county)
        objects[("point", side)] = center
        follower = WechatFollower.objects.create(openid=f"matrix-openid-{side}", region_code=county,
                                                 service_point=center)
        objects[("wechat follower", side)] = follower
        objects[("hot digest", side)] = HotTopicsDigest.objects.create(
            period="2026-12", region_code=county, text=f"热点推送{side}", recipients=2)
        objects[("wechat message", side)] = WechatMessage.objects.create(
            message_key=f"msg:matrix-{side}", follower=follower, kind="text", text=f"微信咨询问题{side}")
        objects[("line", side)] = consultation_line.consultation_record(
            actor=world.user(f"{side}:hotline_agent"), question=f"热线咨询问题{side}", channel="hotline",
            applicant=applicant, service_point=center, keep_open=True)

        committee = directory.institution_create(actor=None, kind="mediation_committee", mediation_kind="township",
                                                 name=f"矩阵{side}人民调解委员会", division_code=station.region_code)
        mediators = [directory.practitioner_create(actor=None, kind="mediator", name=f"调解员{side}{n}",
                                                   institution_id=committee.pk) for n in (1, 2)]
        mediator = world.user(f"{side}:mediator")
        agreed = mediation.mediation_apply(
            actor=clerk, parties=[(applicant, "applicant"), (other, "respondent")], summary=f"漏水纠纷{side}",
            channel="window", service_point=station, committee=committee)
        mediation.mediation_accept(mediation=agreed, actor=mediator)
        mediation.mediation_assign_mediators(mediation=agreed, actor=mediator, mediators=mediators)
        mediation.mediation_agree(mediation=agreed, actor=mediator, facts="装修漏水。", issues="维修费承担。",
                                  responsibilities="对方承担。", terms="赔偿3000元。", performance_manner="银行转账",
                                  performance_deadline=datetime.date(2026, 12, 31))
        mediation.mediation_sign_agreement(mediation=agreed, actor=mediator, all_parties_signed=True,
                                           mediator_signed=True, committee_sealed=True, on=datetime.date(2026, 1, 16))
        objects[("agreed", side)] = agreed

    # No Django model permission is granted: every admin takes its rights from the role table
    # (``fawang.core.admin.RoleAdminMixin``), so the roles alone decide who reaches what.
    return objects


# --- request bodies -------------------------------------------------------------------------------

# One JSON body that passes the schema of every transition, so the answer is about scope, not
# validation (a 422 on county B's object fails the test: it must be refused before anything else).
BODY: dict[str, Any] = {
    # cases
    "handler_username": "", "materials": ["身份证件"], "note": "说明", "to_service_point_code": f"SP{COUNTY_A}",
    "reason": "no_agreement", "escalate": False, "result": "performed", "text": "备注", "attitude": 5,
    "efficiency": 5, "professionalism": 5, "comment": "", "channel": "window", "field": "phone",
    "purpose": "核实身份",
    # complaints
    "findings": "已核实", "substantiated": True, "approve": True, "opinion": "", "reply": "答复意见",
    # legal aid
    "reasons": "理由", "grounds": "异议", "outcome": "upheld", "content": "情况", "ground": "own_lawyer",
    "grade": "good", "methods": [], "center_code": f"SP{COUNTY_A}", "received": [], "documents": [], "days": 10,
    # mediation
    "party_id": 1, "consents": True, "time_limit_days": 30, "practitioner_ids": [], "selection": "designated",
    "name": "王五", "relation": "邻居", "parties_consented": True, "level": "low", "description": "情况",
    "terms": "内容", "all_parties_signed": True, "mediator_signed": True, "committee_sealed": True,
    "confirmed_on": "2026-01-20",
    # the consultation line
    "question": "追问的问题", "answer": "答复内容", "citations": [], "summary": "办结意见", "target": "mediation",
    "lawyer_username": "", "category": "合同纠纷",
}
FORM: dict[str, Any] = {k: v for k, v in BODY.items() if not isinstance(v, bool) and v != []}
PERSON = {"name": "新申请人", "phone": "13600136000"}


def body(obj: Any) -> dict[str, Any]:
    return BODY


def create_at(extra: dict[str, Any]) -> Callable[[Any], dict[str, Any]]:
    """A create request aimed at the given service point (county B's must be refused to A's staff)."""
    return lambda point: {**extra, "service_point_code": point.code}


def api(method: str, path: str) -> str:
    return f"{method.upper()} /api/{path}"


# --- the matrix ---------------------------------------------------------------------------------

case = built("case", lambda o: o.number)
legal_aid = built("legalaid")
mediation_ = built("mediation")
complaint = built("complaint")
institution = built("institution", lambda o: o.name)
practitioner = built("practitioner", lambda o: o.name)
practitioner_phone = built("practitioner", lambda o: o.phone)
credit = built("credit", lambda o: o.summary)
consultation = built("consultation", lambda o: o.question)
callback = built("callback", lambda o: o.name)
party = built("party", lambda o: o.name)
point = built("point", lambda o: o.name)
line_question = built("line", lambda o: o.question)
wechat_follower = built("wechat follower", lambda o: o.openid)
wechat_message = built("wechat message", lambda o: o.text)
hot_digest = built("hot digest", lambda o: o.text)

ENDPOINTS: list[Endpoint] = [
    # core
    Endpoint("admin user change", make_user, change_url("accounts/user"), "user.manage"),
    Endpoint("admin user changelist", make_user, list_url("/admin/accounts/user/"), "user.manage", kind=LIST),
    Endpoint("admin audit change", make_audit, change_url("core/auditentry"), "audit.view",
             covers=("admin core.auditentry",)),
    Endpoint("admin audit changelist", make_audit, list_url("/admin/core/auditentry/"), "audit.view", kind=LIST),
    Endpoint("admin outbox change", make_outbox, change_url("core/outboxmessage"), "outbox.view",
             covers=("admin core.outboxmessage",)),
    Endpoint("admin service point change", make_point, change_url("regions/servicepoint"), "directory.view",
             requires_admin_model=ServicePoint, covers=("admin regions.servicepoint",)),
    Endpoint("api audit list", make_audit, list_url("/api/core/audit/"), "audit.view", kind=LIST,
             covers=(api("get", "core/audit/"),)),
    Endpoint(
        "api pii reveal", make_outbox_phone, list_url("/api/core/pii/reveal"), "pii.reveal", method="post",
        payload=lambda obj: {"model": "core.outboxmessage", "id": str(obj.pk), "field": "recipient"},
        covers=(api("post", "core/pii/reveal"),),
    ),
    # regions: the construction-standards report lists the points below standard in the user's region
    Endpoint("api regions standards", point, list_url("/api/regions/standards"), None, kind=LIST,
             covers=(api("get", "regions/standards"),)),
    # directory staff API
    Endpoint("api directory staff institutions", institution, list_url("/api/directory/staff/institutions"),
             "directory.edit", kind=LIST, covers=(api("get", "directory/staff/institutions"),)),
    Endpoint("api directory staff practitioners", practitioner, list_url("/api/directory/staff/practitioners"),
             "directory.edit", kind=LIST, covers=(api("get", "directory/staff/practitioners"),)),
    Endpoint("api directory phone reveal", practitioner_phone,
             lambda o: f"/api/directory/staff/practitioners/{o.pk}/phone", "directory.edit",
             covers=(api("get", "directory/staff/practitioners/{practitioner_id}/phone"),)),
    Endpoint("api directory institution update", institution, lambda o: f"/api/directory/institutions/{o.pk}",
             "directory.edit", method="patch", payload=lambda o: {"phone": "0371-12348"},
             covers=(api("patch", "directory/institutions/{institution_id}"),)),
    Endpoint("api directory practitioner update", practitioner, lambda o: f"/api/directory/practitioners/{o.pk}",
             "directory.edit", method="patch", payload=lambda o: {"current_load": 1},
             covers=(api("patch", "directory/practitioners/{practitioner_id}"),)),
    Endpoint("api directory institution create", institution, list_url("/api/directory/institutions"),
             "directory.edit", method="post",
             payload=lambda o: {"kind": "legal_aid_center", "name": f"新中心{o.region_code}",
                                "division_code": o.region_code,
                                "credit_code": make_credit_code("12410105")},
             covers=(api("post", "directory/institutions"),)),
    Endpoint("api directory practitioner create", institution, list_url("/api/directory/practitioners"),
             "directory.edit", method="post",
             payload=lambda o: {"kind": "lawyer", "name": "新律师", "institution_id": o.pk,
                                "licence_number": make_lawyer_licence()},
             covers=(api("post", "directory/practitioners"),)),
    Endpoint("api directory credit record create", institution, list_url("/api/directory/credit-records"),
             "directory.edit", method="post",
             payload=lambda o: {"kind": "award", "institution_id": o.pk, "decided_on": "2026-01-05",
                                "issuing_authority": "司法局", "summary": "表彰"},
             covers=(api("post", "directory/credit-records"),)),
    Endpoint("admin institution change", institution, change_url("directory/institution"), None,
             covers=("admin directory.institution",)),
    Endpoint("admin practitioner change", practitioner, change_url("directory/practitioner"), None,
             covers=("admin directory.practitioner",)),
    Endpoint("admin credit record change", credit, change_url("directory/creditrecord"), None,
             covers=("admin directory.creditrecord",)),
    # cases
    Endpoint("api case list", case, list_url("/api/cases/"), "case.view", kind=LIST,
             covers=(api("get", "cases/"),)),
    Endpoint("api case detail", case, lambda o: f"/api/cases/{o.number}", "case.view",
             covers=(api("get", "cases/{number}"),)),
    Endpoint("api case create", point, list_url("/api/cases/"), "case.intake", method="post",
             payload=create_at({"item_code": "GGFL-ZX-001", "channel": "window", "applicant": PERSON}),
             covers=(api("post", "cases/"),)),
    Endpoint("api case bundle create", point, list_url("/api/cases/bundles/GGFL-TC-001"), "case.intake",
             method="post", payload=create_at({"channel": "window", "applicant": PERSON, "form_data": {
                 "employer": "某建筑公司", "amount_owed": 5000, "work_period": "2025年3月至10月",
                 "dispute_summary": "拖欠工资，请求支付"}}),
             covers=(api("post", "cases/bundles/{code}"),)),
    # the queue lists the cases of the user's point or desk (a lawyer sees only the cases given to them)
    Endpoint("page case queue", case, list_url("/staff/cases/"), None, kind=LIST,
             covers=("page staff/cases/",)),
    Endpoint("page case detail", case, lambda o: f"/staff/cases/{o.number}/", "case.view",
             covers=("page staff/cases/<str:number>/",)),
    # the intake pages show no existing case: B's case must not appear, any intake role gets the form
    Endpoint("page case intake", case, list_url("/staff/cases/intake/"), None, kind=LIST, shows_own=False,
             covers=("page staff/cases/intake/",)),
    Endpoint("page case intake item", case, list_url("/staff/cases/intake/item/?item=GGFL-ZX-001"), None,
             kind=LIST, shows_own=False, covers=("page staff/cases/intake/item/",)),
    Endpoint("admin case change", case, change_url("cases/case"), None, covers=("admin cases.case",)),
    Endpoint("admin party change", party, change_url("cases/party"), None, covers=("admin cases.party",)),
    # legal aid
    Endpoint("api legalaid list", legal_aid, list_url("/api/legalaid/"), None, kind=LIST,
             covers=(api("get", "legalaid/"),)),
    Endpoint("api legalaid detail", legal_aid, lambda o: f"/api/legalaid/{o.pk}", None,
             covers=(api("get", "legalaid/{pk}"),)),
    Endpoint("api legalaid apply", point, list_url("/api/legalaid/"), "legalaid.intake", method="post",
             payload=create_at({"applicant": PERSON, "matter": "pension", "channel": "window"}),
             covers=(api("post", "legalaid/"),)),
    Endpoint("api legalaid notification", point, list_url("/api/legalaid/notifications"), "legalaid.intake",
             method="post",
             payload=lambda p: {"notifier": "court", "notifier_name": "某法院", "notice_number": "（2026）豫01刑初1号",
                                "defendant": PERSON, "center_code": p.code},
             covers=(api("post", "legalaid/notifications"),)),
    Endpoint("page legalaid queue", legal_aid, list_url("/legalaid/?queue=objections"), None, kind=LIST,
             covers=("page legalaid/",)),
    Endpoint("page legalaid detail", legal_aid, lambda o: f"/legalaid/{o.pk}/", None,
             covers=("page legalaid/<int:pk>/",)),
    Endpoint("admin legalaid change", legal_aid, change_url("legalaid/legalaidapplication"), None,
             covers=("admin legalaid.legalaidapplication",)),
    # mediation
    Endpoint("api mediation list", mediation_, list_url("/api/mediation/"), "mediation.handle", kind=LIST,
             covers=(api("get", "mediation/"),)),
    Endpoint("api mediation detail", mediation_, lambda o: f"/api/mediation/{o.pk}", "mediation.handle",
             covers=(api("get", "mediation/{pk}"),)),
    Endpoint("api mediation apply", point, list_url("/api/mediation/"), None, method="post",
             payload=create_at({"parties": [{**PERSON, "role": "applicant"}, {"name": "对方", "role": "respondent"}],
                                "summary": "纠纷", "channel": "window"}),
             covers=(api("post", "mediation/"),)),
    Endpoint("page mediation list", mediation_, list_url("/mediation/"), "mediation.handle", kind=LIST,
             covers=("page mediation/",)),
    Endpoint("page mediation detail", mediation_, lambda o: f"/mediation/{o.pk}/", "mediation.handle",
             covers=("page mediation/<int:pk>/",)),
    Endpoint("admin mediation change", mediation_, change_url("mediation/mediation"), None,
             covers=("admin mediation.mediation",)),
    # complaints
    Endpoint("api complaint list", complaint, list_url("/api/complaints/"), "complaint.handle", kind=LIST,
             covers=(api("get", "complaints/"),)),
    Endpoint("api complaint detail", complaint, lambda o: f"/api/complaints/{o.case.number}", "complaint.handle",
             covers=(api("get", "complaints/{number}"),)),
    Endpoint("api complaint register", point, list_url("/api/complaints/"), None, method="post",
             payload=create_at({"channel": "window", "content": "投诉内容", "complainant": {"name": "某人"}}),
             covers=(api("post", "complaints/"),)),
    Endpoint("admin complaint change", complaint, change_url("complaints/complaint"), None,
             covers=("admin complaints.complaint",)),
    # consultation (staff indexes of the region's consultations and call-back requests)
    Endpoint("api consultation index", consultation, list_url("/api/consultation/consultations"),
             "consultation.answer", kind=LIST, covers=(api("get", "consultation/consultations"),)),
    Endpoint("api callback index", callback, list_url("/api/consultation/callbacks"), None, kind=LIST,
             covers=(api("get", "consultation/callbacks"),)),
    # list filters naming county B's region (or its objects' status) must not widen the scope
    Endpoint("api audit list filtered to the region", make_audit,
             lambda o: f"/api/core/audit/?region_code={o.region_code}", "audit.view", kind=LIST),
    Endpoint("api regions standards filtered to the region", point,
             lambda o: f"/api/regions/standards?region={o.region_code}", None, kind=LIST),
    Endpoint("api directory staff institutions filtered", institution,
             lambda o: f"/api/directory/staff/institutions?region={o.region_code}&q={o.name}", "directory.edit",
             kind=LIST),
    Endpoint("api directory staff practitioners filtered", practitioner,
             lambda o: f"/api/directory/staff/practitioners?region={o.region_code}", "directory.edit", kind=LIST),
    Endpoint("api case list filtered", case,
             lambda o: f"/api/cases/?item_code={o.item.code}&status={o.status}&open_only=true&limit=200",
             "case.view", kind=LIST),
    Endpoint("api legalaid list filtered", legal_aid, list_url("/api/legalaid/?queue=objections&limit=200"), None,
             kind=LIST),
    Endpoint("api mediation list filtered", mediation_, lambda o: f"/api/mediation/?status={o.status}&limit=200",
             "mediation.handle", kind=LIST),
    Endpoint("api complaint list filtered", complaint, lambda o: f"/api/complaints/?status={o.status}",
             "complaint.handle", kind=LIST),
    Endpoint("api consultation index filtered", consultation,
             lambda o: f"/api/consultation/consultations?category={o.category}&limit=200", "consultation.answer",
             kind=LIST),
    # the consultation line (window and hotline consultations, escalation to lawyers)
    Endpoint("api consultation line list", line_question, list_url("/api/consultation/line/"),
             None, kind=LIST, covers=(api("get", "consultation/line/"),)),
    Endpoint("api consultation line detail", line_question,
             lambda o: f"/api/consultation/line/{o.case.number}", None,
             covers=(api("get", "consultation/line/{number}"),)),
    Endpoint("api consultation line record", point, list_url("/api/consultation/line/"), None,
             method="post", payload=create_at({"question": "咨询的问题", "channel": "window"}),
             covers=(api("post", "consultation/line/"),)),
    Endpoint("api consultation line from smart", consultation,
             lambda o: f"/api/consultation/line/from-smart/{o.public_id}", None, method="post",
             covers=(api("post", "consultation/line/from-smart/{public_id}"),)),
    Endpoint("page consultation line", line_question, list_url("/consult/line/"), None, kind=LIST,
             covers=("page consult/line/",)),
    # the detail page loads its body with htmx: the shell shows the number, the body the question
    Endpoint("page consultation line detail", built("line"), lambda o: f"/consult/line/{o.case.number}/", None,
             covers=("page consult/line/<str:number>/",)),
    Endpoint("page consultation line body", line_question, lambda o: f"/consult/line/{o.case.number}/body/", None,
             covers=("page consult/line/<str:number>/body/",)),
    *[Endpoint(f"page consultation line {act}", line_question, lambda o, a=act: f"/consult/line/{o.case.number}/{a}/",
               None, method="post", payload=lambda o: FORM, form=True,
               covers=("page consult/line/<str:number>/<slug:act>/",))
      for act in ("escalate", "answer", "ask", "close", "category", "convert")],
    Endpoint("admin consultation record change", line_question, change_url("consultation/consultationrecord"), None,
             covers=("admin consultation.consultationrecord",)),
    Endpoint("admin consultation change", consultation, change_url("consultation/smartconsultation"), None,
             covers=("admin consultation.smartconsultation",)),
    Endpoint("admin callback change", callback, change_url("consultation/callbackrequest"), None,
             covers=("admin consultation.callbackrequest",)),
    Endpoint("admin wechat follower change", wechat_follower, change_url("portal/wechatfollower"), None,
             covers=("admin portal.wechatfollower",)),
    Endpoint("admin wechat message change", wechat_message, change_url("portal/wechatmessage"), None,
             covers=("admin portal.wechatmessage",)),
    Endpoint("admin hot topics digest change", hot_digest, change_url("portal/hottopicsdigest"), None,
             covers=("admin portal.hottopicsdigest",)),
]


# --- every transition, generated from the routers and the page action tables ----------------------

_OBJECT_OF_PREFIX = {"/api/cases/": case, "/api/legalaid/": built("legalaid"), "/api/mediation/": mediation_,
                     "/api/complaints/": complaint, "/api/consultation/line/": built("line")}
_OBJECT_OF_OPERATION = {api("get", "mediation/{pk}/agreement.pdf"): built("agreed")}
# Operations nobody in county A's staff can complete on the fixture object: only the applicant
# (a citizen who owns the case) rates a case.
_UNREACHABLE = {api("post", "cases/{number}/rating")}


def _api_operations() -> list[tuple[str, str]]:
    """(METHOD, path) of every operation of the one ninja API, from its OpenAPI description."""
    from fawang.api.urls import api as ninja_api

    schema = ninja_api.get_openapi_schema()
    return sorted((method.upper(), path) for path, ops in schema["paths"].items() for method in ops)


def _fill(path: str) -> Callable[[Any], str]:
    def url(obj: Any) -> str:
        number = obj.number if path.startswith("/api/cases/") else getattr(getattr(obj, "case", None), "number", "")
        filled = path.replace("{pk}", str(obj.pk)).replace("{number}", number).replace("{oid}", str(obj.pk))
        assert "{" not in filled, f"{path}: unknown path parameter, add an explicit Endpoint for it"
        return filled
    return url


def _objection(world: World, county: str, side: str) -> tuple[Any, str]:
    return world.objects[("objection", side)], ""  # type: ignore[attr-defined]


def generated_api_endpoints(covered: set[str]) -> Iterator[Endpoint]:
    for method, path in _api_operations():
        key = f"{method} {path}"
        prefix = next((p for p in _OBJECT_OF_PREFIX if path.startswith(p)), None)
        if key in covered or prefix is None or "{" not in path:
            continue
        factory = _objection if "{oid}" in path else _OBJECT_OF_OPERATION.get(key, _OBJECT_OF_PREFIX[prefix])
        yield Endpoint(f"api {method} {path}", factory, _fill(path), None, method=method.lower(), payload=body,
                       covers=(key,), reachable=key not in _UNREACHABLE, expensive=path.endswith(".pdf"))


def generated_page_endpoints() -> Iterator[Endpoint]:
    from fawang.cases import views as case_views
    from fawang.legalaid import views as legalaid_views
    from fawang.mediation import views as mediation_views

    for name in [*case_views.ACTIONS, "transfer"]:
        yield Endpoint(f"page case {name}", case, lambda o, n=name: f"/staff/cases/{o.number}/{n}/", None,
                       method="post", payload=lambda o: FORM, form=True,
                       covers=("page staff/cases/<str:number>/<str:name>/",))
    for prefix, views, factory in (("legalaid", legalaid_views, legal_aid), ("mediation", mediation_views,
                                                                            mediation_)):
        for name in views.ACTIONS:
            yield Endpoint(f"page {prefix} {name}", factory, lambda o, p=prefix, n=name: f"/{p}/{o.pk}/{n}/", None,
                           method="post", payload=lambda o: FORM, form=True,
                           covers=(f"page {prefix}/<int:pk>/<slug:action>/",))


def _row_link(factory: Callable[[World, str, str], tuple[Any, str]],
              change: Callable[[Any], str]) -> Callable[[World, str, str], tuple[Any, str]]:
    """The same object, marked by the link to its change page (a list row may mask names)."""
    def linked(world: World, county: str, side: str) -> tuple[Any, str]:
        obj, _marker = factory(world, county, side)
        return obj, f'href="{change(obj)}"'
    return linked


def generated_changelists() -> Iterator[Endpoint]:
    """The admin list of every model whose change page is in the matrix."""
    for e in list(ENDPOINTS):
        if e.name.startswith("admin ") and e.name.endswith(" change") and e.action is None:
            app_label, model = e.url(type("Row", (), {"pk": 0})()).split("/")[2:4]
            yield Endpoint(f"{e.name}list", _row_link(e.factory, e.url), list_url(f"/admin/{app_label}/{model}/"),
                           None, kind=LIST)


ENDPOINTS += list(generated_changelists())
ENDPOINTS += list(generated_page_endpoints())
ENDPOINTS += list(generated_api_endpoints({key for e in ENDPOINTS for key in e.covers}))


# --- what is deliberately outside the matrix ------------------------------------------------------

# Public information or the citizen's own channel: no region-bound staff data behind them.
PUBLIC_ENDPOINTS: dict[str, str] = {
    api("get", "regions/divisions"): "行政区划是公开的参考数据",
    api("get", "regions/divisions/{code}"): "行政区划是公开的参考数据",
    api("get", "regions/points"): "公共法律服务点（地址、电话、开放时间）对公众公开",
    api("get", "regions/points/nearest"): "公共法律服务点对公众公开",
    api("get", "regions/points/{code}"): "公共法律服务点对公众公开",
    api("get", "directory/institutions"): "机构名录是公开查询（手机号等只在 staff 接口）",
    api("get", "directory/institutions/nearby"): "机构名录公开查询",
    api("get", "directory/institutions/{institution_id}"): "机构名录公开查询",
    api("get", "directory/practitioners"): "人员名录公开查询（手机号打码）",
    api("get", "directory/practitioners/{practitioner_id}"): "人员名录公开查询（手机号打码）",
    api("get", "directory/credit-records"): "信用信息公示（公开期内）",
    api("get", "directory/map"): "服务地图公开",
    api("get", "knowledge/search"): "法律法规库公开",
    api("get", "knowledge/laws/{law_id}"): "法律法规库公开",
    api("get", "knowledge/articles/{article_id}"): "法律法规库公开",
    api("get", "catalog/items"): "服务事项目录公开（办事指南）",
    api("get", "catalog/items/{code}"): "服务事项目录公开（办事指南）",
    api("get", "catalog/bundles"): "一件事目录公开",
    api("get", "catalog/bundles/{code}"): "一件事目录公开",
    api("post", "cases/progress"): "凭受理编号和查询码查进度（不登录的群众），不凭区划",
    api("post", "consultation/ask"): "智能咨询对公众开放",
    api("get", "consultation/consultations/{public_id}"): "咨询人凭不可猜的 UUID 查看自己的解答",
    api("get", "consultation/classify"): "问题分类，无数据",
    api("get", "consultation/faq"): "常见问题公开",
    api("get", "consultation/hot-topics"): "热点问题（聚合数，无个人数据）",
    api("post", "consultation/callbacks"): "群众申请回电（新建，无读取）",
    "page i18n/setlang/": "语言切换",
    "page accounts/login/": "登录", "page accounts/logout/": "退出",
    "page services/": "办事指南公开", "page services/bundles/<str:code>/": "一件事指南公开",
    "page services/<str:code>/": "办事指南公开",
    "page consult/": "智能咨询公开", "page consult/ask/": "智能咨询公开",
    "page consult/o/<uuid:public_id>/": "咨询人凭不可猜的 UUID 查看自己的解答",
    "page consult/o/<uuid:public_id>/pdf/": "咨询人凭不可猜的 UUID 下载自己的解答",
    "page consult/faq/": "常见问题公开", "page consult/callback/": "群众申请回电",
    "page directory/": "名录公开查询", "page directory/map/": "服务地图公开",
    "page directory/credit/": "信用信息公示", "page directory/institutions/<int:pk>/": "机构名录公开",
    "page directory/practitioners/<int:pk>/": "人员名录公开（手机号打码）",
    "page points/": "服务点查找公开", "page points/townships/": "乡镇下拉选项（区划公开）",
    "page points/<str:code>/": "服务点公开",
    "page laws/": "法规库公开", "page laws/article/<int:article_id>/": "法规库公开",
    "page laws/<int:law_id>/": "法规库公开",
    "page ": "门户首页", "page healthz": "健康检查（无数据）",
    "page wechat/": "微信公众号服务器回调：凭公众号令牌的签名，不凭登录和区划（portal 的 test_wechat）",
    "page progress/": "群众凭事项编号和查询码查进度，不凭登录和区划；错误过多即锁定（portal 的 test_progress_page）",
}

# Scoped to the signed-in user themself, not to a region (a citizen's own messages, own account);
# covered by the apps' own tests and ``test_me_endpoint_for_every_role`` below.
SELF_SCOPED_ENDPOINTS: dict[str, str] = {
    api("get", "core/messages/"): "本人的站内消息",
    api("post", "core/messages/{message_id}/read"): "本人的站内消息",
    api("get", "accounts/me"): "本人账号",
    "page accounts/otp/": "本人的动态口令设置", "page accounts/otp/verify/": "本人的动态口令验证",
}

# Region-bound admin models that hold published regional standards or reference data (no personal
# or case data); their edit rights are the reference.edit action, tested in the apps' admin tests.
REFERENCE_ADMIN_MODELS: dict[str, str] = {
    "knowledge.law": "法规库（地方性法规带区划，公开）",
    "legalaid.hardshipstandard": "经济困难标准（公开政策）",
    "legalaid.aidmatterscope": "法律援助事项范围（公开政策）",
    "legalaid.subsidystandard": "法律援助补贴标准（公开政策）",
    "mediation.mediationtimelimit": "调解期限（公开政策）",
    "cases.caseevent": "事项流水只随事项显示；后台只读，按事项的区划筛选（cases 的 admin 测试）",
    "cases.rating": "评价随事项显示（cases 的 admin 测试）",
    "cases.casecallback": "回访随事项显示（cases 的 admin 测试）",
}


# --- the world, once per module ---------------------------------------------------------------------

@pytest.fixture(scope="module")
def world(django_db_setup: Any, django_db_blocker: Any) -> Iterator[World]:
    """The two-county world and every object, built once; rolled back after the module."""
    with django_db_blocker.unblock(), transaction.atomic():
        built_world = build_world()
        built_world.objects = build_objects(built_world)  # type: ignore[attr-defined]
        built_world.clients = {}  # type: ignore[attr-defined]
        for key, user in built_world.users.items():
            client = Client()
            client.force_login(user)
            built_world.clients[key] = client  # type: ignore[attr-defined]
        yield built_world
        transaction.set_rollback(True)


DENIED = {401, 403, 404}
# Who holds no staff account (no is_staff): Django's admin sends them to its sign-in page.
OUTSIDE_THE_ADMIN = {"anonymous", "citizen"}
ROLES = [r for r in Role.values if r != Role.CITIZEN]


def snapshot(obj: Any) -> Any:
    """The stored row (and its case's row and event count), to prove a refused request changed nothing."""
    rows: list[Any] = [type(obj)._default_manager.filter(pk=obj.pk).values().first()]
    case_obj = getattr(obj, "case", None)
    if case_obj is not None:
        rows += [type(case_obj)._default_manager.filter(pk=case_obj.pk).values().first(), case_obj.events.count()]
    return rows


def request(client: Client, endpoint: Endpoint, obj: Any) -> Any:
    url = endpoint.url(obj)
    if endpoint.method == "get":
        return client.get(url)
    payload = endpoint.payload(obj) if endpoint.payload else {}
    if endpoint.form:
        return client.post(url, payload)
    return getattr(client, endpoint.method)(url, json.dumps(payload), content_type="application/json")


def call(client: Client, endpoint: Endpoint, obj: Any, before: Any = None) -> tuple[Any, bool]:
    """One request in a savepoint that is rolled back; also whether it changed ``obj`` (compared
    with ``before``, its snapshot: every request starts from the same state, so take it once)."""
    writes = endpoint.method != "get"
    if before is None and writes:
        before = snapshot(obj)
    with transaction.atomic():
        response = request(client, endpoint, obj)
        changed = writes and snapshot(obj) != before
        transaction.set_rollback(True)
    return response, changed


def text(response: Any) -> str:
    """The response body with JSON unescaped, so markers are found in API answers too."""
    if response.get("Content-Type", "").startswith("application/json"):
        return json.dumps(response.json(), ensure_ascii=False)
    return response.content.decode(errors="replace")


def is_login_redirect(response: Any) -> bool:
    return response.status_code == 302 and "login" in response["Location"]


def assert_denied(response: Any, marker: str, endpoint: Endpoint, who: str) -> None:
    body = text(response)
    assert not marker or marker not in body, ("data leaked", endpoint.name, who)
    if response.status_code == 302:
        if response.request["PATH_INFO"].startswith("/admin/"):
            # Every admin answers a missing or out-of-region id with 404 (``NotFoundAdminMixin``),
            # never with Django's redirect to the index; only someone who cannot enter the admin
            # at all is sent to sign in.
            assert who in OUTSIDE_THE_ADMIN and is_login_redirect(response), (endpoint.name, who,
                                                                             response["Location"])
        else:
            assert "login" in response["Location"], (endpoint.name, who, response["Location"])
    elif response.status_code == 200 and endpoint.kind == LIST:
        pass  # a list may answer with the user's own rows: B's marker is not among them (checked above)
    else:
        assert response.status_code in DENIED, (endpoint.name, who, response.status_code, body[:300])


def reached(response: Any) -> bool:
    """The endpoint found the object: an answer other than refused/missing (a domain error counts)."""
    return response.status_code not in DENIED | {405, 422} and not is_login_redirect(response)


def skip_unregistered(endpoint: Endpoint) -> None:
    if endpoint.requires_admin_model is not None and endpoint.requires_admin_model not in admin.site._registry:
        pytest.skip(f"{endpoint.requires_admin_model.__name__} has no admin yet")


def _shows(response: Any, marker: str, endpoint: Endpoint) -> bool:
    if not endpoint.shows_own:
        return response.status_code == 200
    if endpoint.expensive:
        return response.status_code == 200 and response["Content-Type"] == "application/pdf"
    if endpoint.method != "get" or not marker:
        return reached(response)
    return response.status_code == 200 and marker in text(response)


# Applying at a service point: a citizen applies for themself at any point in the country, so only
# staff are held to their own region there.
def _citizen_applies_anywhere(endpoint: Endpoint) -> bool:
    return endpoint.factory is point


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=lambda e: e.name)
def test_county_users_never_see_the_other_county(world: World, endpoint: Endpoint) -> None:
    skip_unregistered(endpoint)
    obj_b, marker_b = endpoint.factory(world, COUNTY_B, "B")
    obj_a, marker_a = endpoint.factory(world, COUNTY_A, "A")
    reached_by: list[str] = []
    answers: dict[str, int] = {}
    before_b = before_a = None
    if endpoint.method != "get":
        before_b, before_a = snapshot(obj_b), snapshot(obj_a)
    for role in ROLES + ["citizen"]:
        key = "citizen" if role == "citizen" else f"A:{role}"
        user, client = world.user(key), world.clients[key]  # type: ignore[attr-defined]
        if not (role == "citizen" and _citizen_applies_anywhere(endpoint)):
            response, changed = call(client, endpoint, obj_b, before_b)
            assert_denied(response, marker_b, endpoint, role)
            assert not changed, (endpoint.name, role, "changed county B's object")
        if reached_by and (endpoint.expensive or endpoint.action is None):
            continue  # without a declared action, one county-A role reaching its own object is the control
        if endpoint.action and has_permission(user, endpoint.action) or endpoint.action is None:
            own, _ = call(client, endpoint, obj_a, before_a)
            answers[role] = own.status_code
            if _shows(own, marker_a, endpoint):
                reached_by.append(role)
            elif endpoint.action:
                pytest.fail(f"{endpoint.name}: {role} holds {endpoint.action} but got {own.status_code} "
                            f"for county A's own object")
    response, changed = call(Client(), endpoint, obj_b, before_b)
    assert_denied(response, marker_b, endpoint, "anonymous")
    assert not changed
    if endpoint.reachable:
        assert reached_by, f"{endpoint.name}: no county-A role reaches county A's own object: {answers}"


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=lambda e: e.name)
def test_city_supervisor_sees_both_counties(world: World, endpoint: Endpoint) -> None:
    """The Zhengzhou supervisor never gets "missing" for either county's object, is answered alike
    for both (both served, or both refused), and sees both whenever the role holds the action."""
    skip_unregistered(endpoint)
    city = world.user("city")
    client = world.clients["city"]  # type: ignore[attr-defined]
    answers, served = [], []
    for county, side in ((COUNTY_A, "A"), (COUNTY_B, "B")):
        obj, marker = endpoint.factory(world, county, side)
        response, _ = call(client, endpoint, obj)
        answers.append(response.status_code)
        served.append(_shows(response, marker, endpoint))
        if endpoint.action and has_permission(city, endpoint.action):
            assert _shows(response, marker, endpoint), (endpoint.name, side, response.status_code)
        if endpoint.kind == LIST and response.status_code == 200 and marker:
            assert marker in text(response), (endpoint.name, side, "the city list misses a county")
    if endpoint.method == "get":  # a transition's answer may depend on its body vs. the object's state
        assert served[0] == served[1], (endpoint.name, answers)
    assert 404 not in answers, (endpoint.name, answers)


def test_out_of_scope_and_missing_get_the_same_answer(world: World) -> None:
    client = world.clients["A:supervisor"]  # type: ignore[attr-defined]
    other = world.user("B:window_clerk")
    out_of_scope = client.get(f"/admin/accounts/user/{other.pk}/change/")
    missing = client.get("/admin/accounts/user/999999/change/")
    assert out_of_scope.status_code == missing.status_code == 404
    api_answer = client.post("/api/core/pii/reveal", json.dumps({"model": "core.outboxmessage", "id": "999999",
                                                                 "field": "recipient"}),
                             content_type="application/json")
    assert api_answer.status_code == 404
    case_b = world.objects[("case", "B")]  # type: ignore[attr-defined]
    assert client.get(f"/api/cases/{case_b.number}").status_code == client.get("/api/cases/X-0").status_code


def _built(kind: str) -> Callable[[World, str], Any]:
    return lambda world, side: world.objects[(kind, side)]  # type: ignore[attr-defined]


def _county(side: str) -> str:
    return COUNTY_A if side == "A" else COUNTY_B


def _rating(world: World, side: str) -> Any:
    from fawang.cases.models import Rating

    case_obj = world.objects[("case", side)]  # type: ignore[attr-defined]
    return Rating.objects.create(case=case_obj, attitude=5, efficiency=4, professionalism=5,
                                 region_code=case_obj.region_code)


def _case_callback(world: World, side: str) -> Any:
    from django.utils import timezone

    from fawang.cases.models import CaseCallback

    case_obj = world.objects[("case", side)]  # type: ignore[attr-defined]
    return CaseCallback.objects.create(case=case_obj, reason="满意度回访", due_at=timezone.now(),
                                       region_code=case_obj.region_code)


def _reference(model_path: str, **values: Any) -> Callable[[World, str], Any]:
    """A county's row of a regional standard (a migration may already hold one: then that row)."""
    def make(world: World, side: str) -> Any:
        from django.apps import apps

        model = apps.get_model(model_path)
        lookup = {k: v for k, v in values.items() if k in ("code", "aid_form")}
        defaults = {k: v for k, v in values.items() if k not in lookup}
        return model.objects.update_or_create(region_code=_county(side), **lookup, defaults=defaults)[0]
    return make


# Every region-bound admin model: (admin page, the county's object, a county-A role that may open
# county A's object there). Region-bound = a region_code column or a ``ScopedAdminMixin`` admin.
ADMIN_CHANGE_PAGES: list[tuple[str, Callable[[World, str], Any], str]] = [
    ("accounts/user", lambda world, side: world.user(f"{side}:window_clerk"), "supervisor"),
    ("core/auditentry", lambda world, side: make_audit(world, _county(side), side)[0], "supervisor"),
    ("core/outboxmessage", lambda world, side: _outbox(_county(side), side), "supervisor"),
    ("regions/division", lambda world, side: world.divisions[_county(side)], "window_clerk"),
    ("regions/servicepoint", lambda world, side: world.points[_county(side)], "window_clerk"),
    ("directory/institution", _built("institution"), "window_clerk"),
    ("directory/practitioner", _built("practitioner"), "window_clerk"),
    ("directory/creditrecord", _built("credit"), "window_clerk"),
    ("cases/case", _built("case"), "window_clerk"),
    ("cases/party", _built("party"), "window_clerk"),
    ("cases/caseevent", lambda world, side: world.objects[("case", side)].events.first(),  # type: ignore[attr-defined]
     "window_clerk"),
    ("cases/rating", _rating, "window_clerk"),
    ("cases/casecallback", _case_callback, "window_clerk"),
    ("legalaid/hardshipstandard", _reference("legalaid.HardshipStandard", monthly_income_per_capita_max=1500),
     "window_clerk"),
    ("legalaid/aidmatterscope", _reference("legalaid.AidMatterScope", code="MATRIX-1", name="矩阵事项"),
     "window_clerk"),
    ("legalaid/subsidystandard", _reference("legalaid.SubsidyStandard", aid_form="consultation", base_amount=100),
     "window_clerk"),
    ("legalaid/legalaidapplication", _built("legalaid"), "window_clerk"),
    ("legalaid/objection", _built("objection"), "window_clerk"),
    ("mediation/mediationtimelimit", _reference("mediation.MediationTimeLimit", days=30), "window_clerk"),
    ("mediation/mediation", _built("mediation"), "window_clerk"),
    ("mediation/agreement", lambda world, side: world.objects[("agreed", side)].agreement,  # type: ignore[attr-defined]
     "window_clerk"),
    ("complaints/complaint", _built("complaint"), "supervisor"),
    ("consultation/consultationrecord", _built("line"), "window_clerk"),
    ("consultation/smartconsultation", _built("consultation"), "window_clerk"),
    ("consultation/callbackrequest", _built("callback"), "window_clerk"),
    ("portal/wechatfollower", _built("wechat follower"), "window_clerk"),
    ("portal/wechatmessage", _built("wechat message"), "window_clerk"),
    ("portal/hottopicsdigest", _built("hot digest"), "window_clerk"),
]

# Admin models with a region column that are not cut to the user's region: whoever holds the admin's
# role-table action (``GlobalAdminMixin``) opens every row (tests in the apps' admin tests).
UNSCOPED_ADMIN_PAGES: dict[str, str] = {
    "knowledge/law": "法规库公开：地方性法规的区划只说明适用地域，不是管辖范围",
}


def test_every_region_bound_admin_model_is_checked() -> None:
    from fawang.core.admin import ScopedAdminMixin

    bound = {f"{model._meta.app_label}/{model._meta.model_name}" for model, model_admin in admin.site._registry.items()
             if isinstance(model_admin, ScopedAdminMixin) or any(f.name == "region_code" for f in model._meta.fields)}
    listed = {page for page, _get, _role in ADMIN_CHANGE_PAGES}
    assert not listed & set(UNSCOPED_ADMIN_PAGES)
    assert sorted(bound - listed - set(UNSCOPED_ADMIN_PAGES)) == [], "add these to ADMIN_CHANGE_PAGES"
    assert sorted((listed | set(UNSCOPED_ADMIN_PAGES)) - bound) == [], "stale entries"


@pytest.mark.parametrize(("page", "get", "role"), ADMIN_CHANGE_PAGES, ids=[p for p, _g, _r in ADMIN_CHANGE_PAGES])
def test_admins_answer_out_of_region_like_missing(world: World, page: str, get: Callable[[World, str], Any],
                                                  role: str) -> None:
    """County A's staff opening county B's object in any region-bound admin get 404, exactly the
    page a nonexistent id gets (no redirect naming the id), on the change and the history page;
    their own county's object opens (so the test cannot pass by refusing everything)."""
    client = world.clients[f"A:{role}"]  # type: ignore[attr-defined]
    own, other = get(world, "A"), get(world, "B")
    assert own is not None and other is not None
    assert client.get(f"/admin/{page}/{own.pk}/change/").status_code == 200
    missing_id = "99999999" if isinstance(own.pk, int) else "999999999999"
    for view in ("change", "history"):
        out_of_scope = client.get(f"/admin/{page}/{other.pk}/{view}/")
        missing = client.get(f"/admin/{page}/{missing_id}/{view}/")
        assert out_of_scope.status_code == missing.status_code == 404, (view, out_of_scope.status_code,
                                                                         missing.status_code)
        assert out_of_scope.content == missing.content, view


def test_complaint_admin_needs_the_complaint_right(world: World) -> None:
    """A window clerk holds no complaint.handle: the complaint admin refuses them outright (403)."""
    client = world.clients["A:window_clerk"]  # type: ignore[attr-defined]
    own = world.objects[("complaint", "A")]  # type: ignore[attr-defined]
    assert client.get(f"/admin/complaints/complaint/{own.pk}/change/").status_code == 403


# Documents that print personal data in full go only to the people handling the case and the
# supervisors above it (least privilege; ``legalaid.permissions`` / ``mediation.permissions``),
# not to every county role that may view the case. (name, object kind, URL, county-A roles that
# get it, audited object type.)
PII_DOCUMENTS = [
    ("legalaid refusal notice", "legalaid", lambda o: f"/api/legalaid/{o.pk}/refusal-notice.pdf",
     {"window_clerk", "legal_aid_reviewer", "legal_aid_approver", "supervisor"}, "legalaid.legalaidapplication"),
    # the world's mediator accepted the mediation and drew up the agreement; the clerk registered it
    ("mediation agreement", "agreed", lambda o: f"/api/mediation/{o.pk}/agreement.pdf",
     {"window_clerk", "mediator", "supervisor"}, "mediation.agreement"),
]


@pytest.mark.parametrize(("name", "kind", "url", "readers", "audited"), PII_DOCUMENTS,
                         ids=[d[0] for d in PII_DOCUMENTS])
def test_pii_documents_only_to_those_handling_the_case(world: World, name: str, kind: str,
                                                        url: Callable[[Any], str], readers: set[str],
                                                        audited: str) -> None:
    """Every county-A role: the handlers get the PDF and each download is audited as a read of
    personal data; every other role gets 403 (and nothing is logged); the city supervisor gets
    both counties' documents."""
    answers = {}
    for key in [f"A:{role}" for role in ROLES] + ["city:A", "city:B"]:
        who, _colon, side = key.partition(":") if key.startswith("city") else (key, "", "A")
        user, client = world.user(who), world.clients[who]  # type: ignore[attr-defined]
        obj = world.objects[(kind, side)]  # type: ignore[attr-defined]
        with transaction.atomic():
            response = client.get(url(obj))
            logged = list(AuditEntry.objects.filter(action="read", object_type=audited, actor=user))
            transaction.set_rollback(True)
        answers[key] = response.status_code
        if who == "city" or key.split(":")[1] in readers:
            assert response.status_code == 200 and response["Content-Type"] == "application/pdf", (key, answers)
            assert len(logged) == 1 and logged[0].changes["fields"], key
        else:
            assert response.status_code == 403, (key, response.status_code)
            assert not logged, key


def test_me_endpoint_for_every_role(world: World) -> None:
    for key in [f"A:{r}" for r in ROLES] + ["city", "national", "citizen"]:
        user = world.user(key)
        body = world.clients[key].get("/api/accounts/me").json()  # type: ignore[attr-defined]
        assert body["username"] == user.username and body["scope_code"] == user.scope_code


# --- nothing escapes the matrix -----------------------------------------------------------------------

def _page_routes(patterns: list[Any], prefix: str = "") -> Iterator[str]:
    for pattern in patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            if route in ("admin/", "api/"):  # the admin is checked per model, the API per operation
                continue
            yield from _page_routes(pattern.url_patterns, route)
        elif isinstance(pattern, URLPattern):
            yield route


def _region_bound_admin_models() -> set[str]:
    return {model._meta.label_lower for model in admin.site._registry
            if any(f.name == "region_code" for f in model._meta.get_fields())}


def test_every_endpoint_is_in_the_matrix() -> None:
    """A new API operation, page or region-bound admin model without a scope test fails here:
    add an ``Endpoint`` (or, for public information, a commented ``PUBLIC_ENDPOINTS`` line)."""
    covered = {key for e in ENDPOINTS for key in e.covers}
    allowed = set(PUBLIC_ENDPOINTS) | set(SELF_SCOPED_ENDPOINTS) | set(REFERENCE_ADMIN_MODELS)
    assert not covered & set(PUBLIC_ENDPOINTS), "an endpoint is both tested and called public"
    operations = {f"{method} {path}" for method, path in _api_operations()}
    pages = {f"page {route}" for route in _page_routes(get_resolver().url_patterns)}
    models = {f"admin {label}" for label in _region_bound_admin_models()}
    assert len(operations) >= 100 and len(pages) >= 30, "the enumeration itself broke"
    missing = sorted((operations | pages | models) - covered - allowed - {f"admin {m}" for m in REFERENCE_ADMIN_MODELS})
    assert missing == [], "endpoints without a region-scope test (add them to ENDPOINTS): " + ", ".join(missing)
    stale = [k for k in sorted(set(PUBLIC_ENDPOINTS) | set(SELF_SCOPED_ENDPOINTS)) if k not in operations | pages]
    assert stale == [], f"allow-list entries for endpoints that no longer exist: {stale}"


def test_openapi_keys_match_the_routers() -> None:
    """The OpenAPI description lists every operation (none hidden with include_in_schema=False)."""
    from fawang.api.urls import api as ninja_api

    count = sum(len(op.methods) for _prefix, router in ninja_api._routers
                for view in router.path_operations.values() for op in view.operations)
    assert len(_api_operations()) >= count

