"""Writes of the directory: create and update institutions, practitioners and credit records.

Every write validates the whole record (formats, cross-field rules, uniqueness) before it
saves anything and runs in one transaction. ``actor=None`` means a trusted system process
(the CSV import, the demo loader); otherwise the actor must hold ``directory.edit`` over the
record's region both before and after the change, so nobody can move a row out of reach.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from fawang.core.audit import audit_record, diff, snapshot
from fawang.core.errors import DomainError, PermissionDenied
from fawang.core.models import AuditAction
from fawang.regions.models import Division

from . import validators as v
from .choices import (
    PRACTITIONER_INSTITUTION_KINDS,
    AssessmentResult,
    CreditRecordKind,
    InstitutionKind,
    Language,
    ListingStatus,
    MediationCommitteeKind,
    PracticeArea,
    PractitionerKind,
    Sex,
)
from .models import CreditRecord, Institution, Practitioner
from .permissions import can_edit_region

INSTITUTION_FIELDS = (
    "kind", "mediation_kind", "name", "credit_code", "licence_number", "responsible_person", "address",
    "phone", "division_code", "service_areas", "specialties", "languages", "latitude", "longitude",
    "business_hours", "introduction", "status",
)
PRACTITIONER_FIELDS = (
    "kind", "name", "sex", "licence_number", "practice_since", "institution_id", "specialties",
    "languages", "division_code", "phone", "introduction", "is_legal_aid_lawyer", "current_load", "status",
)


def _check_actor(actor: Any, region_code: str) -> None:
    if actor is not None and not can_edit_region(actor, region_code):
        raise PermissionDenied()


def _choice(value: Any, choices: type, *, field: str, required: bool = True) -> str:
    value = (value or "").strip() if isinstance(value, str) else value
    if not value:
        if required:
            raise DomainError("required", _("此项为必填项。"), field=field)
        return ""
    if value not in choices.values:
        raise DomainError("invalid_choice", _("“%(v)s”不是有效的选项。") % {"v": value}, field=field)
    return value


def _text(value: Any, *, field: str, max_length: int, required: bool = False) -> str:
    text = (value or "").strip()
    if required and not text:
        raise DomainError("required", _("此项为必填项。"), field=field)
    if len(text) > max_length:
        raise DomainError("too_long", _("不能超过%(n)d个字符。") % {"n": max_length}, field=field)
    return text


def _division(code: Any, *, field: str = "division_code") -> Division:
    code = (code or "").strip()
    if not code:
        raise DomainError("required", _("请填写所在行政区划代码。"), field=field)
    division = Division.objects.filter(code=code).first()
    if division is None:
        raise DomainError("invalid_division", _("行政区划代码“%(c)s”不存在。") % {"c": code}, field=field)
    return division


def _coordinate(value: Any, *, field: str) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        return Decimal(str(value)).quantize(Decimal("0.000001"))
    except ArithmeticError as exc:
        raise DomainError("invalid_coordinates", _("坐标应为数字。"), field=field) from exc


def _service_areas(codes: list[str] | None) -> list[str]:
    result: list[str] = []
    for code in codes or []:
        code = str(code).strip()
        if not Division.objects.filter(code=code).exists():
            raise DomainError("invalid_division", _("服务区域中的区划代码“%(c)s”不存在。") % {"c": code},
                              field="service_areas")
        if code not in result:
            result.append(code)
    return result


def clean_institution(values: dict[str, Any], *, instance_id: int | None) -> dict[str, Any]:
    kind = _choice(values.get("kind"), InstitutionKind, field="kind")
    mediation_kind = _choice(values.get("mediation_kind"), MediationCommitteeKind, field="mediation_kind",
                             required=kind == InstitutionKind.MEDIATION_COMMITTEE)
    if mediation_kind and kind != InstitutionKind.MEDIATION_COMMITTEE:
        raise DomainError("invalid_choice", _("只有人民调解委员会需要填写调解委员会类型。"), field="mediation_kind")
    credit_code = (values.get("credit_code") or "").strip()
    if credit_code:
        credit_code = v.validate_credit_code(credit_code)
    elif kind != InstitutionKind.MEDIATION_COMMITTEE:
        # People's mediation committees are organs of village/resident committees and need
        # no code of their own; every other kind is a registered body.
        raise DomainError("required", _("请填写统一社会信用代码。"), field="credit_code")
    latitude = _coordinate(values.get("latitude"), field="latitude")
    longitude = _coordinate(values.get("longitude"), field="longitude")
    v.validate_coordinates(latitude, longitude)
    division = _division(values.get("division_code"))
    cleaned = {
        "kind": kind,
        "mediation_kind": mediation_kind,
        "name": _text(values.get("name"), field="name", max_length=200, required=True),
        "credit_code": credit_code,
        "licence_number": v.validate_institution_licence(kind, values.get("licence_number") or ""),
        "responsible_person": _text(values.get("responsible_person"), field="responsible_person", max_length=50),
        "address": _text(values.get("address"), field="address", max_length=300),
        "phone": v.validate_phone(values.get("phone") or ""),
        "division": division,
        "region_code": division.code,
        "service_areas": _service_areas(values.get("service_areas")),
        "specialties": v.validate_choices(values.get("specialties"), PracticeArea, field="specialties"),
        "languages": v.validate_choices(values.get("languages"), Language, field="languages"),
        "latitude": latitude,
        "longitude": longitude,
        "business_hours": _text(values.get("business_hours"), field="business_hours", max_length=200),
        "introduction": (values.get("introduction") or "").strip(),
        "status": _choice(values.get("status") or ListingStatus.ACTIVE, ListingStatus, field="status"),
    }
    others = Institution.objects.exclude(pk=instance_id)
    if credit_code and others.filter(credit_code=credit_code).exists():
        raise DomainError("duplicate_credit_code", _("统一社会信用代码“%(c)s”已被其他机构使用。") % {"c": credit_code},
                          field="credit_code")
    licence = cleaned["licence_number"]
    if licence and others.filter(kind=kind, licence_number=licence).exists():
        raise DomainError("duplicate_licence", _("执业许可证号“%(c)s”已被其他机构使用。") % {"c": licence},
                          field="licence_number")
    return cleaned


def _institution_values(institution: Institution) -> dict[str, Any]:
    values = {name: getattr(institution, name) for name in INSTITUTION_FIELDS if name != "division_code"}
    values["division_code"] = institution.region_code
    return values


def _save(instance: Institution | Practitioner) -> None:
    instance.refresh_tags()
    try:
        with transaction.atomic():
            instance.save()
    except IntegrityError as exc:  # a concurrent writer took the same code between check and save
        raise DomainError("duplicate", _("证号或信用代码已被其他记录使用。")) from exc


def _audit_update(actor: Any, obj: Institution | Practitioner, before: dict[str, Any]) -> None:
    changes = diff(obj, before)
    changes.pop("updated_at", None)
    changes.pop("tags", None)
    if changes:
        audit_record(actor=actor, action=AuditAction.UPDATE, obj=obj, changes=changes)


def _unknown(changes: dict[str, Any], allowed: tuple[str, ...]) -> None:
    unknown = sorted(set(changes) - set(allowed))
    if unknown:
        raise DomainError("unknown_field", _("不能修改字段：%(f)s。") % {"f": "、".join(unknown)}, field=unknown[0])


@transaction.atomic
def institution_create(*, actor: Any, is_demo: bool = False, **values: Any) -> Institution:
    """Create an institution from plain values (``division_code`` names its division)."""
    _unknown(values, INSTITUTION_FIELDS)
    if values.get("division_code"):  # refuse before saying anything about the record's content
        _check_actor(actor, str(values["division_code"]).strip())
    cleaned = clean_institution(values, instance_id=None)
    _check_actor(actor, cleaned["region_code"])
    institution = Institution(**cleaned, is_demo=is_demo)
    _save(institution)
    audit_record(actor=actor, action=AuditAction.CREATE, obj=institution)
    return institution


@transaction.atomic
def institution_update(*, actor: Any, institution: Institution, **changes: Any) -> Institution:
    """Change some fields; the merged record is validated as a whole."""
    _unknown(changes, INSTITUTION_FIELDS)
    _check_actor(actor, institution.region_code)
    locked = Institution.objects.select_for_update().get(pk=institution.pk)
    before = snapshot(locked)
    values = _institution_values(locked) | changes
    cleaned = clean_institution(values, instance_id=locked.pk)
    _check_actor(actor, cleaned["region_code"])
    for name, value in cleaned.items():
        setattr(locked, name, value)
    _save(locked)
    _audit_update(actor, locked, before)
    return locked


def clean_practitioner(values: dict[str, Any], *, instance_id: int | None) -> dict[str, Any]:
    kind = _choice(values.get("kind"), PractitionerKind, field="kind")
    licence = v.validate_practitioner_licence(kind, values.get("licence_number") or "")
    institution = None
    if values.get("institution_id"):
        institution = Institution.objects.filter(pk=values["institution_id"]).first()
        if institution is None:
            raise DomainError("invalid_institution", _("执业机构不存在。"), field="institution_id")
        allowed = PRACTITIONER_INSTITUTION_KINDS.get(kind)
        if allowed is not None and institution.kind not in allowed:
            raise DomainError("invalid_institution",
                              _("%(p)s不能在%(i)s执业。") % {"p": PractitionerKind(kind).label,
                                                        "i": InstitutionKind(institution.kind).label},
                              field="institution_id")
    elif kind in PRACTITIONER_INSTITUTION_KINDS and kind != PractitionerKind.MEDIATOR:
        raise DomainError("required", _("该类人员必须填写执业机构。"), field="institution_id")
    if values.get("division_code"):
        division = _division(values["division_code"])
    elif institution is not None:
        division = institution.division
    else:
        raise DomainError("required", _("请填写服务区域的行政区划代码。"), field="division_code")
    practice_since = values.get("practice_since")
    if practice_since in ("", None):
        practice_since = int(licence[4:8]) if kind == PractitionerKind.LAWYER and licence else None
    else:
        try:
            practice_since = int(practice_since)
        except (TypeError, ValueError) as exc:
            raise DomainError("invalid_year", _("执业起始年份应为四位数字年份。"), field="practice_since") from exc
        if not 1949 <= practice_since <= datetime.date.today().year:
            raise DomainError("invalid_year", _("执业起始年份不在合理范围内。"), field="practice_since")
        if kind == PractitionerKind.LAWYER and licence and int(licence[4:8]) != practice_since:
            raise DomainError("invalid_year", _("执业起始年份与律师执业证号中的年份不一致。"), field="practice_since")
    is_legal_aid_lawyer = bool(values.get("is_legal_aid_lawyer"))
    if is_legal_aid_lawyer and kind != PractitionerKind.LAWYER:
        raise DomainError("invalid_flag", _("只有律师可以登记为法律援助律师。"), field="is_legal_aid_lawyer")
    try:
        current_load = int(values.get("current_load") or 0)
    except (TypeError, ValueError) as exc:
        raise DomainError("invalid_number", _("当前承办量应为非负整数。"), field="current_load") from exc
    if current_load < 0:
        raise DomainError("invalid_number", _("当前承办量应为非负整数。"), field="current_load")
    cleaned = {
        "kind": kind,
        "name": _text(values.get("name"), field="name", max_length=50, required=True),
        "sex": _choice(values.get("sex"), Sex, field="sex", required=False),
        "licence_number": licence,
        "practice_since": practice_since,
        "institution": institution,
        "specialties": v.validate_choices(values.get("specialties"), PracticeArea, field="specialties"),
        "languages": v.validate_choices(values.get("languages"), Language, field="languages"),
        "division": division,
        "region_code": division.code,
        "phone": v.validate_phone(values.get("phone") or ""),
        "introduction": (values.get("introduction") or "").strip(),
        "is_legal_aid_lawyer": is_legal_aid_lawyer,
        "current_load": current_load,
        "status": _choice(values.get("status") or ListingStatus.ACTIVE, ListingStatus, field="status"),
    }
    if licence and Practitioner.objects.exclude(pk=instance_id).filter(kind=kind, licence_number=licence).exists():
        raise DomainError("duplicate_licence", _("执业证号“%(c)s”已被其他人员使用。") % {"c": licence},
                          field="licence_number")
    return cleaned


def _practitioner_values(practitioner: Practitioner) -> dict[str, Any]:
    values = {name: getattr(practitioner, name) for name in PRACTITIONER_FIELDS if name != "division_code"}
    values["division_code"] = practitioner.region_code
    return values


@transaction.atomic
def practitioner_create(*, actor: Any, is_demo: bool = False, **values: Any) -> Practitioner:
    """Create a practitioner; the service region defaults to the institution's division."""
    _unknown(values, PRACTITIONER_FIELDS)
    if values.get("division_code"):
        _check_actor(actor, str(values["division_code"]).strip())
    cleaned = clean_practitioner(values, instance_id=None)
    _check_actor(actor, cleaned["region_code"])
    practitioner = Practitioner(**cleaned, is_demo=is_demo)
    _save(practitioner)
    audit_record(actor=actor, action=AuditAction.CREATE, obj=practitioner)
    return practitioner


