"""Every mediation endpoint: anonymous → 401, other region → 404, a stranger citizen → 403/404.
Endpoints are read from the router, so new ones are covered automatically."""

from __future__ import annotations

import pytest

from fawang.accounts.models import Role, User
from fawang.mediation import services as s
from fawang.mediation.api import router

pytestmark = pytest.mark.django_db

BODY = {
    "party_id": 1, "consents": True, "note": "说明", "time_limit_days": 30, "practitioner_ids": [],
    "selection": "designated", "name": "王五", "relation": "邻居", "parties_consented": True, "content": "记录",
    "level": "low", "description": "情况", "reason": "no_agreement", "terms": "内容", "all_parties_signed": True,
    "mediator_signed": True, "committee_sealed": True, "result": "performed", "confirmed_on": "2026-01-20",
}


def operations():
    for path, view in router.path_operations.items():
        for op in view.operations:
            for method in op.methods:
                yield path, method


@pytest.fixture
def target(item, station, clerk, parties):
    a, b = parties
    return s.mediation_apply(actor=clerk, parties=[(a, "applicant"), (b, "respondent")], summary="纠纷",
                             channel="window", service_point=station)


def test_every_endpoint_is_scoped(client, target, outsider):
    citizen = User.objects.create_user(username="stranger", password="pw-Test-12345", role=Role.CITIZEN)
    ops = sorted(set(operations()))
    assert len(ops) >= 14
    failures = []
    for path, method in ops:
        url = "/api/mediation" + path.replace("{int:pk}", str(target.pk))
        call = client.get if method == "GET" else lambda u: client.post(u, BODY, content_type="application/json")
        client.logout()
        if call(url).status_code != 401:
            failures.append((method, path, "anonymous"))
        if path == "/":
            continue
        client.force_login(outsider)
        if call(url).status_code != 404:
            failures.append((method, path, "other region"))
        client.force_login(citizen)
        if call(url).status_code not in (403, 404):
            failures.append((method, path, "stranger citizen"))
    assert failures == []
