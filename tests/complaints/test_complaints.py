"""Complaints: a Case 1:1 with a Complaint, register → investigate → review → reply, step clocks."""

from __future__ import annotations

import pytest

from cases import factories as f  # tests/cases, on sys.path via pytest rootdir insertion
from fawang.accounts.models import Role
from fawang.cases.choices import CaseStatus
from fawang.cases.models import CaseEvent
from fawang.cases.services import case_create, party_create
from fawang.catalog.models import ServiceItem
from fawang.catalog.services import catalog_load
from fawang.complaints.choices import ComplaintStatus
from fawang.complaints.services import (
    complaint_investigate,
    complaint_register,
    complaint_reply,
    complaint_review,
)
from fawang.core.errors import DomainError, NotFoundOrForbidden, PermissionDenied

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(db):
    catalog_load()
    point = f.service_point("SP-410102", "410102", "county_center")
    clerk = f.user(Role.WINDOW_CLERK, point=point)
    sup1 = f.user(Role.SUPERVISOR, division_code="410102")
    sup2 = f.user(Role.SUPERVISOR, division_code="410102")
    person = party_create(name="钱七", phone="13600136000")
    return point, clerk, sup1, sup2, person


def types(case):
    return list(CaseEvent.objects.filter(case=case).values_list("type", flat=True))


def test_full_flow_with_step_clocks(setup):
    point, clerk, sup1, sup2, person = setup
    about = case_create(item=ServiceItem.objects.get(code="GGFL-ZX-001"), channel="hotline", applicant=person,
                        service_point=point, actor=clerk)
    complaint = complaint_register(channel="hotline", content="窗口人员态度生硬，推诿不办", complainant=person,
                                   actor=clerk, service_point=point, target_kind="staff",
                                   target_staff=clerk, related_case=about)
    case = complaint.case
    assert case.item.code == "GGFL-TS-001" and case.status == CaseStatus.ACCEPTED
    assert complaint.status == ComplaintStatus.REGISTERED
    assert types(case)[-1] == "complaints.registered" and types(about)[-1] == "case.complained"
    assert set(case.steps.filter(ended_at__isnull=True).values_list("step", flat=True)) == {"investigate", "reply"}

    with pytest.raises(PermissionDenied):
        complaint_investigate(complaint=complaint, actor=clerk, findings="x", substantiated=True)
    complaint = complaint_investigate(complaint=complaint, actor=sup1, findings="调取录音，情况属实", substantiated=True)
    assert complaint.status == ComplaintStatus.INVESTIGATED and types(case)[-1] == "complaints.investigated"
    assert case.steps.get(step="investigate").state == "met"
    assert case.steps.get(step="review").ended_at is None

    with pytest.raises(DomainError) as exc:
        complaint_review(complaint=complaint, actor=sup1, approve=True)
    assert exc.value.code == "reviewer_conflict"
    with pytest.raises(DomainError):
        complaint_review(complaint=complaint, actor=sup2, approve=False)  # returning needs an opinion
    complaint = complaint_review(complaint=complaint, actor=sup2, approve=False, opinion="补充当事人陈述")
    assert complaint.status == ComplaintStatus.REGISTERED and types(case)[-1] == "complaints.review_returned"
    complaint = complaint_investigate(complaint=complaint, actor=sup1, findings="已补充陈述", substantiated=True)
    complaint = complaint_review(complaint=complaint, actor=sup2, approve=True, opinion="同意")
    with pytest.raises(DomainError):
        complaint_investigate(complaint=complaint, actor=sup1, findings="again", substantiated=False)
    complaint = complaint_reply(complaint=complaint, actor=sup2, reply="经核实属实，已对当事人批评教育并致歉。")
    case.refresh_from_db()
    assert complaint.status == ComplaintStatus.REPLIED and case.status == CaseStatus.DELIVERED
    assert types(case)[-3:] == ["complaints.replied", "case.completed", "case.result_delivered"]
    assert not case.steps.filter(ended_at__isnull=True).exists()


def test_register_validation(setup):
    point, clerk, *_ = setup
    with pytest.raises(DomainError) as exc:
        complaint_register(channel="window", content="  ", complainant=None, actor=clerk, service_point=point)
    assert exc.value.code == "content_required"
    with pytest.raises(DomainError) as exc:
        complaint_register(channel="window", content="服务差", complainant=None, actor=clerk, service_point=point)
    assert exc.value.code == "complainant_required"
    anon = complaint_register(channel="web", content="建议延长周末服务时间", complainant=None, actor=None,
                              kind="suggestion", anonymous=True, region_code="410102")
    assert anon.case.applicant is None and anon.case.status == CaseStatus.ACCEPTED


def test_api_register_idempotent_and_scoped(setup, client):
    point, clerk, sup1, _sup2, _person = setup
    client.force_login(clerk)
    body = {"channel": "window", "content": "律师收费不透明", "service_point_code": "SP-410102",
            "complainant": {"name": "孙八", "phone": "13500135000"}, "target_kind": "practitioner",
            "target_description": "某律师事务所王律师"}
    r = client.post("/api/complaints/", body, content_type="application/json", HTTP_IDEMPOTENCY_KEY="cp-1")
    assert r.status_code == 201
    number = r.json()["number"]
    assert client.post("/api/complaints/", body, content_type="application/json",
                       HTTP_IDEMPOTENCY_KEY="cp-1").json()["number"] == number
    client.force_login(sup1)
    r = client.post(f"/api/complaints/{number}/investigate", {"findings": "已核实", "substantiated": False},
                    content_type="application/json")
    assert r.status_code == 200 and r.json()["status"] == "investigated"
    outsider = f.user(Role.SUPERVISOR, division_code="410103")
    client.force_login(outsider)
    assert client.get(f"/api/complaints/{number}").status_code == 404
    with pytest.raises(NotFoundOrForbidden):
        from fawang.complaints.selectors import complaint_get_for_user

        complaint_get_for_user(outsider, number=number)
