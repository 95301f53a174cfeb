"""Complaint steps: register → investigate → review → reply (M5), each a service.

Every step changes the complaint's own status (table in ``complaints.choices``) and appends
its event on the complaint's Case through ``cases.services`` (same lock, same checks), which
also starts and stops the step clocks declared in the catalogue item ``GGFL-TS-001``.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fawang.cases import events as case_events
from fawang.cases.choices import CaseStatus
from fawang.cases.models import Case, Party
from fawang.cases.services import (
    authorize,
    case_accept,
    case_complete,
    case_create_or_get,
    case_deliver_result,
    case_event_append,
    case_record,
    case_transition,
)
from fawang.catalog.models import ServiceItem
from fawang.complaints import events as ev
from fawang.complaints.choices import TRANSITIONS, ComplaintKind, ComplaintStatus, TargetKind
from fawang.complaints.models import Complaint
from fawang.core.errors import DomainError

COMPLAINT_ITEM_CODE = "GGFL-TS-001"
ACTION = "complaint.handle"


def _item() -> ServiceItem:
    item = ServiceItem.objects.filter(code=COMPLAINT_ITEM_CODE, is_active=True).first()
    if item is None:
        raise DomainError("complaint_item_missing", _("事项目录中缺少“投诉与意见建议”事项，请先加载事项目录。"))
    return item


def complaint_register(
    *,
    channel: str,
    content: str,
    complainant: Party | None,
    actor: Any,
    kind: str = ComplaintKind.COMPLAINT,
    service_point: Any = None,
    region_code: str = "",
    target_kind: str = TargetKind.NONE,
    target_institution: Any = None,
    target_practitioner: Any = None,
    target_service_point: Any = None,
    target_staff: Any = None,
    target_description: str = "",
    related_case: Case | None = None,
    anonymous: bool = False,
    idempotency_key: str | None = None,
    citizen_user: Any = None,
    is_demo: bool = False,
) -> Complaint:
    """Register a complaint from any channel: a Case (accepted at once) plus its Complaint."""
    content = (content or "").strip()
    if not content:
        raise DomainError("content_required", _("请填写投诉或意见建议的内容。"), field="content")
    if kind not in ComplaintKind.values:
        raise DomainError("kind_invalid", _("类别无效。"), field="kind")
    if target_kind not in TargetKind.values:
        raise DomainError("target_invalid", _("被投诉对象类型无效。"), field="target_kind")
    if kind == ComplaintKind.COMPLAINT and not anonymous and complainant is None:
        raise DomainError("complainant_required", _("投诉需留下投诉人信息以便答复；也可选择匿名提出意见建议。"),
                          field="complainant")
    targets = {TargetKind.INSTITUTION: target_institution, TargetKind.PRACTITIONER: target_practitioner,
               TargetKind.SERVICE_POINT: target_service_point, TargetKind.STAFF: target_staff}
    if target_kind != TargetKind.NONE and targets[TargetKind(target_kind)] is None and not target_description:
        raise DomainError("target_required", _("请指明被投诉的机构或人员。"), field="target_kind")
    item = _item()
    with transaction.atomic():
        case, created = case_create_or_get(
            item=item, channel=channel, applicant=None if anonymous else complainant, region_code=region_code,
            service_point=service_point, actor=actor, idempotency_key=idempotency_key,
            form_data={"content": content, "target": target_description}, subject=content[:60],
            citizen_user=citizen_user, is_demo=is_demo,
        )
        if not created:
            return case.complaint
        if related_case is not None:
            authorize(actor, "case.view", related_case.region_code)
        complaint = Complaint.objects.create(
            case=case, kind=kind, content=content, target_kind=target_kind, target_institution=target_institution,
            target_practitioner=target_practitioner, target_service_point=target_service_point,
            target_staff=target_staff, target_description=(target_description or "").strip(),
            related_case=related_case, anonymous=anonymous, region_code=case.region_code,
        )
        if actor is not None and getattr(actor, "role", "citizen") != "citizen":
            case_accept(case=case, actor=actor)
        else:
            case_transition(case=case, to_status=CaseStatus.ACCEPTED, actor=None, event_type=case_events.ACCEPTED)
        case_record(case=case, actor=None if citizen_user else actor, event_type=ev.REGISTERED,
                    action="case.intake", payload={"kind": kind, "target_kind": target_kind})
        if related_case is not None:
            case_event_append(case=related_case, event_type=case_events.COMPLAINED, actor=actor,
                              from_status=related_case.status, to_status=related_case.status,
                              payload={"complaint": case.number})
    return complaint


def _move(complaint: Complaint, to_status: str) -> Complaint:
    locked = Complaint.objects.select_for_update().select_related("case").get(pk=complaint.pk)
    if to_status not in TRANSITIONS[locked.status]:
        raise DomainError(
            "invalid_transition",
            _("投诉当前状态为“%(from)s”，不能变更为“%(to)s”。")
            % {"from": ComplaintStatus(locked.status).label, "to": ComplaintStatus(to_status).label},
        )
    return locked


def complaint_investigate(*, complaint: Complaint, actor: Any, findings: str, substantiated: bool) -> Complaint:
    findings = (findings or "").strip()
    if not findings:
        raise DomainError("findings_required", _("请填写调查核实情况。"), field="findings")
    with transaction.atomic():
        locked = _move(complaint, ComplaintStatus.INVESTIGATED)
        if locked.case.status == CaseStatus.ACCEPTED:
            case_transition(case=locked.case, to_status=CaseStatus.IN_PROGRESS, actor=actor,
                            event_type=case_events.STARTED, action=ACTION)
        case_record(case=locked.case, actor=actor, event_type=ev.INVESTIGATED, action=ACTION,
                    payload={"substantiated": substantiated})
        locked.status, locked.findings, locked.substantiated, locked.investigator = (
            ComplaintStatus.INVESTIGATED, findings, substantiated, actor)
        locked.save(update_fields=["status", "findings", "substantiated", "investigator"])
    return locked


def complaint_review(*, complaint: Complaint, actor: Any, approve: bool, opinion: str = "") -> Complaint:
    """审核: approve, or send back for more investigation (with the reason)."""
    opinion = (opinion or "").strip()
    if not approve and not opinion:
        raise DomainError("opinion_required", _("退回补充调查须写明审核意见。"), field="opinion")
    with transaction.atomic():
        target = ComplaintStatus.REVIEWED if approve else ComplaintStatus.REGISTERED
        locked = _move(complaint, target)
        if actor is not None and locked.investigator_id == actor.pk:
            raise DomainError("reviewer_conflict", _("审核人不能是本投诉的调查人。"))
        case_record(case=locked.case, actor=actor, event_type=ev.REVIEWED if approve else ev.REVIEW_RETURNED,
                    action=ACTION, payload={"opinion": opinion})
        locked.status, locked.review_opinion, locked.reviewer = target, opinion, actor
        locked.save(update_fields=["status", "review_opinion", "reviewer"])
    return locked


def complaint_reply(*, complaint: Complaint, actor: Any, reply: str) -> Complaint:
    """答复: the reply goes to the complainant on their channel; the case is completed."""
    reply = (reply or "").strip()
    if not reply:
        raise DomainError("reply_required", _("请填写答复内容。"), field="reply")
    with transaction.atomic():
        locked = _move(complaint, ComplaintStatus.REPLIED)
        case = locked.case
        case_record(case=case, actor=actor, event_type=ev.REPLIED, action=ACTION,
                    payload={"result": reply})
        case_complete(case=case, actor=actor, result=reply, action=ACTION)
        case_deliver_result(case=case, actor=actor, action=ACTION)
        locked.status, locked.reply, locked.replied_at = ComplaintStatus.REPLIED, reply, timezone.now()
        locked.save(update_fields=["status", "reply", "replied_at"])
    return locked
