"""Root URL configuration: portal pages, staff pages, the API and the admin back office."""

from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from fawang.api.urls import api

admin.site.site_header = _("法网 · 公共法律服务平台 后台管理")
admin.site.site_title = _("法网后台")
admin.site.index_title = _("基础数据与业务管理")

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("accounts/", include("fawang.accounts.urls")),
    path("services/", include("fawang.catalog.urls")),
    path("staff/cases/", include("fawang.cases.urls")),
    path("consult/", include("fawang.consultation.urls")),
    path("directory/", include("fawang.directory.urls")),
    path("points/", include("fawang.regions.urls")),
    path("laws/", include("fawang.knowledge.urls")),
    path("legalaid/", include("fawang.legalaid.urls")),
    path("mediation/", include("fawang.mediation.urls")),
    path("", include("fawang.portal.urls")),
]
if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
