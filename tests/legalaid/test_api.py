"""Legal aid API: every transition reachable, region scope (404), roles (403), citizens' own."""

from __future__ import annotations

from decimal import Decimal

import pytest

from fawang.accounts.models import Role, User
from fawang.legalaid.models import LegalAidApplication, SubsidyStandard

from .conftest import ID_NUMBERS, staff

pytestmark = pytest.mark.django_db

APPLICANT = {"name": "张三", "id_number": ID_NUMBERS[0], "phone": "13800138000", "address": "某路1号"}


def post(client, url, body=None):
    return client.post(url, body or {}, content_type="application/json")


def apply(client, **extra):
    body = {"applicant": APPLICANT, "matter": "labour_remuneration", "channel": "window",
            "service_point_code": "FY-410102", "household_size": 2, "household_monthly_income": "1800",
            "honesty_commitment_signed": True, "specialty": "labor", **extra}
    return post(client, "/api/legalaid/", body)


def test_staff_flow_over_the_api(client, items, center, clerk, reviewer, approver, standard, lawyers):
    SubsidyStandard.objects.create(region_code="41", aid_form="litigation_agency", base_amount=Decimal("1000"))
    client.force_login(clerk)
    created = apply(client, idempotency_key="w-1")
    assert created.status_code == 201, created.content
    pk = created.json()["id"]
    assert apply(client, idempotency_key="w-1").json()["id"] == pk  # idempotent
    assert LegalAidApplication.objects.count() == 1

    client.force_login(reviewer)
    assert post(client, f"/api/legalaid/{pk}/receive").json()["status"] == "under_review"
    check = post(client, f"/api/legalaid/{pk}/check-hardship").json()
    assert check["eligible"] and check["hardship_method"] == "honesty_commitment"
    assert post(client, f"/api/legalaid/{pk}/approve").status_code == 403  # reviewers do not decide
    queue = client.get("/api/legalaid/?queue=review").json()
    assert [a["id"] for a in queue] == [pk]

    client.force_login(approver)
    assert post(client, f"/api/legalaid/{pk}/approve").json()["status"] == "approved"
    lawyer = staff(Role.LAWYER, center)
    assigned = post(client, f"/api/legalaid/{pk}/assign", {"lawyer_username": lawyer.username}).json()
    assert assigned["status"] == "assigned" and assigned["assignments"][0]["practitioner_name"] == "王律师"

    client.force_login(lawyer)
    assert post(client, f"/api/legalaid/{pk}/progress", {"content": "已立案"}).status_code == 200
    closing = post(client, f"/api/legalaid/{pk}/closing-report", {"outcome": "调解结案", "documents": ["调解书"]})
    assert closing.json()["status"] == "closing_reported"

    client.force_login(approver)
    reviewed = post(client, f"/api/legalaid/{pk}/quality-review", {"grade": "good", "methods": ["file_inspection"]})
    assert reviewed.json()["status"] == "closed"
    assert LegalAidApplication.objects.get(pk=pk).subsidy.amount == Decimal("1000.00")


def test_out_of_region_is_404_and_errors_are_zh(client, items, center, clerk, outsider):
    client.force_login(clerk)
    pk = apply(client).json()["id"]
    bad = apply(client, matter="divorce")
    assert bad.status_code == 400 and bad.json()["field"] == "matter" and "无效" in bad.json()["message"]
    client.force_login(outsider)
    assert client.get(f"/api/legalaid/{pk}").status_code == 404
    assert post(client, f"/api/legalaid/{pk}/approve").status_code == 404
    assert post(client, "/api/legalaid/999999/approve").status_code == 404
    assert client.get("/api/legalaid/").json() == []


def test_anonymous_is_401(client, items):
    assert client.get("/api/legalaid/").status_code == 401
    assert apply(client).status_code == 401


