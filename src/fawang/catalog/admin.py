"""The service catalogue's back office: national reference data, not region-scoped; an unknown
id answers 404 like everywhere in the admin.

Rights come from the role table (``reference.edit``: the catalogue drives every case's
materials and statutory clocks, so it is kept with the other reference data), and writes need a
province-level or national scope (``GlobalAdminMixin``): a change reaches every county at once.
"""

from django.contrib import admin

from fawang.catalog.models import ServiceBundle, ServiceItem
from fawang.core.admin import GlobalAdminMixin

CATALOG_ACTIONS = {"view": "reference.edit", "add": "reference.edit", "change": "reference.edit",
                   "delete": "reference.edit"}


@admin.register(ServiceItem)
class ServiceItemAdmin(GlobalAdminMixin, admin.ModelAdmin):
    admin_actions = CATALOG_ACTIONS
    list_display = ("code", "name", "service_type", "lowest_level", "is_x_item", "is_active")
    list_filter = ("service_type", "lowest_level", "is_x_item", "is_active")
    search_fields = ("code", "name")


@admin.register(ServiceBundle)
class ServiceBundleAdmin(GlobalAdminMixin, admin.ModelAdmin):
    admin_actions = CATALOG_ACTIONS
    list_display = ("code", "name", "is_active")
    filter_horizontal = ("items",)
