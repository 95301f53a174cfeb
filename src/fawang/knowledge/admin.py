"""Back office for laws and articles: read-mostly (laws come from imports), search and filters.

Laws are public reference data, so there is no regional scoping here (a local regulation's
region says where it applies, not who keeps it). Edits go through the services so the search
index stays in sync (the admin does not write the FTS table itself). Rights come from the role
table (``knowledge.edit``), and writes need a province-level or national scope
(``GlobalAdminMixin``); every write leaves an audit entry.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.db.models import Count, QuerySet
from django.http import HttpRequest
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from fawang.core.admin import GlobalAdminMixin

from .models import Article, Law
from .services import article_update, law_delete


@admin.register(Law)
class LawAdmin(GlobalAdminMixin, admin.ModelAdmin):
    admin_actions = {"view": "knowledge.edit", "add": None, "change": "knowledge.edit", "delete": "knowledge.edit"}
    list_display = ("title", "short_title", "level", "category", "in_force", "publish_date", "valid_from",
                    "region_code", "article_count", "page_link")
    list_filter = ("level", "in_force", "is_case", "category", "region_code")
    search_fields = ("title", "short_title", "source")
    date_hierarchy = "publish_date"
    readonly_fields = ("source", "title", "short_title", "level", "category", "history", "region_code",
                       "is_case", "publish_date", "valid_from", "repealed_on", "repealed_by")
    fields = ("title", "short_title", "level", "category", "issuing_body", "publish_date", "valid_from",
              "in_force", "repealed_on", "repealed_by", "region_code", "is_case", "history", "source")
    list_per_page = 50

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).annotate(article_total=Count("articles"))

    @admin.display(description=_("条数"), ordering="article_total")
    def article_count(self, obj: Law) -> int:
        return obj.article_total

    @admin.display(description=_("前台页面"))
    def page_link(self, obj: Law) -> str:
        return format_html('<a href="/laws/{}/" target="_blank">{}</a>', obj.id, _("查看"))

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return False  # laws come from `fawang import-laws`

    def get_deleted_objects(self, objs, request):
        # Articles cannot be deleted one by one, but go with their law.
        deleted, counts, _perms_needed, protected = super().get_deleted_objects(objs, request)
        return deleted, counts, set(), protected

    def delete_model(self, request: HttpRequest, obj: Law) -> None:
        with self.audited_delete(request, obj):
            law_delete(law=obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet) -> None:
        for law in queryset:
            self.delete_model(request, law)


@admin.register(Article)
class ArticleAdmin(GlobalAdminMixin, admin.ModelAdmin):
    admin_actions = {"view": "knowledge.edit", "add": None, "change": "knowledge.edit", "delete": None}
    list_display = ("law", "label", "chapter", "section", "short_text")
    list_filter = ("law__level", "law__in_force", "law__is_case")
    search_fields = ("law__title", "label", "text")
    list_select_related = ("law",)
    readonly_fields = ("law", "label", "number", "sub_number", "position", "part", "chapter", "section")
    fields = ("law", "label", "number", "sub_number", "position", "part", "chapter", "section", "text")
    list_per_page = 50
    show_full_result_count = False  # counting 60k+ rows on every search page is wasted work

    @admin.display(description=_("条文"))
    def short_text(self, obj: Article) -> str:
        return obj.text[:60]

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # removing an article is a re-import of its law

    def save_model(self, request: HttpRequest, obj: Article, form: Any, change: bool) -> None:
        article_update(article=obj, text=form.cleaned_data["text"])
        self.audit_save(request, obj, form, change)
