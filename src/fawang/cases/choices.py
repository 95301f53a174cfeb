"""Choices of the case spine."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from fawang.catalog.choices import Channel  # noqa: F401  (re-exported: cases speak of channels)


class CaseStatus(models.TextChoices):
    RECEIVED = "received", _("已登记")
    ACCEPTED = "accepted", _("已受理")
    IN_PROGRESS = "in_progress", _("办理中")
    AWAITING_MATERIALS = "awaiting_materials", _("待补正材料")
    TRANSFERRING = "transferring", _("转办中")
    COMPLETED = "completed", _("已办结")
    DELIVERED = "delivered", _("已反馈结果")
    REJECTED = "rejected", _("不予受理")
    WITHDRAWN = "withdrawn", _("已撤回")


OPEN_STATUSES = frozenset(
    {
        CaseStatus.RECEIVED,
        CaseStatus.ACCEPTED,
        CaseStatus.IN_PROGRESS,
        CaseStatus.AWAITING_MATERIALS,
        CaseStatus.TRANSFERRING,
    }
)
FINAL_STATUSES = frozenset({CaseStatus.DELIVERED, CaseStatus.REJECTED, CaseStatus.WITHDRAWN})

# The one table of allowed status changes. ``case_transition`` refuses anything else.
TRANSITIONS: dict[str, frozenset[str]] = {
    CaseStatus.RECEIVED: frozenset(
        {
            CaseStatus.ACCEPTED,
            CaseStatus.AWAITING_MATERIALS,
            CaseStatus.TRANSFERRING,
            CaseStatus.REJECTED,
            CaseStatus.WITHDRAWN,
        }
    ),
    CaseStatus.ACCEPTED: frozenset(
        {
            CaseStatus.IN_PROGRESS,
            CaseStatus.AWAITING_MATERIALS,
            CaseStatus.TRANSFERRING,
            CaseStatus.COMPLETED,
            CaseStatus.WITHDRAWN,
        }
    ),
    CaseStatus.IN_PROGRESS: frozenset(
        {
            CaseStatus.AWAITING_MATERIALS,
            CaseStatus.TRANSFERRING,
            CaseStatus.COMPLETED,
            CaseStatus.WITHDRAWN,
        }
    ),
    # Materials received resumes the status the case was in when they were requested.
    CaseStatus.AWAITING_MATERIALS: frozenset(
        {
            CaseStatus.RECEIVED,
            CaseStatus.ACCEPTED,
            CaseStatus.IN_PROGRESS,
            CaseStatus.REJECTED,
            CaseStatus.WITHDRAWN,
        }
    ),
    # A handover accepted by the receiving point restarts at "received" there; a refused
    # handover returns the case to its previous status (ACCEPTED / IN_PROGRESS).
    CaseStatus.TRANSFERRING: frozenset(
        {CaseStatus.RECEIVED, CaseStatus.ACCEPTED, CaseStatus.IN_PROGRESS, CaseStatus.WITHDRAWN}
    ),
    CaseStatus.COMPLETED: frozenset({CaseStatus.DELIVERED}),
    CaseStatus.DELIVERED: frozenset(),
    CaseStatus.REJECTED: frozenset(),
    CaseStatus.WITHDRAWN: frozenset(),
}


def can_transition(from_status: str, to_status: str) -> bool:
    return to_status in TRANSITIONS.get(from_status, frozenset())


class PartyKind(models.TextChoices):
    NATURAL = "natural", _("自然人")
    LEGAL = "legal", _("法人或其他组织")


class IdType(models.TextChoices):
    RESIDENT_ID = "resident_id", _("居民身份证")
    PASSPORT = "passport", _("护照")
    HK_MACAO = "hk_macao", _("港澳居民来往内地通行证")
    TAIWAN = "taiwan", _("台湾居民来往大陆通行证")
    FOREIGN_PERMANENT = "foreign_permanent", _("外国人永久居留身份证")
    CREDIT_CODE = "credit_code", _("统一社会信用代码")
    OTHER = "other", _("其他")
    NONE = "none", _("未提供")


class SpecialGroup(models.TextChoices):
    ELDERLY = "elderly", _("老年人")
    DISABLED = "disabled", _("残疾人")
    MINOR = "minor", _("未成年人")
    WOMEN = "women", _("妇女")
    MIGRANT_WORKER = "migrant_worker", _("农民工")
    VETERAN = "veteran", _("军人军属、退役军人")
    LOW_INCOME = "low_income", _("低保、特困人员")
    VICTIM = "victim", _("家庭暴力等受害人")


class StepState(models.TextChoices):
    """Mirrors ``fawang.core.sla.SlaState`` (stored values must match it)."""

    OK = "ok", _("正常")
    WARNING = "warning", _("临期")
    OVERDUE = "overdue", _("超期")
    PAUSED = "paused", _("暂停计时")
    MET = "met", _("已完成")
    CANCELLED = "cancelled", _("已终止")


OPEN_STEP_STATES = frozenset({StepState.OK, StepState.WARNING, StepState.OVERDUE, StepState.PAUSED})


class RatingLevel(models.IntegerChoices):
    VERY_SATISFIED = 5, _("非常满意")
    SATISFIED = 4, _("满意")
    BASICALLY_SATISFIED = 3, _("基本满意")
    DISSATISFIED = 2, _("不满意")
    VERY_DISSATISFIED = 1, _("非常不满意")


class CallbackStatus(models.TextChoices):
    OPEN = "open", _("待回访")
    DONE = "done", _("已回访")
