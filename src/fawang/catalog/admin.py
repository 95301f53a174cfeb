"""The service catalogue's back office: national reference data, not region-scoped; an unknown
id answers 404 like everywhere in the admin."""

from django.contrib import admin

from fawang.catalog.models import ServiceBundle, ServiceItem
from fawang.core.admin import NotFoundAdminMixin


@admin.register(ServiceItem)
class ServiceItemAdmin(NotFoundAdminMixin, admin.ModelAdmin):
    list_display = ("code", "name", "service_type", "lowest_level", "is_x_item", "is_active")
    list_filter = ("service_type", "lowest_level", "is_x_item", "is_active")
    search_fields = ("code", "name")


@admin.register(ServiceBundle)
class ServiceBundleAdmin(NotFoundAdminMixin, admin.ModelAdmin):
    list_display = ("code", "name", "is_active")
    filter_horizontal = ("items",)
