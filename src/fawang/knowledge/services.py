"""Writes for the knowledge base: importing laws (LawRefBook markdown + db.sqlite3 metadata).

Speed matters (58,600 national articles in well under 3 minutes on SQLite, index included), so
the import parses every file first, then writes laws in batches: one transaction per batch,
bulk_create / bulk_update of articles, and one search-index call per batch. Files that fail to
parse are reported by name and never touched in the database.
"""

from __future__ import annotations

import datetime as dt
import re
import sqlite3
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.utils.translation import gettext as _

from fawang.core.errors import DomainError

from .models import Article, Law, LawLevel
from .parsing import NON_LAW_FILES, ParsedLaw, parse_law_markdown
from .repeals import find_repeals
from .search import get_backend

# db.sqlite3 `law.level` strings → LawLevel
LEVELS = {
    "宪法": LawLevel.CONSTITUTION,
    "法律": LawLevel.LAW,
    "行政法规": LawLevel.ADMINISTRATIVE_REGULATION,
    "司法解释": LawLevel.JUDICIAL_INTERPRETATION,
    "部门规章": LawLevel.DEPARTMENTAL_RULE,
    "地方性法规": LawLevel.LOCAL_REGULATION,
    "案例": LawLevel.CASE,
    "其他": LawLevel.OTHER,
}
# Top-level LawRefBook folder → level, for files the db does not describe.
FOLDER_LEVELS = {
    "宪法": LawLevel.LAW, "宪法相关法": LawLevel.LAW, "民法典": LawLevel.LAW, "民法商法": LawLevel.LAW,
    "行政法": LawLevel.LAW, "经济法": LawLevel.LAW, "社会法": LawLevel.LAW, "刑法": LawLevel.LAW,
    "诉讼与非诉讼程序法": LawLevel.LAW, "行政法规": LawLevel.ADMINISTRATIVE_REGULATION,
    "司法解释": LawLevel.JUDICIAL_INTERPRETATION, "部门规章": LawLevel.DEPARTMENTAL_RULE,
    "地方性法规": LawLevel.LOCAL_REGULATION, "案例": LawLevel.CASE, "其他": LawLevel.OTHER,
}
# 地方性法规/<province>/ → province division code (GB/T 2260).
PROVINCES = {
    "北京": "11", "天津": "12", "河北": "13", "山西": "14", "内蒙古": "15", "辽宁": "21", "吉林": "22",
    "黑龙江": "23", "上海": "31", "江苏": "32", "浙江": "33", "安徽": "34", "福建": "35", "江西": "36",
    "山东": "37", "河南": "41", "湖北": "42", "湖南": "43", "广东": "44", "广西": "45", "海南": "46",
    "重庆": "50", "四川": "51", "贵州": "52", "云南": "53", "西藏": "54", "陕西": "61", "甘肃": "62",
    "青海": "63", "宁夏": "64", "新疆": "65",
}
_DATED = re.compile(r"^(?P<base>.*?)\s*\((?P<date>\d{4}-\d{2}-\d{2})\)$")
WRITE_BATCH = 60  # laws per transaction


@dataclass
class LawMeta:
    name: str
    level: str
    category: str
    folder: str
    publish: dt.date | None
    valid_from: dt.date | None
    expired: bool
    filename: str = ""


@dataclass
class ImportReport:
    files: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    articles: int = 0
    articles_deleted: int = 0
    indexed: int = 0
    unmatched_files: list[str] = field(default_factory=list)
    unmatched_rows: int = 0
    superseded: list[str] = field(default_factory=list)
    # "source ← 《repealing title》第N条" for each law a repeal clause took out of force.
    repealed: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    seconds: float = 0.0


def _date(value: object) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


