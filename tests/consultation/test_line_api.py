"""API of the consultation line: scoping (other county → 404), the whole flow over HTTP."""

from __future__ import annotations

import pytest

from fawang.accounts.models import Role
from fawang.cases.models import Case, CaseEvent, Party
from fawang.consultation.models import ConsultationRecord

from .test_line_services import _user, world  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db

BASE = "/api/consultation/line"


def _post(client, path, body):
    return client.post(f"{BASE}{path}", body, content_type="application/json")


def test_record_escalate_answer_convert_close_rate_over_http(client, world):  # noqa: F811
    client.force_login(world["agent"])
    r = _post(client, "/", {
        "question": "包工头拖欠工资半年，怎么办？", "channel": "hotline", "keep_open": True,
        "answer": "先初步告知维权途径。", "citations": [{"law": "劳动合同法", "article": "第三十条"}],
        "applicant": {"name": "吴十", "id_number": "410102199003071230", "phone": "13911112222"},
        "service_point_code": "SP-LINE-01", "idempotency_key": "hotline-call-1",
    })
    assert r.status_code == 201, r.json()
    body = r.json()
    number = body["number"]
    assert body["status"] == "answered" and body["case_status"] == "accepted"
    assert body["citations"][0]["article_id"] is not None
    # Same idempotency key → same consultation.
    again = _post(client, "/", {"question": "包工头拖欠工资半年，怎么办？", "channel": "hotline",
                                "service_point_code": "SP-LINE-01", "idempotency_key": "hotline-call-1"})
    assert again.json()["number"] == number and ConsultationRecord.objects.count() == 1

    r = _post(client, f"/{number}/escalate", {"reason": "多人欠薪", "lawyer_username": world["lawyer"].username})
    assert r.status_code == 200, r.json()
    assert r.json()["status"] == "escalated" and r.json()["rounds"][0]["number"] == 1

    client.force_login(world["lawyer"])
    assert [c["number"] for c in client.get(f"{BASE}/").json()] == [number]  # assigned to him
    r = _post(client, f"/{number}/answer", {"answer": "保存考勤和转账记录。"})
    assert r.status_code == 200 and r.json()["rounds"][0]["author_name"] == world["lawyer"].real_name

    client.force_login(world["agent"])
    r = _post(client, f"/{number}/ask", {"question": "没有合同怎么办？"})
    assert r.status_code == 200 and len(r.json()["rounds"]) == 2
    client.force_login(world["lawyer"])
    assert _post(client, f"/{number}/answer", {"answer": "可用其他证据证明劳动关系。"}).status_code == 200

    client.force_login(world["agent"])
    r = _post(client, f"/{number}/convert", {"target": "legal_aid", "matter": "labour_remuneration"})
    assert r.status_code == 201 and r.json()["item_code"] == "GGFL-FY-001"
    aid_number = r.json()["number"]
    assert client.get(f"{BASE}/{number}").json()["linked"][0]["number"] == aid_number

    client.force_login(world["lawyer"])
    r = _post(client, f"/{number}/close", {"summary": "已两轮答复并转法律援助。"})
    assert r.status_code == 200 and r.json()["case_status"] == "delivered"

    # The rating is the spine's endpoint; the agent enters the caller's rating on the hotline.
    client.force_login(world["agent"])
    r = client.post(f"/api/cases/{number}/rating", {"attitude": 5, "efficiency": 2, "professionalism": 5,
                                                    "channel": "hotline"}, content_type="application/json")
    assert r.status_code == 201 and r.json()["callback_opened"]
    assert CaseEvent.objects.filter(case__number=number).order_by("-id").first().type == "case.callback_opened"


