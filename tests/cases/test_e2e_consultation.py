"""End to end: a consultation asked online becomes a case, is answered, fed back and rated."""

from __future__ import annotations

import pytest

from fawang.accounts.models import Role
from fawang.cases.models import Case, CaseCallback, CaseEvent
from fawang.cases.services import callback_complete
from fawang.catalog.services import catalog_load
from fawang.core.models import OutboxMessage

from . import factories as f

pytestmark = pytest.mark.django_db


def test_consultation_from_intake_to_rating(client):
    catalog_load()
    point = f.service_point("SP-410102", "410102", "county_center")
    clerk = f.user(Role.WINDOW_CLERK, point=point)
    citizen = f.user(Role.CITIZEN)

    # 1. The citizen asks on the website (shipped catalogue item 法律咨询).
    client.force_login(citizen)
    r = client.post("/api/cases/", {
        "item_code": "GGFL-ZX-001", "channel": "web", "service_point_code": "SP-410102",
        "applicant": {"name": "吴十", "phone": "13911112222"},
        "form_data": {"question": "包工头拖欠三个月工资，怎么要回来？", "category": "劳动争议"},
    }, content_type="application/json", HTTP_IDEMPOTENCY_KEY="web-e2e-1")
    assert r.status_code == 201
    number, code = r.json()["number"], r.json()["query_code"]
    assert r.json()["steps"][0]["article"].startswith("服务承诺")

    # 2. The county center answers it.
    client.force_login(clerk)
    for path, body in [("accept", {}), ("start", None), ("complete", {"result": "可向劳动保障监察投诉，或申请劳动仲裁；符合条件可申请法律援助。"}),
                       ("deliver", None)]:
        r = client.post(f"/api/cases/{number}/{path}", body or {}, content_type="application/json")
        assert r.status_code == 200, r.json()
    assert r.json()["status"] == "delivered"

    # 3. The citizen sees progress and the result message on the site channel, then rates.
    client.logout()
    progress = client.post("/api/cases/progress", {"number": number, "verification": code},
                           content_type="application/json").json()
    assert progress["status"] == "delivered"
    assert [s["type"] for s in progress["steps"]] == [
        "case.received", "case.accepted", "case.started", "case.completed", "case.result_delivered"]
    site = OutboxMessage.objects.filter(channel="site", user=citizen).order_by("id")
    assert site.count() == 3 and "劳动仲裁" in site.last().body
    client.force_login(citizen)
    r = client.post(f"/api/cases/{number}/rating", {"attitude": 5, "efficiency": 2, "professionalism": 4,
                                                   "comment": "等了太久"}, content_type="application/json")
    assert r.status_code == 201 and r.json()["callback_opened"]

    # 4. The dissatisfied rating opened a callback for the responsible clerk; it is done.
    case = Case.objects.get(number=number)
    callback = CaseCallback.objects.get(case=case)
    assert callback.assigned_to == clerk
    callback_complete(callback=callback, actor=clerk, outcome="已电话回访，解释了答复时限，群众表示理解。")
    types = list(CaseEvent.objects.filter(case=case).order_by("id").values_list("type", flat=True))
    assert types[-3:] == ["case.rated", "case.callback_opened", "case.callback_done"]
    # Another citizen cannot rate or see it.
    client.force_login(f.user(Role.CITIZEN))
    assert client.get(f"/api/cases/{number}").status_code == 404