def test_citizen_applies_objects_and_reads_refusal(client, items, center, reviewer, approver):
    citizen = User.objects.create_user(username="c1", password="pw-Test-12345", role=Role.CITIZEN)
    client.force_login(citizen)
    created = apply(client, channel="web", service_point_code="", region_code="410102")
    assert created.status_code == 201
    pk = created.json()["id"]
    assert client.get("/api/legalaid/").status_code == 403  # staff queues only
    client.force_login(reviewer)
    post(client, f"/api/legalaid/{pk}/receive")
    client.force_login(approver)
    assert post(client, f"/api/legalaid/{pk}/refuse", {"reasons": "不符合条件"}).json()["status"] == "refused"
    client.force_login(citizen)
    pdf = client.get(f"/api/legalaid/{pk}/refusal-notice.pdf")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    objection = post(client, f"/api/legalaid/{pk}/objections", {"grounds": "我符合条件"})
    assert objection.status_code == 201
    other = User.objects.create_user(username="c2", password="pw-Test-12345", role=Role.CITIZEN)
    client.force_login(other)
    assert client.get(f"/api/legalaid/{pk}").status_code == 404


def test_refusal_notice_only_to_those_handling_the_application(client, items, center, clerk, reviewer, approver,
                                                               bureau, lawyers):
    """The refusal notice names the applicant: the center's clerk, reviewer and approver and the
    county bureau get it (each download audited); other staff of the same county get 403."""
    from fawang.core.models import AuditEntry

    client.force_login(clerk)
    pk = apply(client).json()["id"]
    client.force_login(reviewer)
    post(client, f"/api/legalaid/{pk}/receive")
    client.force_login(approver)
    assert post(client, f"/api/legalaid/{pk}/refuse", {"reasons": "不符合条件"}).json()["status"] == "refused"
    url = f"/api/legalaid/{pk}/refusal-notice.pdf"
    for user in (clerk, reviewer, approver, bureau):
        client.force_login(user)
        pdf = client.get(url)
        assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF"), user.role
        entry = AuditEntry.objects.filter(action="read", object_type="legalaid.legalaidapplication",
                                          object_id=str(pk), actor=user).get()
        assert entry.changes == {"fields": ["applicant.name", "refusal_reasons"]}
        assert entry.detail == "下载不予法律援助决定书" and entry.region_code == "410102"
    for role in (Role.LAWYER, Role.MEDIATOR, Role.HOTLINE_AGENT, Role.VILLAGE_ADVISER, Role.SYSTEM_ADMIN):
        user = staff(role, center)
        client.force_login(user)
        refused = client.get(url)
        assert refused.status_code == 403 and "承办本申请" in refused.json()["message"], role
        assert client.get(f"/api/legalaid/{pk}").status_code == 200  # the case itself stays visible
        assert not AuditEntry.objects.filter(actor=user, action="read").exists()


def test_the_assigned_lawyer_handles_the_application_and_a_colleague_does_not(client, items, center, clerk,
                                                                              reviewer, approver, standard,
                                                                              lawyers):
    from fawang.legalaid.permissions import handles_application

    client.force_login(clerk)
    pk = apply(client).json()["id"]
    client.force_login(reviewer)
    post(client, f"/api/legalaid/{pk}/receive")
    post(client, f"/api/legalaid/{pk}/check-hardship")
    client.force_login(approver)
    assert post(client, f"/api/legalaid/{pk}/approve").status_code == 200
    lawyer, colleague = staff(Role.LAWYER, center), staff(Role.LAWYER, center)
    assert post(client, f"/api/legalaid/{pk}/assign", {"lawyer_username": lawyer.username}).status_code == 200
    app = LegalAidApplication.objects.get(pk=pk)
    assert handles_application(lawyer, app) and not handles_application(colleague, app)
    station_clerk_elsewhere = staff(Role.WINDOW_CLERK, None, division_code="410102")
    assert not handles_application(station_clerk_elsewhere, app)
