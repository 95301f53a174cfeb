"""Each spine service: the state it leaves AND the last event it appended."""

from __future__ import annotations

import pytest

from fawang.accounts.models import Role
from fawang.cases import events as ev
from fawang.cases.choices import CaseStatus, StepState
from fawang.cases.models import AppendOnlyError, CaseEvent
from fawang.cases.services import (
    case_accept,
    case_complete,
    case_create,
    case_create_or_get,
    case_deliver_result,
    case_materials_received,
    case_rate,
    case_reject,
    case_request_materials,
    case_start,
    case_transfer,
    case_transfer_accept,
    case_transfer_refuse,
    party_create,
)
from fawang.core.errors import DomainError, NotFoundOrForbidden, PermissionDenied

from . import factories as f

pytestmark = pytest.mark.django_db


def last_event(case):
    return CaseEvent.objects.filter(case=case).order_by("-id").first()


def new_case(item, clerk, applicant, point, **kw):
    return case_create(item=item, channel="window", applicant=applicant, service_point=point, actor=clerk, **kw)


def test_create_numbers_and_first_event(consultation_item, clerk, applicant, county_point):
    case = new_case(consultation_item, clerk, applicant, county_point)
    assert case.status == CaseStatus.RECEIVED
    assert case.number.startswith("410102") and len(case.number) == 6 + 8 + 6
    assert case.region_code == "410102"
    assert case.first_contact_user == clerk and case.responsible_user == clerk
    event = last_event(case)
    assert event.type == ev.RECEIVED and event.actor == clerk and event.actor_name == clerk.real_name
    assert event.region_code == "410102" and event.to_status == CaseStatus.RECEIVED
    step = case.steps.get()
    assert step.step == "reply" and step.state == StepState.OK and step.due_at > step.started_at
    second = new_case(consultation_item, clerk, applicant, county_point)
    assert int(second.number[-6:]) == int(case.number[-6:]) + 1


def test_create_is_idempotent(consultation_item, clerk, applicant, county_point):
    case, created = case_create_or_get(item=consultation_item, channel="window", applicant=applicant,
                                       service_point=county_point, actor=clerk, idempotency_key="k-1")
    again, created_again = case_create_or_get(item=consultation_item, channel="window", applicant=applicant,
                                              service_point=county_point, actor=clerk, idempotency_key="k-1")
    assert created and not created_again and again.pk == case.pk
    assert CaseEvent.objects.filter(case=case).count() == 1


def test_create_refuses_out_of_region_and_bad_input(consultation_item, other_clerk, applicant, county_point):
    with pytest.raises(NotFoundOrForbidden):
        new_case(consultation_item, other_clerk, applicant, county_point)
    with pytest.raises(DomainError) as exc:
        case_create(item=consultation_item, channel="fax", applicant=applicant, region_code="410102")
    assert exc.value.code == "channel_invalid"
    with pytest.raises(DomainError) as exc:
        case_create(item=consultation_item, channel="web", applicant=applicant, region_code="41x")
    assert exc.value.code == "region_invalid"


def test_events_are_append_only(consultation_item, clerk, applicant, county_point):
    case = new_case(consultation_item, clerk, applicant, county_point)
    event = last_event(case)
    event.payload = {"tampered": True}
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    from django.db import DatabaseError, transaction

    with pytest.raises(DatabaseError), transaction.atomic():
        CaseEvent.objects.filter(pk=event.pk).update(payload={"tampered": True})
    with pytest.raises(DatabaseError), transaction.atomic():
        CaseEvent.objects.filter(pk=event.pk).delete()
    assert CaseEvent.objects.get(pk=event.pk).payload == {"channel": "window", "item": "GGFL-ZX-001"}


