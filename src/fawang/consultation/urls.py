from django.urls import path

from fawang.consultation import views

app_name = "consultation"

urlpatterns = [
    path("", views.index, name="index"),
    path("ask/", views.ask, name="ask"),
    path("o/<uuid:public_id>/", views.opinion_page, name="opinion"),
    path("o/<uuid:public_id>/pdf/", views.opinion_pdf, name="opinion_pdf"),
    path("faq/", views.faq, name="faq"),
    path("callback/", views.callback, name="callback"),
]
