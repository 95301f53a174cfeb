from django.urls import path

from fawang.consultation import views, views_line

app_name = "consultation"

urlpatterns = [
    path("", views.index, name="index"),
    path("ask/", views.ask, name="ask"),
    path("o/<uuid:public_id>/", views.opinion_page, name="opinion"),
    path("o/<uuid:public_id>/pdf/", views.opinion_pdf, name="opinion_pdf"),
    path("faq/", views.faq, name="faq"),
    path("callback/", views.callback, name="callback"),
    # The staff consultation line (views_line.py).
    path("line/", views_line.line_index, name="line"),
    path("line/<str:number>/", views_line.line_detail, name="line_detail"),
    path("line/<str:number>/body/", views_line.line_body, name="line_body"),
    path("line/<str:number>/<slug:act>/", views_line.line_act, name="line_act"),
]
