from django.urls import path

from fawang.portal import views

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("progress/", views.progress, name="progress"),
    path("wechat/", views.wechat, name="wechat"),
]
