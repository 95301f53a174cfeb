"""Back office: the WeChat account's followers, messages and monthly hot-topics pushes, read-only
(they are evidence).

The account serves the whole province, and most followers never share a location, so their rows
have no region: province-level (and national) staff see those; a county sees its own followers'.
"""

from __future__ import annotations

from django.contrib import admin
from django.db.models import Q

from fawang.core.admin import ReadOnlyAdminMixin, ScopedAdminMixin
from fawang.core.scoping import region_q
from fawang.portal.models import HotTopicsDigest, WechatFollower, WechatMessage


class _AccountScopeMixin:
    region_field = "region_code"

    def scope_q(self, code: str) -> Q:
        if not code:  # national staff: everything (an empty Q would vanish in the OR below)
            return Q()
        q = region_q(code, self.region_field)
        if len(code) <= 2:
            q |= Q(**{self.region_field: ""})
        return q


@admin.register(WechatFollower)
class WechatFollowerAdmin(_AccountScopeMixin, ReadOnlyAdminMixin, ScopedAdminMixin, admin.ModelAdmin):
    admin_actions = {"view": "consultation.answer"}
    list_display = ("openid", "is_subscribed", "region_code", "service_point", "first_seen_at", "last_seen_at")
    list_filter = ("is_subscribed",)
    search_fields = ("openid", "region_code")
    readonly_fields = [f.name for f in WechatFollower._meta.fields]


@admin.register(WechatMessage)
class WechatMessageAdmin(_AccountScopeMixin, ReadOnlyAdminMixin, ScopedAdminMixin, admin.ModelAdmin):
    admin_actions = {"view": "consultation.answer"}
    region_field = "follower__region_code"
    list_display = ("received_at", "kind", "event", "short_text", "consultation", "replied_at", "push")
    list_filter = ("kind", "push")
    search_fields = ("message_key", "text", "follower__openid")
    date_hierarchy = "received_at"
    readonly_fields = [f.name for f in WechatMessage._meta.fields]
    list_select_related = ("follower", "consultation")

    @admin.display(description=WechatMessage._meta.get_field("text").verbose_name)
    def short_text(self, obj: WechatMessage) -> str:
        return obj.text[:40]


@admin.register(HotTopicsDigest)
class HotTopicsDigestAdmin(_AccountScopeMixin, ReadOnlyAdminMixin, ScopedAdminMixin, admin.ModelAdmin):
    """What each county's followers were sent (F16); region "" is the whole platform's digest."""

    admin_actions = {"view": "consultation.answer"}
    list_display = ("period", "region_code", "status", "recipients", "batches_sent", "sent_at")
    list_filter = ("status", "period")
    search_fields = ("region_code", "text")
    readonly_fields = [f.name for f in HotTopicsDigest._meta.fields if f.editable]
