"""The consultation categories and the business lines' names reach English readers translated."""

from __future__ import annotations

from django.apps import apps
from django.utils import translation

from fawang.consultation.choices import QuestionCategory
from fawang.knowledge.classify.categories import CATEGORIES


def test_every_question_category_has_an_english_label_and_keeps_its_value():
    # The msgids come from literals elsewhere (makemessages cannot read ``_(c)``): if one of them
    # disappears from the catalogue, this fails instead of a Chinese label showing in English.
    assert QuestionCategory.values == list(CATEGORIES)
    with translation.override("en"):
        labels = [str(label) for label in QuestionCategory.labels]
    assert all(label.isascii() for label in labels), labels
    assert labels[0] == "Marriage and family"
    with translation.override("zh-hans"):
        assert [str(label) for label in QuestionCategory.labels] == list(CATEGORIES)


def test_business_line_app_names_are_translated():
    with translation.override("en"):
        names = {label: str(apps.get_app_config(label).verbose_name)
                 for label in ("legalaid", "mediation", "complaints")}
    assert names == {"legalaid": "Legal aid", "mediation": "People's mediation",
                     "complaints": "Complaints and suggestions"}
