"""Directory API: public list/detail/filters/pagination, staff writes with permission and scope."""

from __future__ import annotations

import datetime

import pytest

from fawang.accounts.models import Role
from fawang.directory import services
from fawang.directory.choices import InstitutionKind, PractitionerKind
from fawang.directory.models import Institution

from .conftest import make_credit_code, make_lawyer_licence

API = "/api/directory"


@pytest.fixture
def data(make_institution, make_practitioner):
    firm = make_institution(name="河南金水律师事务所", specialties=["labor"], latitude=34.77, longitude=113.67,
                            phone="0371-60000000")
    aid = make_institution(kind=InstitutionKind.LEGAL_AID_CENTER, name="郑州市二七区法律援助中心",
                           division_code="410103", latitude=34.73, longitude=113.60)
    lawyer = make_practitioner(name="王律师", institution_id=firm.pk, phone="13800000000", current_load=3)
    services.credit_record_create(actor=None, kind="award", practitioner=lawyer, decided_on=datetime.date.today(),
                                  issuing_authority="郑州市司法局", summary="优秀律师")
    return {"firm": firm, "aid": aid, "lawyer": lawyer}


def test_public_institution_list_filters_and_pages(client, data, make_institution):
    for i in range(25):
        make_institution(name=f"批量{i:02d}律师事务所", division_code="410103")
    body = client.get(f"{API}/institutions", {"page_size": 10, "page": 3}).json()
    assert body["count"] == 27
    assert body["page"] == 3
    assert len(body["items"]) == 7
    body = client.get(f"{API}/institutions", {"kind": "legal_aid_center"}).json()
    assert [i["name"] for i in body["items"]] == ["郑州市二七区法律援助中心"]
    assert body["items"][0]["kind_label"] == "法律援助中心"
    body = client.get(f"{API}/institutions", {"specialty": "labor", "region": "410105"}).json()
    assert [i["name"] for i in body["items"]] == ["河南金水律师事务所"]
    assert client.get(f"{API}/institutions", {"page_size": 1000}).json()["page_size"] == 100
    assert client.get(f"{API}/institutions", {"page": 0}).status_code == 400
    assert client.get(f"{API}/institutions", {"kind": "bank"}).status_code == 422


def test_institution_detail_includes_practitioners_without_private_fields(client, data):
    body = client.get(f"{API}/institutions/{data['firm'].pk}").json()
    assert body["name"] == "河南金水律师事务所"
    assert body["phone"] == "0371-60000000"
    assert [p["name"] for p in body["practitioners"]] == ["王律师"]
    assert "phone" not in body["practitioners"][0]
    assert "current_load" not in body["practitioners"][0]
    assert client.get(f"{API}/institutions/999999").status_code == 404


def test_practitioner_list_detail_and_credit_records(client, data):
    body = client.get(f"{API}/practitioners", {"q": "王律师"}).json()
    assert body["count"] == 1 and body["items"][0]["institution_name"] == "河南金水律师事务所"
    detail = client.get(f"{API}/practitioners/{data['lawyer'].pk}").json()
    assert [r["summary"] for r in detail["credit_records"]] == ["优秀律师"]
    assert "phone" not in detail
    records = client.get(f"{API}/credit-records", {"practitioner_id": data["lawyer"].pk}).json()
    assert records["count"] == 1 and records["items"][0]["subject_name"] == "王律师"


def test_nearby_and_map(client, data):
    body = client.get(f"{API}/institutions/nearby", {"lat": 34.769, "lng": 113.669, "radius_km": 20}).json()
    assert [n["institution"]["name"] for n in body] == ["河南金水律师事务所", "郑州市二七区法律援助中心"]
    assert body[0]["distance_km"] < body[1]["distance_km"]
    assert client.get(f"{API}/institutions/nearby", {"lat": 95, "lng": 113}).status_code == 400
    points = client.get(f"{API}/map").json()
    assert {p["name"] for p in points} == {"河南金水律师事务所", "郑州市二七区法律援助中心"}


def _institution_payload(**extra):
    payload = {"kind": "notary_office", "name": "郑州市金水公证处", "division_code": "410105",
               "credit_code": make_credit_code("32410000"), "licence_number": "GZ410105001"}
    payload.update(extra)
    return payload


def test_writes_require_login_and_edit_permission(client, divisions, make_user):
    assert client.post(f"{API}/institutions", _institution_payload(), content_type="application/json").status_code == 401
    client.force_login(make_user(role=Role.WINDOW_CLERK, division="410105"))
    response = client.post(f"{API}/institutions", _institution_payload(), content_type="application/json")
    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"
    assert not Institution.objects.exists()