def test_accept_start_complete_deliver_rate(consultation_item, clerk, applicant, county_point):
    case = new_case(consultation_item, clerk, applicant, county_point)
    case_accept(case=case, actor=clerk)
    assert case.status == CaseStatus.ACCEPTED and case.handler == clerk
    assert last_event(case).type == ev.ACCEPTED
    case_start(case=case, actor=clerk)
    assert last_event(case).to_status == CaseStatus.IN_PROGRESS
    with pytest.raises(DomainError):
        case_complete(case=case, actor=clerk, result="  ")
    case_complete(case=case, actor=clerk, result="已解答：可申请劳动仲裁。")
    case.refresh_from_db()
    assert case.status == CaseStatus.COMPLETED and case.completed_at is not None
    assert last_event(case).type == ev.COMPLETED
    assert case.steps.get().state == StepState.MET
    case_deliver_result(case=case, actor=clerk)
    assert case.status == CaseStatus.DELIVERED and last_event(case).type == ev.RESULT_DELIVERED
    rating = case_rate(case=case, attitude=5, efficiency=4, professionalism=5, rated_by=clerk)
    assert not rating.is_dissatisfied and last_event(case).type == ev.RATED
    assert not case.callbacks.exists()


def test_dissatisfied_rating_opens_callback(consultation_item, clerk, applicant, county_point):
    case = new_case(consultation_item, clerk, applicant, county_point)
    case_accept(case=case, actor=clerk)
    case_complete(case=case, actor=clerk, result="已答复")
    case_rate(case=case, attitude=2, efficiency=4, professionalism=4, rated_by=clerk)
    callback = case.callbacks.get()
    assert callback.status == "open" and callback.due_at > callback.created_at
    assert last_event(case).type == ev.CALLBACK_OPENED
    with pytest.raises(DomainError) as exc:
        case_rate(case=case, attitude=5, efficiency=5, professionalism=5, rated_by=clerk)
    assert exc.value.code == "already_rated"


def test_forbidden_transition_changes_nothing(consultation_item, clerk, applicant, county_point):
    case = new_case(consultation_item, clerk, applicant, county_point)
    before = CaseEvent.objects.count()
    with pytest.raises(DomainError) as exc:
        case_deliver_result(case=case, actor=clerk)
    assert exc.value.code == "invalid_transition"
    case.refresh_from_db()
    assert case.status == CaseStatus.RECEIVED and CaseEvent.objects.count() == before


def test_role_without_permission_is_refused(consultation_item, clerk, applicant, county_point):
    case = new_case(consultation_item, clerk, applicant, county_point)
    reviewer = f.user(Role.LEGAL_AID_REVIEWER, point=county_point)
    with pytest.raises(PermissionDenied):
        case_accept(case=case, actor=reviewer)


def test_materials_pause_and_resume_clock(consultation_item, clerk, applicant, county_point):
    case = new_case(consultation_item, clerk, applicant, county_point)
    case_accept(case=case, actor=clerk)
    with pytest.raises(DomainError):
        case_request_materials(case=case, actor=clerk, materials=[])
    case_request_materials(case=case, actor=clerk, materials=["id_card", "evidence", "id_card"])
    assert case.status == CaseStatus.AWAITING_MATERIALS
    event = last_event(case)
    assert event.type == ev.MATERIALS_REQUESTED and event.payload["materials"] == ["身份证件", "相关证据材料"]
    step = case.steps.get()
    assert step.state == StepState.PAUSED and step.paused_at is not None
    case_materials_received(case=case, actor=clerk, received=["id_card", "evidence"])
    case.refresh_from_db()
    assert case.status == CaseStatus.ACCEPTED and last_event(case).type == ev.MATERIALS_RECEIVED
    step.refresh_from_db()
    assert step.paused_at is None and len(step.pauses) == 1 and step.state in (StepState.OK, StepState.WARNING)


def test_reject_needs_reason(consultation_item, clerk, applicant, county_point):
    case = new_case(consultation_item, clerk, applicant, county_point)
    with pytest.raises(DomainError):
        case_reject(case=case, actor=clerk, reason="")
    case_reject(case=case, actor=clerk, reason="不属于本机构受理范围，已告知向法院起诉")
    assert case.status == CaseStatus.REJECTED and last_event(case).payload["reason"].startswith("不属于")