def test_other_county_gets_404_and_errors_are_clear(client, world):  # noqa: F811
    client.force_login(world["agent"])
    number = _post(client, "/", {"question": "离婚财产怎么分？", "channel": "hotline"}).json()["number"]
    client.force_login(world["other_clerk"])
    assert client.get(f"{BASE}/{number}").status_code == 404
    for path, body in [("/escalate", {"reason": "x", "lawyer_username": world["lawyer"].username}),
                       ("/close", {"summary": "x"}), ("/convert", {"target": "notary", "notary_matter": "x"}),
                       ("/answer", {"answer": "x"})]:
        assert _post(client, f"/{number}{path}", body).status_code == 404, path
    assert number not in [c["number"] for c in client.get(f"{BASE}/").json()]
    # A lawyer not assigned to it does not see it either.
    client.force_login(world["far_lawyer"])
    assert client.get(f"{BASE}/{number}").status_code == 404
    # Bad input → 400 with a zh-hans message, nothing saved.
    client.force_login(world["agent"])
    before = Case.objects.count()
    parties = Party.objects.count()
    r = _post(client, "/", {"question": "工资", "channel": "fax", "applicant": {"name": "吴十", "id_type": "none"}})
    assert r.status_code == 400 and r.json()["code"] == "channel_invalid" and "渠道" in r.json()["message"]
    assert Case.objects.count() == before and Party.objects.count() == parties
    # Citizens cannot record for others.
    client.force_login(world["citizen"])
    assert _post(client, "/", {"question": "工资", "channel": "web"}).status_code == 403


def test_citizen_reads_own_and_asks_follow_up(client, world):  # noqa: F811
    from fawang.cases.services import party_create
    from fawang.consultation import services_line as line

    record = line.consultation_record(
        actor=world["agent"], channel="web", question="工伤怎么认定？", citizen_user=world["citizen"],
        applicant=party_create(name="吴十", phone="13911112222", id_type="none"))
    line.consultation_escalate(record=record, actor=world["agent"], reason="复杂", lawyer=world["lawyer"])
    line.consultation_round_answer(record=record, actor=world["lawyer"], answer="先申请工伤认定。")
    number = record.case.number
    client.force_login(world["citizen"])
    assert client.get(f"{BASE}/{number}").json()["rounds"][0]["answer"] == "先申请工伤认定。"
    r = _post(client, f"/{number}/ask", {"question": "单位不配合怎么办？"})
    assert r.status_code == 200 and r.json()["rounds"][1]["question"] == "单位不配合怎么办？"
    client.force_login(_user(Role.CITIZEN))
    assert client.get(f"{BASE}/{number}").status_code == 404
    assert _post(client, f"/{number}/ask", {"question": "x"}).status_code == 404


def test_smart_web_consultation_converted_with_applicant_given_once(client, world, faq):  # noqa: F811
    from fawang.consultation.services import consult

    smart = consult(question="公司拖欠工资三个月不发怎么办", channel="web", region_code="410102",
                    user=world["citizen"], use_llm=False)
    assert smart.case_number
    client.force_login(world["other_clerk"])
    assert _post(client, f"/from-smart/{smart.public_id}", {}).status_code == 404
    client.force_login(world["agent"])
    r = _post(client, f"/from-smart/{smart.public_id}", {})
    assert r.status_code == 201 and r.json()["number"] == smart.case_number
    assert r.json()["status"] == "closed" and r.json()["answer"] == smart.answer_text
    assert _post(client, f"/from-smart/{smart.public_id}", {}).json()["number"] == smart.case_number  # once
    # Anonymous question: legal aid needs the applicant, given once at conversion.
    r = _post(client, f"/{smart.case_number}/convert", {"target": "legal_aid", "matter": "labour_remuneration"})
    assert r.status_code == 400 and r.json()["code"] == "applicant_required"
    r = _post(client, f"/{smart.case_number}/convert", {
        "target": "legal_aid", "matter": "labour_remuneration",
        "applicant": {"name": "吴十", "id_number": "410102199003071230", "phone": "13911112222"}})
    assert r.status_code == 201, r.json()
    aid = Case.objects.get(number=r.json()["number"])
    source = Case.objects.get(number=smart.case_number)
    assert aid.applicant == source.applicant and aid.applicant.name == "吴十"
    assert aid.citizen_user == world["citizen"] and aid.channel == "web"
    assert aid.form_data["question"] == smart.question and list(source.linked_cases.all()) == [aid]
    assert list(CaseEvent.objects.filter(case=source).order_by("id").values_list("type", flat=True))[-2:] == [
        "consultation.applicant_added", "consultation.converted"]