def test_staff_create_and_update_institution(client, divisions, make_user):
    client.force_login(make_user(role=Role.SUPERVISOR, division="410105"))
    response = client.post(f"{API}/institutions", _institution_payload(), content_type="application/json")
    assert response.status_code == 201, response.content
    inst_id = response.json()["id"]
    response = client.patch(f"{API}/institutions/{inst_id}", {"phone": "0371-12348"},
                            content_type="application/json")
    assert response.status_code == 200 and response.json()["phone"] == "0371-12348"
    response = client.patch(f"{API}/institutions/{inst_id}", {"credit_code": "123"}, content_type="application/json")
    assert response.status_code == 400
    assert response.json()["field"] == "credit_code"
    # Outside the caller's region: forbidden to create, not found to update.
    response = client.post(f"{API}/institutions", _institution_payload(division_code="410103"),
                           content_type="application/json")
    assert response.status_code == 403


def test_out_of_region_rows_answer_404(client, data, make_user):
    client.force_login(make_user(role=Role.SUPERVISOR, division="410103"))
    assert client.patch(f"{API}/institutions/{data['firm'].pk}", {"phone": "1"},
                        content_type="application/json").status_code == 404
    assert client.patch(f"{API}/practitioners/{data['lawyer'].pk}", {"phone": "12345678"},
                        content_type="application/json").status_code == 404
    assert client.patch(f"{API}/institutions/{data['aid'].pk}", {"phone": "0371-1234"},
                        content_type="application/json").status_code == 200


def test_staff_practitioner_endpoints(client, data, make_user):
    client.force_login(make_user(role=Role.SUPERVISOR, division="4101"))
    payload = {"kind": "lawyer", "name": "陈律师", "licence_number": make_lawyer_licence(2015),
               "institution_id": data["firm"].pk, "specialties": ["labor"], "phone": "13900000000"}
    response = client.post(f"{API}/practitioners", payload, content_type="application/json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["practice_since"] == 2015 and body["phone"] == "139****0000"  # masked
    response = client.post(f"{API}/practitioners", payload, content_type="application/json")
    assert response.status_code == 400 and response.json()["code"] == "duplicate_licence"
    response = client.patch(f"{API}/practitioners/{body['id']}", {"current_load": 2},
                            content_type="application/json")
    assert response.json()["current_load"] == 2
    staff_list = client.get(f"{API}/staff/practitioners").json()
    assert {p["name"] for p in staff_list["items"]} == {"王律师", "陈律师"}
    assert staff_list["count"] == 2
    response = client.post(f"{API}/practitioners", {"kind": PractitionerKind.NOTARY, "name": "x",
                                                    "licence_number": "GZ1234", "institution_id": data["firm"].pk},
                           content_type="application/json")
    assert response.status_code == 400 and response.json()["field"] == "institution_id"


def test_staff_credit_record_endpoint(client, data, make_user):
    client.force_login(make_user(role=Role.SUPERVISOR, division="4101"))
    today = datetime.date.today().isoformat()
    response = client.post(f"{API}/credit-records", {
        "kind": "sanction", "institution_id": data["firm"].pk, "decided_on": today,
        "issuing_authority": "郑州市司法局", "decision_number": "郑司罚〔2025〕3号", "summary": "警告",
    }, content_type="application/json")
    assert response.status_code == 201, response.content
    assert response.json()["kind_label"] == "行政处罚"
    response = client.post(f"{API}/credit-records", {
        "kind": "award", "decided_on": today, "issuing_authority": "x", "summary": "x",
    }, content_type="application/json")
    assert response.status_code == 400 and response.json()["code"] == "invalid_subject"


def test_openapi_schema_lists_directory_endpoints(client, db):
    paths = client.get("/api/openapi.json").json()["paths"]
    assert {"/api/directory/institutions", "/api/directory/institutions/nearby", "/api/directory/map",
            "/api/directory/credit-records"} <= set(paths)
    assert "post" in paths["/api/directory/institutions"]


def test_staff_can_reveal_a_phone_and_the_read_is_audited(client, data, make_user):
    from fawang.core.models import AuditAction, AuditEntry

    supervisor = make_user(role=Role.SUPERVISOR, division="4101")
    client.force_login(supervisor)
    url = f"{API}/staff/practitioners/{data['lawyer'].pk}/phone"
    assert client.get(url, {"purpose": "联系承办律师"}).json() == {"value": "13800000000"}
    entry = AuditEntry.objects.filter(action=AuditAction.READ).get()
    assert entry.actor == supervisor and entry.detail == "联系承办律师"
    client.force_login(make_user(role=Role.SUPERVISOR, division="410103"))
    assert client.get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 401


def test_staff_institution_list_is_scoped_and_includes_every_status(client, data, make_user, make_institution):
    make_institution(name="已注销所", division_code="410103", status="deregistered")
    client.force_login(make_user(role=Role.SUPERVISOR, division="410103"))
    body = client.get(f"{API}/staff/institutions").json()
    assert {i["name"] for i in body["items"]} == {"郑州市二七区法律援助中心", "已注销所"}
    client.force_login(make_user(role=Role.WINDOW_CLERK, division="410103"))
    assert client.get(f"{API}/staff/institutions").status_code == 403