@transaction.atomic
def practitioner_update(*, actor: Any, practitioner: Practitioner, **changes: Any) -> Practitioner:
    _unknown(changes, PRACTITIONER_FIELDS)
    _check_actor(actor, practitioner.region_code)
    locked = Practitioner.objects.select_for_update().get(pk=practitioner.pk)
    before = snapshot(locked)
    values = _practitioner_values(locked) | changes
    if "institution_id" in changes and "division_code" not in changes:
        values["division_code"] = None  # follow the new institution's division
    cleaned = clean_practitioner(values, instance_id=locked.pk)
    _check_actor(actor, cleaned["region_code"])
    for name, value in cleaned.items():
        setattr(locked, name, value)
    _save(locked)
    _audit_update(actor, locked, before)
    return locked


def clean_credit_record(
    *,
    kind: str,
    decided_on: datetime.date | None,
    issuing_authority: str,
    summary: str,
    institution: Institution | None = None,
    practitioner: Practitioner | None = None,
    decision_number: str = "",
    assessment_result: str = "",
    public_until: datetime.date | None = None,
) -> dict[str, Any]:
    """Validated field values of a credit record (shared by the service and the admin form)."""
    if (institution is None) == (practitioner is None):
        raise DomainError("invalid_subject", _("信用记录须且只能关联一个机构或一名人员。"), field="institution_id")
    subject = institution or practitioner
    kind = _choice(kind, CreditRecordKind, field="kind")
    assessment_result = _choice(assessment_result, AssessmentResult, field="assessment_result",
                                required=kind == CreditRecordKind.ASSESSMENT)
    if assessment_result and kind != CreditRecordKind.ASSESSMENT:
        raise DomainError("invalid_choice", _("只有年度考核记录需要填写考核结果。"), field="assessment_result")
    if decided_on is None:
        raise DomainError("required", _("请填写决定日期。"), field="decided_on")
    if decided_on > datetime.date.today():
        raise DomainError("invalid_date", _("决定日期不能晚于今天。"), field="decided_on")
    if public_until is not None and public_until < decided_on:
        raise DomainError("invalid_date", _("公示截止日期不能早于决定日期。"), field="public_until")
    return {
        "kind": kind,
        "institution": institution,
        "practitioner": practitioner,
        "assessment_result": assessment_result,
        "decided_on": decided_on,
        "issuing_authority": _text(issuing_authority, field="issuing_authority", max_length=200, required=True),
        "decision_number": _text(decision_number, field="decision_number", max_length=100),
        "summary": _text(summary, field="summary", max_length=5000, required=True),
        "public_until": public_until,
        "region_code": subject.region_code,
    }


@transaction.atomic
def credit_record_create(
    *,
    actor: Any,
    kind: str,
    decided_on: datetime.date,
    issuing_authority: str,
    summary: str,
    institution: Institution | None = None,
    practitioner: Practitioner | None = None,
    decision_number: str = "",
    assessment_result: str = "",
    public_until: datetime.date | None = None,
    is_demo: bool = False,
) -> CreditRecord:
    """Publish a credit record about exactly one institution or practitioner."""
    subject = institution or practitioner
    if subject is not None:
        _check_actor(actor, subject.region_code)
    cleaned = clean_credit_record(
        kind=kind, decided_on=decided_on, issuing_authority=issuing_authority, summary=summary,
        institution=institution, practitioner=practitioner, decision_number=decision_number,
        assessment_result=assessment_result, public_until=public_until,
    )
    record = CreditRecord(**cleaned, is_demo=is_demo)
    record.save()
    audit_record(actor=actor, action=AuditAction.CREATE, obj=record)
    return record
