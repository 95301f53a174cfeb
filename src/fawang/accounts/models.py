"""Users, their role and where they work.

A staff user is attached to one service point or to an administrative office of one division;
what they may see is that division's subtree intersected with their role's permissions. The
rule is applied in one place, ``fawang.core.scoping``.
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    CITIZEN = "citizen", _("群众")
    WINDOW_CLERK = "window_clerk", _("窗口工作人员")
    HOTLINE_AGENT = "hotline_agent", _("热线坐席")
    LAWYER = "lawyer", _("律师")
    MEDIATOR = "mediator", _("人民调解员")
    LEGAL_AID_REVIEWER = "legal_aid_reviewer", _("法律援助审查人员")
    LEGAL_AID_APPROVER = "legal_aid_approver", _("法律援助审批人员")
    VILLAGE_ADVISER = "village_adviser", _("村（居）法律顾问")
    SUPERVISOR = "supervisor", _("监督管理人员")
    SYSTEM_ADMIN = "system_admin", _("系统管理员")


class User(AbstractUser):
    role = models.CharField(_("角色"), max_length=32, choices=Role.choices, default=Role.CITIZEN, db_index=True)
    real_name = models.CharField(_("姓名"), max_length=50, blank=True)
    # Where the user works. A service point implies its division; an office (e.g. a county
    # justice bureau supervisor) has a division and no service point. National supervisors and
    # system administrators have neither: their scope is the whole country.
    division = models.ForeignKey(
        "regions.Division", verbose_name=_("所属区划"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="staff",
    )
    service_point = models.ForeignKey(
        "regions.ServicePoint", verbose_name=_("所属服务点"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="staff",
    )
    is_demo = models.BooleanField(_("演示账号"), default=False)

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")

    def __str__(self) -> str:
        return self.real_name or self.username

    @property
    def scope_code(self) -> str | None:
        """Division code whose subtree this user may see; "" is the whole country.

        ``None`` means the user has no regional scope at all (a citizen sees only their own
        records, which selectors handle separately).
        """
        if self.role == Role.CITIZEN:
            return None
        if self.service_point_id is not None:
            return self.service_point.region_code
        if self.division_id is not None:
            return self.division_id
        if self.role in (Role.SUPERVISOR, Role.SYSTEM_ADMIN) or self.is_superuser:
            return ""
        return None
