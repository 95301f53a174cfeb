from django.urls import path

from fawang.cases import views

app_name = "cases"

urlpatterns = [
    path("", views.queue, name="queue"),
    path("intake/", views.intake, name="intake"),
    path("intake/item/", views.intake_item, name="intake_item"),
    path("<str:number>/", views.detail, name="detail"),
    path("<str:number>/<str:name>/", views.action, name="action"),
]
