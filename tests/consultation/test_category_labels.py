"""Categories confirmed by staff: chosen at intake or corrected later, recorded as a case event,
and exported as labelled questions that ``train-classifier`` takes beside the dev file."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from fawang.cases.models import CaseEvent
from fawang.consultation import services_line as line
from fawang.core.errors import DomainError, NotFoundOrForbidden

from .test_line_services import _user, world  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db

BASE = "/api/consultation/line"


def _export(*args: str) -> list[dict]:
    out = StringIO()
    call_command("export_category_labels", "-", *args, stdout=out, stderr=StringIO())
    return [json.loads(line) for line in out.getvalue().splitlines()]


def test_category_chosen_at_intake_counts_as_staff_label_and_the_classifier_guess_does_not(world):  # noqa: F811
    chosen = line.consultation_record(actor=world["agent"], channel="hotline", question="房东不退押金怎么办",
                                      category="合同纠纷")
    guessed = line.consultation_record(actor=world["agent"], channel="hotline", question="公司拖欠工资三个月")
    assert chosen.category_by_staff is True
    assert guessed.category == "劳动纠纷" and guessed.category_by_staff is False
    assert _export() == [{"id": chosen.case.number, "question": "房东不退押金怎么办", "category": "合同纠纷"}]


def test_staff_correct_a_category_even_after_closing_with_an_event_and_no_duplicate(world):  # noqa: F811
    record = line.consultation_record(actor=world["clerk"], channel="window", question="孩子在学校被同学打伤了",
                                      answer="可先与学校协商赔偿。")
    assert record.status == "closed" and not record.category_by_staff
    machine = record.category
    corrected = line.consultation_set_category(record=record, actor=world["clerk"], category="人身损害")
    assert corrected.category == "人身损害" and corrected.category_by_staff is True
    assert corrected.case.form_data["category"] == "人身损害"
    event = CaseEvent.objects.get(case=record.case, type="consultation.category_set")
    assert event.payload == {"from": machine, "to": "人身损害"} and event.actor == world["clerk"]
    # The same choice again is a no-op: no second event.
    line.consultation_set_category(record=record, actor=world["clerk"], category="人身损害")
    assert CaseEvent.objects.filter(case=record.case, type="consultation.category_set").count() == 1
    # Confirming the classifier's own guess makes it a label too (one event, from == to).
    other = line.consultation_record(actor=world["clerk"], channel="window", question="离婚后孩子抚养权归谁")
    line.consultation_set_category(record=other, actor=world["clerk"], category=other.category)
    assert CaseEvent.objects.get(case=other.case, type="consultation.category_set").payload == {
        "from": other.category, "to": other.category}
    assert {row["question"] for row in _export()} == {"孩子在学校被同学打伤了", "离婚后孩子抚养权归谁"}


def test_set_category_refuses_bad_input_outsiders_and_citizens_and_changes_nothing(world):  # noqa: F811
    record = line.consultation_record(actor=world["agent"], channel="hotline", question="工资拖欠怎么办")
    with pytest.raises(DomainError) as exc:
        line.consultation_set_category(record=record, actor=world["agent"], category="外星法")
    assert exc.value.code == "category_invalid" and exc.value.field == "category"
    for outsider in (world["other_clerk"], world["citizen"]):
        with pytest.raises(NotFoundOrForbidden):
            line.consultation_set_category(record=record, actor=outsider, category="合同纠纷")
    record.refresh_from_db()
    assert record.category == "劳动纠纷" and not record.category_by_staff
    assert not CaseEvent.objects.filter(case=record.case, type="consultation.category_set").exists()


def test_set_category_over_http_and_on_the_staff_page(client, world):  # noqa: F811
    record = line.consultation_record(actor=world["agent"], channel="hotline", question="工资拖欠怎么办")
    number = record.case.number
    client.force_login(world["agent"])
    r = client.post(f"{BASE}/{number}/category", {"category": "合同纠纷"}, content_type="application/json")
    assert r.status_code == 200, r.json()
    assert r.json()["category"] == "合同纠纷" and r.json()["category_by_staff"] is True
    r = client.post(f"{BASE}/{number}/category", {"category": "xx"}, content_type="application/json")
    assert r.status_code == 400 and r.json()["code"] == "category_invalid"
    page = client.get(f"/consult/line/{number}/body/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "人工确认" in html and 'name="category"' in html
    r = client.post(f"/consult/line/{number}/category/", {"category": "劳动纠纷"})
    assert r.status_code == 200
    record.refresh_from_db()
    assert record.category == "劳动纠纷" and record.category_by_staff
    client.force_login(world["other_clerk"])
    r = client.post(f"{BASE}/{number}/category", {"category": "合同纠纷"}, content_type="application/json")
    assert r.status_code == 404


def test_export_filters_by_date_region_and_leaves_out_demo_rows(world, tmp_path):  # noqa: F811
    line.consultation_record(actor=world["agent"], channel="hotline", question="演示问题", category="合同纠纷",
                             is_demo=True)
    real = line.consultation_record(actor=world["agent"], channel="hotline", question="借钱不还怎么办",
                                    category="债权债务")
    out = tmp_path / "labels.jsonl"
    err = StringIO()
    call_command("export_category_labels", str(out), stdout=StringIO(), stderr=err)
    assert [json.loads(x)["id"] for x in out.read_text(encoding="utf-8").splitlines()] == [real.case.number]
    assert "1" in err.getvalue()
    assert _export("--region", "4101") and not _export("--region", "4201")
    assert not _export("--since", "2999-01-01")
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        _export("--since", "yesterday")
