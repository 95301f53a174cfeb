"""Every case endpoint: anonymous → 401, out-of-region staff → 404, citizen on staff ops → 403."""

from __future__ import annotations

import pytest

from fawang.accounts.models import Role
from fawang.cases.models import CaseEvent
from fawang.cases.services import case_create

from . import factories as f

pytestmark = pytest.mark.django_db

# A valid body for each operation, so that the answer is about access, not about the payload.
BODIES = {
    "accept": {}, "assign": {"handler_username": "x"}, "start": {}, "request-materials": {"materials": ["id_card"]},
    "materials-received": {"materials": []}, "transfer": {"to_service_point_code": "SP-410103", "reason": "r"},
    "transfer-accept": {}, "transfer-refuse": {"reason": "r"}, "reject": {"reason": "r"}, "withdraw": {},
    "complete": {"result": "r"}, "deliver": {}, "notes": {"text": "t"},
    "rating": {"attitude": 5, "efficiency": 5, "professionalism": 5},
    "applicant/reveal": {"field": "phone", "purpose": "p"},
}
POSTS = list(BODIES)


@pytest.fixture
def number(consultation_item, clerk, applicant, county_point):
    return case_create(item=consultation_item, channel="window", applicant=applicant, service_point=county_point,
                       actor=clerk).number


@pytest.mark.parametrize("op", ["GET", *POSTS])
def test_out_of_scope_and_anonymous(client, number, other_clerk, op):
    def call():
        if op == "GET":
            return client.get(f"/api/cases/{number}")
        return client.post(f"/api/cases/{number}/{op}", BODIES[op], content_type="application/json")

    assert call().status_code == 401
    client.force_login(other_clerk)
    before = CaseEvent.objects.count()
    assert call().status_code == 404
    assert CaseEvent.objects.count() == before


@pytest.mark.parametrize("op", [p for p in POSTS if p != "rating"])
def test_citizen_cannot_use_staff_operations(client, number, op):
    client.force_login(f.user(Role.CITIZEN))
    assert client.post(f"/api/cases/{number}/{op}", BODIES[op], content_type="application/json").status_code == 403
