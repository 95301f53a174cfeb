"""Case API: intake idempotency, scoping (404 out of region), transitions, progress."""

from __future__ import annotations

import pytest

from fawang.accounts.models import Role
from fawang.cases.models import Case, CaseEvent, Party

from . import factories as f

pytestmark = pytest.mark.django_db

APPLICANT = {"name": "赵六", "id_number": f.ID_NUMBERS[3], "phone": "13700137000", "address": "金水路8号"}


@pytest.fixture
def api(client, clerk, consultation_item, county_point):
    client.force_login(clerk)
    return client


def intake(client, key="", **extra):
    body = {"item_code": "GGFL-ZX-001", "channel": "window", "service_point_code": "SP-410102",
            "applicant": APPLICANT, "form_data": {"question": "工资被拖欠怎么办"}, **extra}
    headers = {"HTTP_IDEMPOTENCY_KEY": key} if key else {}
    return client.post("/api/cases/", body, content_type="application/json", **headers)


def test_intake_idempotent_201_then_200(api):
    first = intake(api, key="window-1")
    assert first.status_code == 201
    data = first.json()
    assert data["status"] == "received" and data["events"][-1]["type"] == "case.received"
    assert data["applicant_phone"] != APPLICANT["phone"]  # masked
    again = intake(api, key="window-1")
    assert again.status_code == 200 and again.json()["number"] == data["number"]
    assert Case.objects.count() == 1 and Party.objects.count() == 1
    field_key = intake(api, idempotency_key="window-2")
    assert field_key.status_code == 201
    assert intake(api, idempotency_key="window-2").status_code == 200


def test_intake_replay_keeps_nothing_of_the_second_request(api):
    """A replayed key is found by the unique column after the request has written its party;
    everything the replay wrote is rolled back (no second party, event, clock or SMS)."""
    from fawang.cases.models import CaseStep
    from fawang.core.models import OutboxMessage

    no_id = {"name": "钱七", "phone": "13700137001"}  # no ID number: a party is never reused by phone
    first = intake(api, key="replay-1", applicant=no_id)
    assert first.status_code == 201
    counts = (Party.objects.count(), Case.objects.count(), CaseEvent.objects.count(), CaseStep.objects.count(),
              OutboxMessage.objects.count())
    again = intake(api, key="replay-1", applicant=no_id)
    assert again.status_code == 200 and again.json()["number"] == first.json()["number"]
    assert again.json()["events"] == first.json()["events"]
    assert (Party.objects.count(), Case.objects.count(), CaseEvent.objects.count(), CaseStep.objects.count(),
            OutboxMessage.objects.count()) == counts


def test_intake_errors_are_zh_and_save_nothing(api):
    bad = intake(api, applicant={**APPLICANT, "id_number": "410103197201010058"})
    assert bad.status_code == 400 and bad.json()["code"] == "id_number_invalid" and "身份证" in bad.json()["message"]
    unknown = intake(api, item_code="GGFL-ZX-404")
    assert unknown.status_code == 400 and unknown.json()["field"] == "item_code"
    assert Case.objects.count() == 0 and Party.objects.count() == 0


def test_out_of_scope_is_404_everywhere(api, client, other_clerk):
    number = intake(api, key="s-1").json()["number"]
    client.force_login(other_clerk)
    assert client.get(f"/api/cases/{number}").status_code == 404
    assert client.get("/api/cases/NOPE").status_code == 404
    assert client.post(f"/api/cases/{number}/accept", {}, content_type="application/json").status_code == 404
    assert client.get("/api/cases/").json() == []
    # Same key from another region does not reveal the case either.
    assert intake(client, key="s-1", service_point_code="SP-410103").status_code == 404


def test_transitions_through_api(api, clerk):
    number = intake(api).json()["number"]
    r = api.post(f"/api/cases/{number}/accept", {}, content_type="application/json")
    assert r.status_code == 200 and r.json()["status"] == "accepted"
    r = api.post(f"/api/cases/{number}/deliver", content_type="application/json")
    assert r.status_code == 400 and r.json()["code"] == "invalid_transition" and "不能变更" in r.json()["message"]
    r = api.post(f"/api/cases/{number}/request-materials", {"materials": ["id_card"]}, content_type="application/json")
    assert r.json()["status"] == "awaiting_materials" and r.json()["steps"][0]["state"] == "paused"
    r = api.post(f"/api/cases/{number}/materials-received", {"materials": ["id_card"]},
                 content_type="application/json")
    assert r.json()["status"] == "accepted"
    r = api.post(f"/api/cases/{number}/complete", {"result": "已当面解答"}, content_type="application/json")
    assert r.json()["status"] == "completed"
    r = api.post(f"/api/cases/{number}/deliver", content_type="application/json")
    assert r.json()["status"] == "delivered" and r.json()["events"][-1]["type"] == "case.result_delivered"
    r = api.post(f"/api/cases/{number}/rating", {"attitude": 1, "efficiency": 3, "professionalism": 3},
                 content_type="application/json")
    assert r.status_code == 201 and r.json() == {"dissatisfied": True, "callback_opened": True}


def test_transfer_visible_to_receiver_then_theirs(api, client, other_clerk, other_point):
    number = intake(api).json()["number"]
    r = api.post(f"/api/cases/{number}/transfer", {"to_service_point_code": "SP-410103", "reason": "属地管辖"},
                 content_type="application/json")
    assert r.status_code == 200 and r.json()["status"] == "transferring"
    client.force_login(other_clerk)
    assert client.get(f"/api/cases/{number}").status_code == 200
    r = client.post(f"/api/cases/{number}/transfer-accept", content_type="application/json")
    assert r.status_code == 200 and r.json()["region_code"] == "410103"