class FolderMetadata:
    """The `law` rows of a LawRefBook folder's db.sqlite3, matched to its markdown files."""

    def __init__(self, rows: Iterable[LawMeta]) -> None:
        self.rows = list(rows)
        self.by_folder: dict[tuple[str, str], list[LawMeta]] = defaultdict(list)
        self.by_name: dict[str, list[LawMeta]] = defaultdict(list)
        for row in self.rows:
            names = {row.name, row.name.split(" ")[-1]}
            if row.filename:
                names.add(Path(row.filename).stem)
            for name in names:
                self.by_folder[(row.folder, name)].append(row)
                self.by_name[name].append(row)
        self.used: set[int] = set()

    @classmethod
    def load(cls, folder: Path) -> FolderMetadata:
        db = folder / "db.sqlite3"
        if not db.exists():
            return cls([])
        con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
        try:
            cols = {r[1] for r in con.execute("PRAGMA table_info(law)")}
            filename = "l.filename" if "filename" in cols else "''"
            rows = con.execute(
                f"SELECT l.name, l.level, c.name, c.folder, l.publish, l.valid_from, l.expired, {filename} "
                "FROM law l JOIN category c ON c.id = l.category_id").fetchall()
        except sqlite3.DatabaseError as exc:
            raise DomainError("law_db_unreadable",
                              _("%(db)s 无法读取：%(error)s") % {"db": db, "error": exc}) from exc
        finally:
            con.close()
        return cls(LawMeta(name=(r[0] or "").strip(), level=r[1] or "", category=r[2] or "",
                           folder=(r[3] or "").strip("/"), publish=_date(r[4]), valid_from=_date(r[5]),
                           expired=bool(r[6]), filename=r[7] or "") for r in rows)

    def match(self, rel: str, *, title: str = "") -> LawMeta | None:
        """Row for the file at `rel` (relative to the folder): `<name>(<publish>).md` in its
        category folder; tolerates a missing date, the 民法典 split ("民法典 总则" ↔ 总则.md)
        and a file filed in another folder than its category."""
        path = Path(rel)
        folder = path.parent.as_posix()
        stem = path.stem
        dated = _DATED.match(stem)
        base, date = (dated.group("base"), _date(dated.group("date"))) if dated else (stem, None)
        short = re.sub(r"^中华人民共和国", "", title)
        for candidates in (self.by_folder.get((folder, stem)), self.by_folder.get((folder, base)),
                           self.by_name.get(stem), self.by_name.get(base),
                           self.by_folder.get((folder, title)), self.by_folder.get((folder, short))):
            if not candidates:
                continue
            chosen = self._choose(candidates, date)
            if chosen is not None:
                self.used.add(id(chosen))
                return chosen
        return None

    def _choose(self, candidates: list[LawMeta], date: dt.date | None) -> LawMeta | None:
        if date is not None:
            same_day = [c for c in candidates if c.publish == date]
            if same_day:
                return same_day[0]
        if len(candidates) == 1:
            return candidates[0]
        free = [c for c in candidates if id(c) not in self.used]
        if date is None and free:
            # An undated file among several versions is the current one.
            current = [c for c in free if not c.expired] or free
            return max(current, key=lambda c: c.publish or dt.date.min)
        return None

    @property
    def unmatched_rows(self) -> int:
        return sum(1 for r in self.rows if id(r) not in self.used)


@dataclass
class _Prepared:
    source: str
    fields: dict
    parsed: ParsedLaw


def _retire_superseded_versions(prepared: Sequence[_Prepared], report: ImportReport) -> None:
    """Of several in-force versions of one title, only the newest stays in force.

    LawRefBook keeps every version (公司法 2018 and 2023) and its metadata does not always mark
    the older one expired; both "in force" under one title would let a citizen's search, a law
    page or a quoted article show the 2018 text. Versions are told apart by publish date, so
    undated files (the 民法典 is one file per book, all undated) and same-date duplicates are
    left alone. Decided before writing, so a re-import finds nothing changed.
    """
    groups: dict[tuple[str, str], list[_Prepared]] = {}
    for p in prepared:
        f = p.fields
        if f["in_force"] and not f["is_case"] and f["publish_date"] is not None:
            groups.setdefault((f["title"], f["region_code"]), []).append(p)
    for versions in groups.values():
        newest = max(p.fields["publish_date"] for p in versions)
        for p in versions:
            if p.fields["publish_date"] < newest:
                p.fields["in_force"] = False
                report.superseded.append(p.source)