def test_transfer_keeps_first_contact_until_accepted(consultation_item, clerk, applicant, county_point, other_point,
                                                     other_clerk):
    case = new_case(consultation_item, clerk, applicant, county_point)
    case_transfer(case=case, actor=clerk, to_service_point=other_point, reason="当事人住所地在邻区")
    case.refresh_from_db()
    assert case.status == CaseStatus.TRANSFERRING and case.responsible_user == clerk
    assert case.region_code == "410102" and case.transfer_region_code == "410103"
    assert last_event(case).type == ev.TRANSFERRED
    with pytest.raises(NotFoundOrForbidden):
        case_transfer_accept(case=case, actor=clerk)  # the sender cannot accept for the receiver
    case_transfer_accept(case=case, actor=other_clerk)
    case.refresh_from_db()
    assert case.status == CaseStatus.RECEIVED and case.service_point == other_point
    assert case.region_code == "410103" and case.responsible_user == other_clerk
    assert case.first_contact_user == clerk and case.transfer_to is None
    assert last_event(case).type == ev.TRANSFER_ACCEPTED
    assert set(case.steps.values_list("region_code", flat=True)) == {"410103"}


def test_transfer_refused_returns_to_sender(consultation_item, clerk, applicant, county_point, other_point,
                                            other_clerk):
    case = new_case(consultation_item, clerk, applicant, county_point)
    case_accept(case=case, actor=clerk)
    case_transfer(case=case, actor=clerk, to_service_point=other_point, reason="管辖")
    case_transfer_refuse(case=case, actor=other_clerk, reason="不属本区管辖")
    case.refresh_from_db()
    assert case.status == CaseStatus.ACCEPTED and case.service_point == county_point
    assert last_event(case).type == ev.TRANSFER_REFUSED


def test_township_cannot_push_up_what_it_can_handle(consultation_item, applicant, township_point, county_point):
    t_clerk = f.user(Role.WINDOW_CLERK, point=township_point)
    case = new_case(consultation_item, t_clerk, applicant, township_point)
    with pytest.raises(DomainError) as exc:
        case_transfer(case=case, actor=t_clerk, to_service_point=county_point, reason="转县里")
    assert exc.value.code == "handle_locally"
    case_transfer(case=case, actor=t_clerk, to_service_point=county_point, reason="重大复杂群体性纠纷", escalate=True)
    assert case.status == CaseStatus.TRANSFERRING


def test_party_dedup_and_validation(db):
    a = party_create(name="李四", id_number=f.ID_NUMBERS[1], phone="13900139000")
    b = party_create(name="李四", id_number=f.ID_NUMBERS[1], phone="13900139001", address="新地址")
    assert a.pk == b.pk
    b.refresh_from_db()
    assert b.phone == "13900139001" and b.address == "新地址" and b.masked_phone != b.phone
    with pytest.raises(DomainError) as exc:
        party_create(name="王五", id_number="410102199003071231")
    assert exc.value.code == "id_number_invalid" and "校验" in exc.value.message
    with pytest.raises(DomainError) as exc:
        party_create(name="王五", phone="12345")
    assert exc.value.code == "phone_invalid"


def test_notification_enqueued_on_citizen_channel(consultation_item, clerk, applicant, county_point):
    from fawang.core.models import OutboxMessage

    case = new_case(consultation_item, clerk, applicant, county_point)
    message = OutboxMessage.objects.get()
    assert message.channel == "sms" and message.recipient == "13800138000"
    assert case.number in message.body and case.query_code in message.body


def test_deleting_a_user_keeps_their_events(consultation_item, applicant, county_point):
    temp = f.user(Role.WINDOW_CLERK, point=county_point)
    case = new_case(consultation_item, temp, applicant, county_point)
    name = temp.real_name
    case.first_contact_user = None
    case.save(update_fields=["first_contact_user"])
    temp.delete()
    event = last_event(case)
    assert event.actor is None and event.actor_name == name and event.type == ev.RECEIVED
