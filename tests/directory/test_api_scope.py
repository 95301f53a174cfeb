"""Every staff endpoint, three ways: no login (401), a role without directory.edit (403), a
supervisor of another county (404 for rows, 403 for creating there) and one of this county (2xx)."""

from __future__ import annotations

import datetime

import pytest

from fawang.accounts.models import Role

from .conftest import make_credit_code, make_lawyer_licence

API = "/api/directory"


@pytest.fixture
def world(make_institution, make_practitioner):
    firm = make_institution(name="金水所")  # 410105
    lawyer = make_practitioner(name="王律师", institution_id=firm.pk, phone="13800000000")
    return {"firm": firm, "lawyer": lawyer}


def calls(world):
    firm, lawyer = world["firm"], world["lawyer"]
    today = datetime.date.today().isoformat()
    return [
        ("get", f"{API}/staff/institutions", None, 200),
        ("get", f"{API}/staff/practitioners", None, 200),
        ("get", f"{API}/staff/practitioners/{lawyer.pk}/phone", None, 200),
        ("post", f"{API}/institutions", {"kind": "legal_aid_center", "name": "金水区法律援助中心",
                                         "division_code": "410105", "credit_code": make_credit_code("12410105")}, 201),
        ("patch", f"{API}/institutions/{firm.pk}", {"phone": "0371-12348"}, 200),
        ("post", f"{API}/practitioners", {"kind": "lawyer", "name": "新律师", "institution_id": firm.pk,
                                          "licence_number": make_lawyer_licence()}, 201),
        ("patch", f"{API}/practitioners/{lawyer.pk}", {"current_load": 1}, 200),
        ("post", f"{API}/credit-records", {"kind": "award", "institution_id": firm.pk, "decided_on": today,
                                           "issuing_authority": "金水区司法局", "summary": "表彰"}, 201),
    ]


def _do(client, method, url, payload):
    if method == "get":
        return client.get(url)
    return getattr(client, method)(url, payload, content_type="application/json")


def test_anonymous_gets_401(client, world):
    for method, url, payload, _ok in calls(world):
        assert _do(client, method, url, payload).status_code == 401, url


def test_role_without_edit_gets_403(client, world, make_user):
    client.force_login(make_user(role=Role.LEGAL_AID_APPROVER, division="410105"))
    for method, url, payload, _ok in calls(world):
        assert _do(client, method, url, payload).status_code == 403, url


def test_other_county_cannot_see_or_touch(client, world, make_user):
    client.force_login(make_user(role=Role.SUPERVISOR, division="410103"))
    for method, url, payload, _ok in calls(world):
        response = _do(client, method, url, payload)
        if url.endswith("/staff/institutions") or url.endswith("/staff/practitioners"):
            assert response.status_code == 200 and response.json()["count"] == 0, url
        else:
            assert response.status_code in (403, 404), (url, response.status_code)


def test_same_county_succeeds(client, world, make_user):
    client.force_login(make_user(role=Role.SUPERVISOR, division="410105"))
    for method, url, payload, ok in calls(world):
        response = _do(client, method, url, payload)
        assert response.status_code == ok, (url, response.content)