def _apply_repeals(prepared: Sequence[_Prepared], report: ImportReport, *, today: dt.date) -> None:
    """Retire the laws that another imported law's text repeals ("《个体工商户条例》同时废止").

    The metadata's `expired` flag lags behind the statutes (repeals.py says what is detected
    and why). Every repealed version gets `repealed_on` / `repealed_by`; the ones the metadata
    still had in force are also set `in_force=False` and listed in `report.repealed`. Runs on
    the parsed files before anything is written, like `_retire_superseded_versions`, so the
    fields land in the import's own batch transactions and a re-import changes nothing.
    """
    for repeal in find_repeals(prepared, today=today):
        fields = repeal.law.fields
        fields["repealed_on"] = repeal.on
        inner = repeal.by_title.replace("《", "〈").replace("》", "〉")  # a title inside 《》 takes 〈〉
        fields["repealed_by"] = f"《{inner}》{repeal.article}"[:400]
        if fields["in_force"]:
            fields["in_force"] = False
            report.repealed.append(f"{repeal.law.source} ← {fields['repealed_by']}")
    report.repealed.sort()


def _law_fields(parsed: ParsedLaw, meta: LawMeta | None, rel: str, *, region_code: str | None) -> dict:
    parts = Path(rel).parts
    top = parts[0] if parts else ""
    is_case = top == "案例"
    if meta is not None and meta.level in LEVELS:
        level = LEVELS[meta.level]
    else:
        level = FOLDER_LEVELS.get(top, LawLevel.OTHER)
    if is_case:
        level = LawLevel.CASE
    region = region_code
    if region is None:
        region = PROVINCES.get(parts[1], "") if top == "地方性法规" and len(parts) > 2 else ""
    dated = _DATED.match(Path(rel).stem)
    publish = meta.publish if meta and meta.publish else (_date(dated.group("date")) if dated else None)
    category = (meta.category if meta and meta.category else (parts[-2] if len(parts) > 1 else ""))[:50]
    short = (meta.name if meta else Path(rel).stem)[:200]
    if parsed.part and parsed.part not in short:
        short = f"{short} {parsed.part}"[:200]
    return {
        "title": parsed.title,
        "short_title": short,
        "level": level,
        "category": category,
        "publish_date": publish,
        "valid_from": meta.valid_from if meta else None,
        "in_force": not meta.expired if meta else True,
        "repealed_on": None,  # filled in by _apply_repeals
        "repealed_by": "",
        "history": parsed.history,
        "region_code": region,
        "is_case": is_case,
    }


def _article_rows(parsed: ParsedLaw) -> list[dict]:
    return [
        {"label": a.label[:30], "number": a.number, "sub_number": a.sub_number, "position": i,
         "part": a.part[:200], "chapter": a.chapter[:200], "section": a.section[:200], "text": a.text}
        for i, a in enumerate(parsed.articles, start=1)
    ]


ARTICLE_FIELDS = ("label", "number", "sub_number", "part", "chapter", "section", "text")
LAW_FIELDS = ("title", "short_title", "level", "category", "publish_date", "valid_from", "in_force",
              "repealed_on", "repealed_by", "history", "region_code", "is_case")


def _write_batch(batch: Sequence[_Prepared], report: ImportReport) -> None:
    """One transaction: upsert the batch's laws and articles, then (re)index what changed."""
    backend = get_backend()
    with transaction.atomic():
        existing = {law.source: law for law in Law.objects.filter(source__in=[p.source for p in batch])}
        to_index: list[int] = []
        to_remove: list[int] = []
        new_articles: list[Article] = []
        for prepared in batch:
            law = existing.get(prepared.source)
            rows = _article_rows(prepared.parsed)
            report.articles += len(rows)
            if law is None:
                law = Law.objects.create(source=prepared.source, **prepared.fields)
                report.created += 1
                new_articles.extend(Article(law=law, **row) for row in rows)
                continue
            law_changed = any(getattr(law, k) != v for k, v in prepared.fields.items())
            if law_changed:
                for key, value in prepared.fields.items():
                    setattr(law, key, value)
                law.save(update_fields=list(LAW_FIELDS))
            current = {a.position: a for a in law.articles.all()}
            changed: list[Article] = []
            for row in rows:
                article = current.pop(row["position"], None)
                if article is None:
                    new_articles.append(Article(law=law, **row))
                elif any(getattr(article, k) != row[k] for k in ARTICLE_FIELDS):
                    for key in ARTICLE_FIELDS:
                        setattr(article, key, row[key])
                    changed.append(article)
            if current:
                gone = [a.id for a in current.values()]
                Article.objects.filter(id__in=gone).delete()
                to_remove.extend(gone)
                report.articles_deleted += len(gone)
            if changed:
                Article.objects.bulk_update(changed, ARTICLE_FIELDS, batch_size=500)
            if law_changed:  # title / short title are in every article's indexed heading
                to_index.extend(law.articles.values_list("id", flat=True))
            else:
                to_index.extend(a.id for a in changed)
            if law_changed or changed or current:
                report.updated += 1
            else:
                report.unchanged += 1
        created = Article.objects.bulk_create(new_articles, batch_size=1000)
        to_index.extend(a.id for a in created)
        if to_remove:
            backend.remove(to_remove)
        report.indexed += backend.index_articles(sorted(set(to_index)))


