from django.urls import path

from fawang.knowledge import views

app_name = "knowledge"

urlpatterns = [
    path("", views.law_index, name="index"),
    path("article/<int:article_id>/", views.article_detail, name="article"),
    path("<int:law_id>/", views.law_detail, name="law"),
]
