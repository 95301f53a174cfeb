"""Every legal aid endpoint: anonymous → 401, other region → 404 (same as missing), a citizen
who does not own the record → 404 or 403. The list of endpoints is read from the router, so a
new endpoint is covered (or this test fails) automatically."""

from __future__ import annotations

import pytest

from fawang.accounts.models import Role, User
from fawang.legalaid import services as s
from fawang.legalaid.api import router

pytestmark = pytest.mark.django_db

# A body that passes every endpoint's schema, so the answer is about scope, not validation.
BODY = {
    "reasons": "理由", "reason": "理由", "note": "说明", "grounds": "异议", "outcome": "upheld", "content": "情况",
    "ground": "own_lawyer", "grade": "good", "methods": [], "center_code": "FY-410102", "materials": ["材料"],
    "received": [], "documents": [], "opinion": "", "days": 10,
}
PUBLIC_OR_CREATE = {"/", "/notifications"}


def operations():
    for path, view in router.path_operations.items():
        for op in view.operations:
            for method in op.methods:
                yield path, method


@pytest.fixture
def target(items, center, clerk, reviewer, approver, applicant):
    app = s.legalaid_apply(actor=clerk, applicant=applicant, channel="window", service_point=center,
                           matter="pension")
    app = s.legalaid_receive(app=app, actor=reviewer)
    app = s.legalaid_refuse(app=app, actor=approver, reasons="不符合条件")
    objection = s.legalaid_object(app=app, actor=clerk, grounds="不服")
    return app, objection


def _url(path: str, app, objection) -> str:
    return "/api/legalaid" + path.replace("{int:pk}", str(app.pk)).replace("{int:oid}", str(objection.pk))


def test_every_endpoint_is_scoped(client, target, outsider):
    app, objection = target
    citizen = User.objects.create_user(username="stranger", password="pw-Test-12345", role=Role.CITIZEN)
    ops = sorted(set(operations()))
    assert len(ops) >= 20
    failures = []
    for path, method in ops:
        url = _url(path, app, objection)
        call = client.get if method == "GET" else lambda u: client.post(u, BODY, content_type="application/json")
        client.logout()
        if call(url).status_code != 401:
            failures.append((method, path, "anonymous"))
        if path in PUBLIC_OR_CREATE:
            continue
        client.force_login(outsider)
        if call(url).status_code != 404:
            failures.append((method, path, "other region"))
        client.force_login(citizen)
        if call(url).status_code not in (403, 404):
            failures.append((method, path, "stranger citizen"))
    assert failures == []