def test_anonymous_and_citizen(client, consultation_item, county_point):
    assert intake(client).status_code == 401
    citizen = f.user(Role.CITIZEN)
    client.force_login(citizen)
    assert intake(client).status_code == 400  # citizens apply online only
    r = intake(client, channel="web", key="c-1")
    assert r.status_code == 201
    number = r.json()["number"]
    assert [c["number"] for c in client.get("/api/cases/").json()] == [number]
    assert client.post(f"/api/cases/{number}/accept", content_type="application/json").status_code == 403
    case = Case.objects.get(number=number)
    assert case.citizen_user == citizen and case.first_contact_user is None


def test_progress_lookup_from_events(api, client):
    data = intake(api).json()
    number, code = data["number"], data["query_code"]
    api.post(f"/api/cases/{number}/accept", {}, content_type="application/json")
    client.logout()
    r = client.post("/api/cases/progress", {"number": number, "verification": code},
                    content_type="application/json")
    assert r.status_code == 200
    body = r.json()
    assert body["status"] == "accepted" and [s["type"] for s in body["steps"]] == ["case.received", "case.accepted"]
    by_phone = client.post("/api/cases/progress", {"number": number, "verification": "7000"},
                           content_type="application/json")
    assert by_phone.status_code == 200
    wrong = client.post("/api/cases/progress", {"number": number, "verification": "000000x"},
                        content_type="application/json")
    assert wrong.status_code == 404
    assert CaseEvent.objects.filter(case__number=number, public=False).count() == 0


def test_reveal_applicant_is_audited(api, client):
    from fawang.core.models import AuditEntry

    number = intake(api).json()["number"]
    r = api.post(f"/api/cases/{number}/applicant/reveal", {"field": "phone", "purpose": ""},
                 content_type="application/json")
    assert r.status_code == 400 and r.json()["code"] == "purpose_required"
    before = AuditEntry.objects.count()
    r = api.post(f"/api/cases/{number}/applicant/reveal", {"field": "phone", "purpose": "电话回访"},
                 content_type="application/json")
    assert r.status_code == 200 and r.json()["value"] == APPLICANT["phone"]
    assert AuditEntry.objects.count() == before + 1
    adviser = f.user(Role.VILLAGE_ADVISER, point=f.service_point("SP-410102", "410102"))
    client.force_login(adviser)  # in region, but the role may not reveal personal data
    r = client.post(f"/api/cases/{number}/applicant/reveal", {"field": "phone", "purpose": "x"},
                    content_type="application/json")
    assert r.status_code == 403


def test_progress_lookup_closes_after_repeated_failures(api, client):
    from django.core.cache import cache

    cache.clear()
    data = intake(api).json()
    client.logout()
    for _ in range(10):
        r = client.post("/api/cases/progress", {"number": data["number"], "verification": "999999x"},
                        content_type="application/json")
        assert r.status_code == 404
    r = client.post("/api/cases/progress", {"number": data["number"], "verification": data["query_code"]},
                    content_type="application/json")
    assert r.status_code == 429 and r.json()["code"] == "too_many_attempts"
    cache.clear()


def test_intake_answer_built_in_hand_equals_the_stored_case(api):
    """The 201 body is built from the rows intake wrote (no read-back); it must say exactly what
    a later read says: the received event, the SLA clock, the outbox row beside them."""
    from django.db import connection

    from fawang.core.models import OutboxMessage

    statements: list[str] = []

    def log(execute, sql, params, many, context):
        statements.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(log):
        created = intake(api, key="in-hand-1")
    assert created.status_code == 201
    body = created.json()
    stored = api.get(f"/api/cases/{body['number']}").json()
    assert body["events"] == stored["events"] and body["steps"] == stored["steps"]
    assert [e["type"] for e in body["events"]] == ["case.received"] and body["steps"][0]["step"] == "reply"
    assert OutboxMessage.objects.filter(related_id=str(Case.objects.get(number=body["number"]).pk)).count() == 1
    selects = [sql.split(" FROM ", 1)[1].split()[0] for sql in statements if sql.startswith("SELECT") and " FROM " in sql]
    # No read-back of the events or steps, no idempotency lookup before the insert (the unique
    # column finds replays), no outbox lookup (its key names the new event), item and point
    # read once.
    assert '"cases_casestep"' not in selects and '"cases_caseevent"' not in selects
    assert '"cases_case"' not in selects and '"core_outboxmessage"' not in selects
    assert selects.count('"regions_servicepoint"') == 1 and selects.count('"catalog_serviceitem"') == 1
    writes = [sql for sql in statements if sql.startswith(("INSERT", "WITH")) and "casesequence" not in sql]
    if connection.vendor == "postgresql":  # party, case, event, clock and SMS in one round trip
        assert len(writes) == 1 and writes[0].startswith("WITH") and writes[0].count("INSERT INTO") == 5
    else:
        assert len(writes) == 5
    statements.clear()
    with connection.execute_wrapper(log):
        assert intake(api, key="in-hand-2").status_code == 201
    # Item and point are cached per process.
    assert not any('"catalog_serviceitem"' in sql or '"regions_servicepoint"' in sql for sql in statements)
