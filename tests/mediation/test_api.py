"""Mediation API: every transition reachable, region scope (404), the agreement PDF."""

from __future__ import annotations

import pytest

from fawang.core.models import AuditEntry
from fawang.mediation.models import Mediation

from .conftest import ID_NUMBERS

pytestmark = pytest.mark.django_db

PARTIES = [
    {"name": "张三", "role": "applicant", "id_number": ID_NUMBERS[0], "phone": "13800138000", "address": "某街1号"},
    {"name": "李四", "role": "respondent", "id_number": ID_NUMBERS[1], "phone": "13900139000"},
]


def post(client, url, body=None):
    return client.post(url, body or {}, content_type="application/json")


def apply(client, **extra):
    body = {"parties": PARTIES, "summary": "邻里漏水纠纷", "channel": "window", "service_point_code": "SFS-410102001",
            "dispute_type": "neighbour", **extra}
    return post(client, "/api/mediation/", body)


def test_flow_over_the_api(client, item, station, clerk, mediator_user, committee, mediators):
    client.force_login(clerk)
    created = apply(client, committee_id=committee.pk, idempotency_key="tj-1")
    assert created.status_code == 201, created.content
    data = created.json()
    pk = data["id"]
    assert data["parties"][0]["name"] == "张*"  # masked
    assert apply(client, committee_id=committee.pk, idempotency_key="tj-1").json()["id"] == pk
    assert Mediation.objects.count() == 1

    client.force_login(mediator_user)
    respondent = data["parties"][1]["party_id"]
    assert post(client, f"/api/mediation/{pk}/consent", {"party_id": respondent, "consents": True}).status_code == 200
    assert post(client, f"/api/mediation/{pk}/accept", {"time_limit_days": 20}).json()["time_limit_days"] == 20
    body = {"practitioner_ids": [m.pk for m in mediators], "selection": "chosen",
            "lead_username": mediator_user.username}
    assert post(client, f"/api/mediation/{pk}/mediators", body).json()["status"] == "in_mediation"
    assert post(client, f"/api/mediation/{pk}/participants",
                {"name": "王五", "relation": "楼长", "parties_consented": True}).status_code == 200
    assert post(client, f"/api/mediation/{pk}/records", {"content": "第一次调解"}).status_code == 200
    assert post(client, f"/api/mediation/{pk}/risks",
                {"level": "high", "description": "双方争吵", "measures": "分开调解"}).json()["risk_level"] == "high"
    incomplete = post(client, f"/api/mediation/{pk}/agreement", {"terms": "赔偿3000元"})
    assert incomplete.status_code == 400 and "第二十九条" in incomplete.json()["message"]
    agreed = post(client, f"/api/mediation/{pk}/agreement", {
        "facts": "装修漏水", "issues": "维修费", "terms": "赔偿3000元", "performance_manner": "现金",
        "performance_deadline": "2026-12-31"})
    assert agreed.json()["status"] == "agreed"
    signed = post(client, f"/api/mediation/{pk}/agreement/sign",
                  {"all_parties_signed": True, "mediator_signed": True, "committee_sealed": True}).json()
    assert signed["agreement"]["effective_on"] and signed["agreement"]["confirmation_due_on"]
    pdf = client.get(f"/api/mediation/{pk}/agreement.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert AuditEntry.objects.filter(action="read", object_type="mediation.agreement").count() == 1
    assert post(client, f"/api/mediation/{pk}/performance", {"result": "performed"}).json()["status"] == "performed"


def test_refusal_and_failure_endpoints(client, item, station, clerk, mediator_user, mediators):
    client.force_login(clerk)
    refused = apply(client).json()
    client.force_login(mediator_user)
    out = post(client, f"/api/mediation/{refused['id']}/refuse", {"party_id": refused["parties"][1]["party_id"]})
    assert out.json()["status"] == "refused"
    client.force_login(clerk)
    failing = apply(client).json()["id"]
    client.force_login(mediator_user)
    post(client, f"/api/mediation/{failing}/accept")
    post(client, f"/api/mediation/{failing}/mediators", {"practitioner_ids": [mediators[0].pk]})
    out = post(client, f"/api/mediation/{failing}/fail", {"note": "分歧大。"}).json()
    assert out["status"] == "failed" and "仲裁" in out["remedies_notice"]


def test_out_of_region_is_404(client, item, station, clerk, outsider):
    client.force_login(clerk)
    pk = apply(client).json()["id"]
    client.force_login(outsider)
    assert client.get(f"/api/mediation/{pk}").status_code == 404
    assert post(client, f"/api/mediation/{pk}/accept").status_code == 404
    assert client.get(f"/api/mediation/{pk}/agreement.pdf").status_code == 404
    assert client.get("/api/mediation/").json() == []
    client.logout()
    assert client.get("/api/mediation/").status_code == 401


def test_agreement_only_to_those_handling_the_mediation(client, item, station, clerk, mediator_user, committee,
                                                         mediators):
    """The agreement prints every party's ID number in full: the accepting clerk, the mediator of
    the case, the committee's mediators and the bureau get it (audited); other county staff 403."""
    from fawang.accounts.models import Role

    from .conftest import point, staff

    client.force_login(clerk)
    pk = apply(client, committee_id=committee.pk).json()["id"]
    client.force_login(mediator_user)
    post(client, f"/api/mediation/{pk}/accept")
    post(client, f"/api/mediation/{pk}/mediators", {"practitioner_ids": [m.pk for m in mediators]})
    post(client, f"/api/mediation/{pk}/agreement", {
        "facts": "装修漏水", "issues": "维修费", "terms": "赔偿3000元", "performance_manner": "现金",
        "performance_deadline": "2026-12-31"})
    url = f"/api/mediation/{pk}/agreement.pdf"
    county = point("SFS-410102", "410102", "county_center")
    committee_colleague = staff(Role.MEDIATOR, station)  # works at the committee's township
    bureau = staff(Role.SUPERVISOR, division_code="410102")
    for user in (clerk, mediator_user, committee_colleague, bureau):
        client.force_login(user)
        pdf = client.get(url)
        assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF"), user.role
        entry = AuditEntry.objects.get(action="read", object_type="mediation.agreement", actor=user)
        assert entry.changes["fields"] == ["parties.name", "parties.id_number", "parties.address", "parties.phone"]
        assert entry.region_code == "410102001"
    for user in (staff(Role.MEDIATOR, county), staff(Role.WINDOW_CLERK, county), staff(Role.LAWYER, county),
                 staff(Role.LEGAL_AID_APPROVER, county), staff(Role.SYSTEM_ADMIN, county)):
        client.force_login(user)
        refused = client.get(url)
        assert refused.status_code == 403 and "承办本调解" in refused.json()["message"], user.role
        assert client.get(f"/api/mediation/{pk}").status_code == 200  # the mediation itself stays visible
        assert not AuditEntry.objects.filter(actor=user, action="read").exists()
