"""Who may do what: one table of role → actions, and the object-access rule. The one place.

Access to a row = the user's role allows the action AND the row lies in the user's region
subtree (``fawang.core.scoping``). A row outside the region is answered exactly like a missing
row (404, ``NotFoundOrForbidden``) so that probing ids leaks nothing; a role that may not act
at all gets 403 (``PermissionDenied``).

Action names are ``<app>.<verb>``. An app that needs a new action adds ONE entry to
``ACTIONS`` and lists it under the roles that hold it in ``ROLE_ACTIONS``.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Model, QuerySet
from django.utils.translation import gettext_lazy as _

from fawang.accounts.models import Role
from fawang.core.errors import NotFoundOrForbidden, PermissionDenied
from fawang.core.scoping import in_region, restrict

# Every action the platform checks, with a zh-hans description (shown in the admin/docs).
ACTIONS: dict[str, Any] = {
    "case.intake": _("登记受理事项"),
    "case.view": _("查看事项"),
    "case.assign": _("指派承办人"),
    "case.transfer": _("转交、转办事项"),
    "case.handle": _("办理事项"),
    "legalaid.intake": _("受理法律援助申请"),
    "legalaid.review": _("审查法律援助申请"),
    "legalaid.approve": _("审批法律援助申请"),
    "legalaid.handle": _("承办法律援助案件"),
    "mediation.handle": _("办理人民调解"),
    "consultation.answer": _("解答法律咨询"),
    "complaint.handle": _("处理投诉"),
    "adviser.log": _("填写村（居）法律顾问工作台账"),
    "hotline.handle": _("热线接听与回访"),
    "directory.view": _("查看机构与人员名录"),
    "directory.edit": _("维护机构与人员名录"),
    "reference.edit": _("维护基础数据（区划、服务点、事项目录、地方标准）"),
    # The law library and the FAQ are legal content the public reads as the department's own
    # answer: kept by the people who answer for it (the supervisors, who hold it only at province
    # level or above: ``fawang.core.admin.GlobalAdminMixin``), not by whoever runs the servers.
    "knowledge.edit": _("维护法律法规库和常见问题解答"),
    "supervision.view": _("查看监督统计"),
    "supervision.act": _("发起督办、预警处置"),
    "audit.view": _("查看审计日志"),
    "pii.reveal": _("查看完整个人信息"),
    "report.export": _("导出报表"),
    "user.manage": _("管理用户账号"),
    "outbox.view": _("查看通知发送记录"),
}

_FRONT_DESK = {"case.intake", "case.view", "case.transfer", "case.handle", "consultation.answer",
               "directory.view", "pii.reveal"}

ROLE_ACTIONS: dict[str, frozenset[str]] = {
    Role.CITIZEN: frozenset(),
    Role.WINDOW_CLERK: frozenset(_FRONT_DESK | {"legalaid.intake"}),
    Role.HOTLINE_AGENT: frozenset(_FRONT_DESK | {"hotline.handle"}),
    Role.LAWYER: frozenset({"case.view", "case.handle", "consultation.answer", "legalaid.handle",
                            "directory.view", "pii.reveal"}),
    Role.MEDIATOR: frozenset({"case.view", "case.handle", "mediation.handle", "consultation.answer",
                              "directory.view", "pii.reveal"}),
    Role.LEGAL_AID_REVIEWER: frozenset({"case.view", "legalaid.intake", "legalaid.review", "directory.view",
                                        "pii.reveal"}),
    Role.LEGAL_AID_APPROVER: frozenset({"case.view", "case.assign", "legalaid.review", "legalaid.approve",
                                        "directory.view", "pii.reveal", "report.export"}),
    Role.VILLAGE_ADVISER: frozenset({"case.intake", "case.view", "case.handle", "consultation.answer",
                                     "adviser.log", "directory.view"}),
    Role.SUPERVISOR: frozenset({"case.view", "case.assign", "complaint.handle", "directory.view",
                                "directory.edit", "supervision.view", "supervision.act", "audit.view",
                                "report.export", "user.manage", "outbox.view", "pii.reveal", "knowledge.edit"}),
    Role.SYSTEM_ADMIN: frozenset(ACTIONS),
}

STAFF_ROLES = frozenset(r for r in Role.values if r != Role.CITIZEN)


def _check_action(action: str) -> None:
    if action not in ACTIONS:
        raise ValueError(f"Unknown action {action!r}: declare it in fawang.core.permissions.ACTIONS")


def actions_for(user: Any) -> frozenset[str]:
    """All actions ``user`` holds (empty for anonymous or inactive users)."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return frozenset()
    if user.is_superuser:
        return frozenset(ACTIONS)
    return ROLE_ACTIONS.get(user.role, frozenset())


def has_permission(user: Any, action: str) -> bool:
    """Whether the user's role allows ``action`` somewhere (their region is checked per row)."""
    _check_action(action)
    return action in actions_for(user)


def require_permission(user: Any, action: str) -> None:
    """Raise ``PermissionDenied`` (403) unless ``has_permission``."""
    if not has_permission(user, action):
        raise PermissionDenied()


def is_staff_user(user: Any) -> bool:
    """A logged-in, active user with a staff role (or a superuser)."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return user.is_superuser or user.role in STAFF_ROLES


def supervises(user: Any, region_code: str) -> bool:
    """Whether ``user`` is a supervisor (or a superuser) whose region covers ``region_code``.

    The role table says what a role may do anywhere; documents that carry personal data in full
    are narrower than that (least privilege): the people handling the case plus the supervisors
    above it. The business lines' permission modules ask this for the second half.
    """
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.is_superuser:
        return True
    code = getattr(user, "scope_code", None)
    return user.role == Role.SUPERVISOR and code is not None and in_region(code, region_code)


def access_object(
    queryset: QuerySet,
    user: Any,
    pk: Any,
    *,
    field: str = "region_code",
    action: str | None = None,
) -> Model:
    """The row ``pk`` if it lies in the user's region (and the role allows ``action``).

    Missing, out-of-scope and malformed ids all raise ``NotFoundOrForbidden`` (404).
    """
    if action is not None:
        require_permission(user, action)
    try:
        obj = restrict(queryset, user, field).filter(pk=pk).first()
    except (ValueError, TypeError, ValidationError):
        obj = None
    if obj is None:
        raise NotFoundOrForbidden()
    return obj


class SupervisionLevel:
    NATIONAL = "national"
    PROVINCE = "province"
    CITY = "city"
    COUNTY = "county"
    TOWNSHIP = "township"

    LABELS = {NATIONAL: _("国家级"), PROVINCE: _("省级"), CITY: _("市级"), COUNTY: _("县级"),
              TOWNSHIP: _("乡级")}


_LEVEL_BY_CODE_LENGTH = {2: SupervisionLevel.PROVINCE, 4: SupervisionLevel.CITY, 6: SupervisionLevel.COUNTY}


def supervision_level(user: Any) -> str | None:
    """The level a user oversees, derived from their scope (no division = national).

    ``None`` for users without a regional scope (citizens).
    """
    code = getattr(user, "scope_code", None)
    if code is None:
        return None
    if code == "":
        return SupervisionLevel.NATIONAL
    return _LEVEL_BY_CODE_LENGTH.get(len(code), SupervisionLevel.TOWNSHIP)
