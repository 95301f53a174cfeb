"""The spine: every request on every channel is one Case with an append-only event log.

* ``Party``: a natural or legal person; identity numbers, phones and addresses are encrypted
  at rest with a blind index for exact lookups, and shown masked by default.
* ``Case``: one number per request (region code + date + sequence); ``status`` is the truth
  and changes only through ``cases.services.case_transition`` (one transition table in
  ``cases.choices``).
* ``CaseEvent``: append-only in code (save/delete refuse) and in the database (triggers created
  by migration 0002 on SQLite and PostgreSQL). Types come from ``cases.events``.
* ``CaseStep``: one SLA clock per step, from the item's time limits (``fawang.core.sla``).
* ``Rating`` and ``CaseCallback``: satisfaction (M7) and the 回访 a dissatisfied rating opens.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fawang.cases.choices import (
    CallbackStatus,
    CaseStatus,
    Channel,
    IdType,
    PartyKind,
    RatingLevel,
    StepState,
)
from fawang.core.fields import EncryptedCharField, EncryptedTextField


class Party(models.Model):
    kind = models.CharField(_("类型"), max_length=10, choices=PartyKind.choices, default=PartyKind.NATURAL)
    name = models.CharField(_("姓名或名称"), max_length=100)
    id_type = models.CharField(_("证件类型"), max_length=20, choices=IdType.choices, default=IdType.RESIDENT_ID)
    id_number = EncryptedCharField(_("证件号码"), max_length=64, blank=True)
    # Blind indexes: partial indexes (Meta) leave out the parties registered without one.
    id_number_index = models.CharField(max_length=64, blank=True, editable=False)
    phone = EncryptedCharField(_("联系电话"), max_length=32, blank=True)
    phone_index = models.CharField(max_length=64, blank=True, editable=False)
    address = EncryptedTextField(_("住址"), blank=True)
    ethnicity = models.CharField(_("民族"), max_length=20, blank=True)
    preferred_language = models.CharField(_("使用语言"), max_length=20, blank=True, default="zh")
    special_groups = models.JSONField(_("特殊群体"), default=list, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("关联账号"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="parties", db_index=False,  # partial index in Meta
    )
    # Where the party was registered; parties are scoped like cases.
    region_code = models.CharField(_("登记区划"), max_length=12, blank=True, db_index=True)
    created_at = models.DateTimeField(_("登记时间"), default=timezone.now)
    is_demo = models.BooleanField(_("演示数据"), default=False)

    class Meta:
        verbose_name = _("当事人")
        verbose_name_plural = _("当事人")
        indexes = [
            # Only citizens' own records have an account (staff intake leaves it empty).
            models.Index(fields=["user"], condition=models.Q(user__isnull=False), name="cases_party_user_nn"),
            # Lookups add the same ``> ''`` term (SQLite uses a partial index only then).
            models.Index(fields=["id_number_index"], condition=models.Q(id_number_index__gt=""),
                         name="cases_party_id_index_set"),
            models.Index(fields=["phone_index"], condition=models.Q(phone_index__gt=""),
                         name="cases_party_phone_index_set"),
        ]

    def __str__(self) -> str:
        return self.masked_name

    @property
    def masked_name(self) -> str:
        from fawang.core.pii import mask_name

        return mask_name(self.name) if self.kind == PartyKind.NATURAL else self.name

    @property
    def masked_id_number(self) -> str:
        from fawang.core.pii import mask_id_number

        return mask_id_number(self.id_number) if self.id_number else ""

    @property
    def masked_phone(self) -> str:
        from fawang.core.pii import mask_phone

        return mask_phone(self.phone) if self.phone else ""


class CaseSequence(models.Model):
    """Per-(region, day) counter: a number is issued by one UPDATE … RETURNING (the row lock
    serialises concurrent intakes); the first of the day creates the row with an upsert."""

    region_code = models.CharField(max_length=12)
    day = models.DateField()
    last_value = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["region_code", "day"], name="cases_sequence_region_day")]

    def __str__(self) -> str:
        return f"{self.region_code} {self.day} #{self.last_value}"


class Case(models.Model):
    number = models.CharField(_("案件编号"), max_length=32, unique=True)
    # Indexes: every index is written by every intake (17 made a window intake's commit cost
    # more than the rest of it). Kept: what queues, scoping and lookups filter on — region
    # (through ``cases_case_region_status``, whose prefix serves region-only filters),
    # received_at, the handling point and people; FKs that are usually empty get partial
    # indexes (Meta); channel, status alone, item and first contact are read through events
    # or with a region filter, and items/users are never deleted (switched off instead).
    item = models.ForeignKey("catalog.ServiceItem", verbose_name=_("服务事项"), on_delete=models.PROTECT,
                             related_name="cases", db_index=False)
    channel = models.CharField(_("来源渠道"), max_length=16, choices=Channel.choices)
    status = models.CharField(_("状态"), max_length=24, choices=CaseStatus.choices,
                              default=CaseStatus.RECEIVED)
    region_code = models.CharField(_("所属区划"), max_length=12)
    service_point = models.ForeignKey(
        "regions.ServicePoint", verbose_name=_("承办服务点"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="cases",
    )
    applicant = models.ForeignKey(Party, verbose_name=_("申请人"), null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="cases")
    citizen_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("群众账号"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="citizen_cases", db_index=False,
    )
    # 首问负责: who took the first contact (never changes) and who is answerable now — the
    # first-contact person until a receiving point accepts a handover.
    first_contact_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("首问责任人"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="first_contact_cases", db_index=False,
    )
    responsible_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("当前责任人"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="responsible_cases",
    )
    handler = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("承办人"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="handled_cases", db_index=False,
    )
    # A pending handover (转办): the target point sees the case until it accepts or refuses.
    transfer_to = models.ForeignKey(
        "regions.ServicePoint", verbose_name=_("拟转至"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="incoming_transfers", db_index=False,
    )
    transfer_region_code = models.CharField(max_length=12, blank=True, editable=False)  # partial index
    # Status to return to when a pause (materials) or a refused handover ends.
    resume_status = models.CharField(max_length=24, blank=True, editable=False)
    bundle = models.ForeignKey("catalog.ServiceBundle", verbose_name=_("主题套餐"), null=True, blank=True,
                               on_delete=models.PROTECT, related_name="cases", db_index=False)
    linked_cases = models.ManyToManyField("self", verbose_name=_("关联案件"), blank=True, symmetrical=True)
    subject = models.CharField(_("事由"), max_length=200, blank=True)
    form_data = models.JSONField(_("申请内容"), default=dict, blank=True)
    result = models.TextField(_("办理结果"), blank=True)
    idempotency_key = models.CharField(max_length=100, null=True, blank=True, unique=True, editable=False)
    # Given to the citizen with the number; the number alone must not reveal progress.
    query_code = models.CharField(_("查询码"), max_length=8, editable=False)
    received_at = models.DateTimeField(_("登记时间"), default=timezone.now, db_index=True)
    completed_at = models.DateTimeField(_("办结时间"), null=True, blank=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    is_demo = models.BooleanField(_("演示数据"), default=False)

    class Meta:
        verbose_name = _("案件")
        verbose_name_plural = _("案件")
        ordering = ["-received_at"]
        indexes = [
            models.Index(fields=["region_code", "status"], name="cases_case_region_status"),
            # Partial: most cases have none of these, and ``col = x`` implies ``col IS NOT NULL``,
            # so both SQLite and PostgreSQL use them for lookups and joins.
            models.Index(fields=["citizen_user"], condition=models.Q(citizen_user__isnull=False),
                         name="cases_case_citizen_user_nn"),
            models.Index(fields=["handler"], condition=models.Q(handler__isnull=False),
                         name="cases_case_handler_nn"),
            models.Index(fields=["transfer_to"], condition=models.Q(transfer_to__isnull=False),
                         name="cases_case_transfer_to_nn"),
            models.Index(fields=["bundle"], condition=models.Q(bundle__isnull=False),
                         name="cases_case_bundle_nn"),
            # Only cases in a pending handover; scoping adds the same ``> ''`` term.
            models.Index(fields=["transfer_region_code"], condition=models.Q(transfer_region_code__gt=""),
                         name="cases_case_transfer_region_set"),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def is_open(self) -> bool:
        from fawang.cases.choices import OPEN_STATUSES

        return self.status in OPEN_STATUSES


class AppendOnlyError(Exception):
    pass


class CaseEvent(models.Model):
    """One thing that happened to a case. Never updated, never deleted."""

    # Indexed through (case, at) and (type, at) below: single-column duplicates would only slow
    # the bulk inserts of the SLA scan.
    case = models.ForeignKey(Case, verbose_name=_("案件"), on_delete=models.PROTECT, related_name="events",
                             db_index=False)
    type = models.CharField(_("事件类型"), max_length=48)
    at = models.DateTimeField(_("时间"), default=timezone.now)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("操作人"), null=True, blank=True,
                              on_delete=models.SET_NULL, related_name="+")
    actor_name = models.CharField(_("操作人姓名"), max_length=100, blank=True)
    actor_role = models.CharField(_("操作人角色"), max_length=32, blank=True)
    region_code = models.CharField(_("区划"), max_length=12)
    service_point_code = models.CharField(_("服务点"), max_length=20, blank=True)
    from_status = models.CharField(max_length=24, blank=True)
    to_status = models.CharField(max_length=24, blank=True)
    public = models.BooleanField(_("群众可见"), default=True)
    payload = models.JSONField(_("内容"), default=dict, blank=True)

    class Meta:
        verbose_name = _("案件事件")
        verbose_name_plural = _("案件事件")
        ordering = ["at", "id"]
        indexes = [
            models.Index(fields=["case", "at"], name="cases_event_case_at"),
            models.Index(fields=["type", "at"], name="cases_event_type_at"),
            models.Index(fields=["region_code", "at"], name="cases_event_region_at"),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} {self.type} {self.at:%Y-%m-%d %H:%M}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None and not self._state.adding:
            raise AppendOnlyError("case events are append-only")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise AppendOnlyError("case events are append-only")

    @property
    def label(self) -> str:
        from fawang.cases.events import event_types

        spec = event_types().get(self.type)
        return str(spec.label) if spec else self.type


class CaseStep(models.Model):
    """The SLA clock of one step of a case, from the item's time limit and its article."""

    case = models.ForeignKey(Case, verbose_name=_("案件"), on_delete=models.CASCADE, related_name="steps")
    step = models.CharField(_("环节"), max_length=40)
    name = models.CharField(_("环节名称"), max_length=100)
    rule_days = models.PositiveIntegerField(default=0)
    rule_hours = models.PositiveIntegerField(default=0)
    rule_unit = models.CharField(max_length=10, default="calendar")
    warn_days_before = models.PositiveIntegerField(default=1)
    article = models.CharField(_("时限依据"), max_length=200, blank=True)
    stop_events = models.JSONField(default=list, blank=True)
    started_at = models.DateTimeField(_("开始时间"))
    due_at = models.DateTimeField(_("期限"))
    warn_at = models.DateTimeField(_("预警时间"))
    paused_at = models.DateTimeField(_("暂停于"), null=True, blank=True)
    pauses = models.JSONField(default=list, blank=True)  # [[iso_start, iso_end], ...] closed pauses
    paused_total = models.DurationField(_("累计暂停"), default=timezone.timedelta)
    state = models.CharField(_("状态"), max_length=12, choices=StepState.choices, default=StepState.OK)
    ended_at = models.DateTimeField(_("结束时间"), null=True, blank=True)
    region_code = models.CharField(max_length=12)

    class Meta:
        verbose_name = _("办理时限")
        verbose_name_plural = _("办理时限")
        ordering = ["started_at", "id"]
        indexes = [
            # The scan reads only rows about to cross a rung. Partial indexes hold just the steps
            # still below that rung, so they stay small however many steps are overdue or done.
            models.Index(fields=["warn_at"], name="cases_step_warn_open", condition=models.Q(state="ok")),
            models.Index(fields=["due_at"], name="cases_step_due_open",
                         condition=models.Q(state__in=["ok", "warning"])),
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.get_state_display()}）"

    def sla_rule(self) -> Any:
        from fawang.core.sla import DayUnit, SlaRule

        return SlaRule(days=self.rule_days, unit=DayUnit(self.rule_unit), warn_days_before=self.warn_days_before,
                       article=self.article, hours=self.rule_hours)