def law_files(folder: Path) -> list[Path]:
    """The law markdown files of a LawRefBook folder (not _index.md, not the template)."""
    return sorted(p for p in folder.rglob("*.md") if p.name not in NON_LAW_FILES)


def import_laws(*, dirs: Sequence[Path], region_code: str | None = None,
                progress: Callable[[str], None] | None = None, today: dt.date | None = None) -> ImportReport:
    """Import (or re-import in place, keyed on `source`) every law file under the folders.

    `source` is "<folder name>/<path in folder>", e.g. "national/行政法/法律援助法(2021-08-20).md".
    A file that cannot be read or parsed is listed in `report.errors` and not written at all;
    the rest is imported. `region_code` overrides the region taken from 地方性法规/<province>/.
    Versions superseded by a newer one and laws another law repeals are taken out of force
    (`report.superseded`, `report.repealed`); `today` decides whether a repeal has taken effect.
    """
    started = time.perf_counter()
    report = ImportReport()
    prepared: list[_Prepared] = []
    for folder in dirs:
        folder = Path(folder)
        if not folder.is_dir():
            raise DomainError("law_dir_missing", _("目录不存在：%(dir)s") % {"dir": folder})
        meta = FolderMetadata.load(folder)
        for path in law_files(folder):
            rel = path.relative_to(folder).as_posix()
            source = f"{folder.name}/{rel}"
            report.files += 1
            try:
                text = path.read_text(encoding="utf-8")
                parsed = parse_law_markdown(text, name=source)
            except UnicodeDecodeError:
                report.errors.append(_("%(name)s：不是 UTF-8 文本") % {"name": source})
                continue
            except DomainError as exc:
                report.errors.append(str(exc.message))
                continue
            row = meta.match(rel, title=parsed.title)
            if row is None:
                report.unmatched_files.append(source)
            prepared.append(_Prepared(source=source, parsed=parsed,
                                      fields=_law_fields(parsed, row, rel, region_code=region_code)))
        report.unmatched_rows += meta.unmatched_rows
        if progress:
            progress(_("%(dir)s：已解析 %(n)d 个文件") % {"dir": folder, "n": len(prepared)})
    _retire_superseded_versions(prepared, report)
    _apply_repeals(prepared, report, today=today or dt.date.today())
    for start in range(0, len(prepared), WRITE_BATCH):
        _write_batch(prepared[start:start + WRITE_BATCH], report)
        if progress and (start // WRITE_BATCH) % 5 == 4:
            progress(_("已写入 %(n)d / %(total)d 部") % {"n": start + WRITE_BATCH, "total": len(prepared)})
    report.seconds = time.perf_counter() - started
    return report


def reindex_all(*, batch: int = 5000) -> int:
    """Rebuild the whole search index from the Article table (after a backend change)."""
    backend = get_backend()
    backend.clear()
    ids = list(Article.objects.order_by("id").values_list("id", flat=True))
    total = 0
    for start in range(0, len(ids), batch):
        with transaction.atomic():
            total += backend.index_articles(ids[start:start + batch])
    return total


def law_delete(*, law: Law) -> None:
    """Delete a law with its articles and their search-index rows (the SQLite FTS table has no
    foreign key to cascade from)."""
    with transaction.atomic():
        ids = list(law.articles.values_list("id", flat=True))
        get_backend().remove(ids)
        law.delete()


def article_update(*, article: Article, text: str) -> Article:
    """Correct one article's text (a typo in the source) and reindex it."""
    article.text = text.strip()
    article.full_clean()
    with transaction.atomic():
        article.save(update_fields=["text"])
        get_backend().index_articles([article.id])
    return article
