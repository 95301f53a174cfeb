from django.urls import path

from fawang.portal import views

app_name = "portal"

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("wechat/", views.wechat, name="wechat"),
]