def attachment_path(instance: CaseAttachment, filename: str) -> str:
    now = timezone.now()
    return f"cases/{now:%Y/%m}/{instance.case.number}/{filename}"


class CaseAttachment(models.Model):
    case = models.ForeignKey(Case, verbose_name=_("案件"), on_delete=models.CASCADE, related_name="attachments")
    material_key = models.CharField(_("材料"), max_length=40, blank=True)
    name = models.CharField(_("材料名称"), max_length=200)
    file = models.FileField(_("文件"), upload_to=attachment_path)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("材料附件")
        verbose_name_plural = _("材料附件")

    def __str__(self) -> str:
        return self.name


class Rating(models.Model):
    case = models.OneToOneField(Case, verbose_name=_("案件"), on_delete=models.CASCADE, related_name="rating")
    attitude = models.PositiveSmallIntegerField(_("服务态度"), choices=RatingLevel.choices)
    efficiency = models.PositiveSmallIntegerField(_("办事效率"), choices=RatingLevel.choices)
    professionalism = models.PositiveSmallIntegerField(_("政策业务水平"), choices=RatingLevel.choices)
    comment = models.TextField(_("意见"), blank=True)
    channel = models.CharField(_("评价渠道"), max_length=16, choices=Channel.choices, blank=True)
    rated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="+")
    region_code = models.CharField(max_length=12, db_index=True)
    rated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("满意度评价")
        verbose_name_plural = _("满意度评价")

    def __str__(self) -> str:
        return f"{self.case_id}: {self.attitude}/{self.efficiency}/{self.professionalism}"

    @property
    def is_dissatisfied(self) -> bool:
        return min(self.attitude, self.efficiency, self.professionalism) <= RatingLevel.DISSATISFIED


class CaseCallback(models.Model):
    """回访 task opened automatically by a dissatisfied rating."""

    case = models.ForeignKey(Case, verbose_name=_("案件"), on_delete=models.CASCADE, related_name="callbacks")
    rating = models.ForeignKey(Rating, null=True, blank=True, on_delete=models.SET_NULL, related_name="callbacks")
    reason = models.CharField(_("回访原因"), max_length=200)
    status = models.CharField(_("状态"), max_length=8, choices=CallbackStatus.choices,
                              default=CallbackStatus.OPEN, db_index=True)
    due_at = models.DateTimeField(_("回访期限"))
    assigned_to = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="case_callbacks")
    outcome = models.TextField(_("回访情况"), blank=True)
    region_code = models.CharField(max_length=12, db_index=True)
    created_at = models.DateTimeField(default=timezone.now)
    done_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("回访任务")
        verbose_name_plural = _("回访任务")
        ordering = ["due_at"]

    def __str__(self) -> str:
        return f"{self.case_id} {self.reason}"
