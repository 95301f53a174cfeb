from django.urls import path

from fawang.mediation import views

app_name = "mediation"

urlpatterns = [
    path("", views.mediation_list, name="list"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/<slug:action>/", views.act, name="act"),
]
