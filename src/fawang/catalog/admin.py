from django.contrib import admin

from fawang.catalog.models import ServiceBundle, ServiceItem


@admin.register(ServiceItem)
class ServiceItemAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "service_type", "lowest_level", "is_x_item", "is_active")
    list_filter = ("service_type", "lowest_level", "is_x_item", "is_active")
    search_fields = ("code", "name")


@admin.register(ServiceBundle)
class ServiceBundleAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "is_active")
    filter_horizontal = ("items",)
