from django.urls import path

from fawang.catalog import views

app_name = "catalog"

urlpatterns = [
    path("", views.item_index, name="index"),
    path("bundles/<str:code>/", views.bundle_detail, name="bundle"),
    path("<str:code>/", views.item_guide, name="guide"),
]
