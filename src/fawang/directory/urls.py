from django.urls import path

from fawang.directory import views

app_name = "directory"

urlpatterns = [
    path("", views.search, name="search"),
    path("map/", views.map_view, name="map"),
    path("credit/", views.credit_records, name="credit"),
    path("institutions/<int:pk>/", views.institution_detail, name="institution"),
    path("practitioners/<int:pk>/", views.practitioner_detail, name="practitioner"),
]
