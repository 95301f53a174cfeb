from django.urls import path

from fawang.regions import views

app_name = "regions"

urlpatterns = [
    path("", views.finder, name="finder"),
    path("townships/", views.township_options, name="township_options"),
    path("<str:code>/", views.point_detail, name="detail"),
]
