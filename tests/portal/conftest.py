"""The WeChat tests answer real consultations: the consultation tests' statutes, FAQ and catalogue."""

from consultation.conftest import catalog, faq, laws  # noqa: F401  (fixtures)
