"""Back office for laws and articles: read-mostly (laws come from imports), search and filters.

Laws are public reference data, so there is no regional scoping here. Edits go through the
services so the search index stays in sync (the admin does not write the FTS table itself).
"""

from __future__ import annotations

from django.contrib import admin
from django.db.models import Count
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from fawang.core.admin import NotFoundAdminMixin

from .models import Article, Law
from .services import article_update, law_delete


@admin.register(Law)
class LawAdmin(NotFoundAdminMixin, admin.ModelAdmin):
    list_display = ("title", "short_title", "level", "category", "in_force", "publish_date", "valid_from",
                    "region_code", "article_count", "page_link")
    list_filter = ("level", "in_force", "is_case", "category", "region_code")
    search_fields = ("title", "short_title", "source")
    date_hierarchy = "publish_date"
    readonly_fields = ("source", "title", "short_title", "level", "category", "history", "region_code",
                       "is_case", "publish_date", "valid_from")
    fields = ("title", "short_title", "level", "category", "issuing_body", "publish_date", "valid_from",
              "in_force", "region_code", "is_case", "history", "source")
    list_per_page = 50

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(article_total=Count("articles"))

    @admin.display(description=_("条数"), ordering="article_total")
    def article_count(self, obj: Law) -> int:
        return obj.article_total

    @admin.display(description=_("前台页面"))
    def page_link(self, obj: Law) -> str:
        return format_html('<a href="/laws/{}/" target="_blank">{}</a>', obj.id, _("查看"))

    def has_add_permission(self, request) -> bool:
        return False  # laws come from `fawang import-laws`

    def get_deleted_objects(self, objs, request):
        # Articles cannot be deleted one by one, but go with their law.
        deleted, counts, _perms_needed, protected = super().get_deleted_objects(objs, request)
        return deleted, counts, set(), protected

    def delete_model(self, request, obj: Law) -> None:
        law_delete(law=obj)

    def delete_queryset(self, request, queryset) -> None:
        for law in queryset:
            law_delete(law=law)


@admin.register(Article)
class ArticleAdmin(NotFoundAdminMixin, admin.ModelAdmin):
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

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # removing an article is a re-import of its law

    def save_model(self, request, obj: Article, form, change) -> None:
        article_update(article=obj, text=form.cleaned_data["text"])
