"""Chinese word segmentation for the law search index.

Why pre-segmented text: neither SQLite FTS5 (unicode61) nor PostgreSQL's 'simple' configuration
can split Chinese into words, so we segment in Python and store the words separated by spaces;
both engines then only split on whitespace. The same segmenter runs on the query side.

rjieba (jieba's dictionary and algorithm in Rust, ~10x faster) is used when importable, jieba
otherwise. We use a private segmenter instance so that loading our user dictionary does not
change the segmentation of other code in the process that uses the module-level default.

The user dictionary `data/legal_terms.txt` holds law short titles (劳动合同法, 法律援助法 …) and
terms the statutes define themselves (「本法所称X，是指」), one `term frequency` per line. It is
built from a LawRefBook folder by :func:`build_legal_terms` (command `fawang
build-legal-terms DIR`), so that "劳动争议仲裁委员会" stays one word instead of four.
"""

from __future__ import annotations

import re
import sqlite3
from collections import Counter
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

TERMS_FILE = Path(__file__).resolve().parent / "data" / "legal_terms.txt"

# Frequency given to user terms: high enough that the term wins over its pieces in DAG
# segmentation, as jieba's own dictionary gives ~1e3–1e5 to common multi-character words.
USER_TERM_FREQ = 20000

_WORD = re.compile(r"[\w\u3400-\u9fff]+")
# Tokens that carry no meaning for search (function words, single-character particles).
STOPWORDS = frozenset(
    "的 了 和 与 或 及 是 在 对 为 以 等 之 其 者 所 被 由 于 向 将 把 就 也 都 而 并 但 则 即 "
    "有 无 不 可 应 该 这 那 此 个 一 上 下 中 我 你 他 她 它 们 吗 呢 吧 啊 怎么 什么 如何 "
    "怎样 哪些 是否 可以 应当 请问 问题".split()
)


class _Segmenter:
    def __init__(self) -> None:
        try:
            import rjieba

            self._impl = rjieba.Jieba()
            self._add = lambda word, freq: self._impl.add_word(word, freq, None)
            self.name = "rjieba"
        except ImportError:  # pragma: no cover - rjieba ships wheels for our platforms
            import jieba

            self._impl = jieba.Tokenizer()
            self._add = lambda word, freq: self._impl.add_word(word, freq)
            self.name = "jieba"
        self.user_terms = 0
        if TERMS_FILE.exists():
            for line in TERMS_FILE.read_text(encoding="utf-8").splitlines():
                parts = line.split()
                if not parts or line.startswith("#"):
                    continue
                freq = int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else USER_TERM_FREQ
                self._add(parts[0], freq)
                self.user_terms += 1

    def cut(self, text: str) -> list[str]:
        return list(self._impl.cut(text))

    def cut_for_search(self, text: str) -> list[str]:
        return list(self._impl.cut_for_search(text))


@lru_cache(maxsize=1)
def segmenter() -> _Segmenter:
    return _Segmenter()


def _words(tokens: Iterable[str]) -> list[str]:
    return [t.lower() for t in tokens if _WORD.fullmatch(t)]


def segment_for_index(text: str) -> str:
    """Search-mode words (a long word plus its dictionary sub-words), space separated.

    Search mode means a query for 调解 also finds 人民调解委员会.
    """
    return " ".join(_words(segmenter().cut_for_search(text)))


def query_terms(text: str) -> list[str]:
    """The meaningful words of a user's query, precise mode, deduplicated, in order."""
    seen: dict[str, None] = {}
    for word in _words(segmenter().cut(text)):
        if word not in STOPWORDS:
            seen.setdefault(word, None)
    return list(seen)


# ---------------------------------------------------------------- building the user dictionary

# Institutions and concepts citizens name in questions that the statutes never "define";
# picked by hand, always part of the dictionary.
CURATED_TERMS = (
    "劳动争议仲裁委员会", "劳动人事争议仲裁委员会", "人民调解委员会", "人民调解员", "法律援助机构",
    "基层法律服务所", "律师事务所", "公证机构", "司法行政部门", "人民法院", "人民检察院",
    "经济补偿金", "违约金", "定金", "加班费", "工伤保险", "工伤认定", "劳动能力鉴定", "劳务派遣",
    "试用期", "竞业限制", "医疗事故", "交通事故", "精神损害赔偿", "抚养费", "赡养费", "抚养权",
    "夫妻共同财产", "夫妻共同债务", "离婚冷静期", "宅基地", "土地承包经营权", "房屋征收",
    "诉讼时效", "仲裁时效", "民间借贷", "不当得利", "无因管理", "缓刑", "取保候审",
)
_DEFINED = re.compile(r"(?:本法|本条例|本规定|本办法|本解释)所称(?:的)?([\u4e00-\u9fff]{2,12})[，,]?(?:是指|包括)")
_TITLE_PREFIX = re.compile(r"^中华人民共和国")


def build_legal_terms(dirs: Iterable[Path]) -> list[str]:
    """Terms for the user dictionary from LawRefBook folders: law short names and defined terms.

    A short name comes from the folder's db.sqlite3 `law.name` (法律援助法) and from titles with
    the 中华人民共和国 prefix removed; defined terms from 「本法所称X，是指」 sentences. Names
    longer than 12 characters are left out (they are never typed as one word). CURATED_TERMS are
    always added.
    """
    terms: Counter[str] = Counter(CURATED_TERMS)
    for folder in dirs:
        folder = Path(folder)
        db = folder / "db.sqlite3"
        if db.exists():
            con = sqlite3.connect(db)
            try:
                for (name,) in con.execute("SELECT name FROM law WHERE level != '案例'"):
                    name = name.split(" ")[-1].strip()
                    if 3 <= len(name) <= 12 and re.fullmatch(r"[\u4e00-\u9fff]+", name):
                        terms[name] += 1
            finally:
                con.close()
        for path in folder.rglob("*.md"):
            if "案例" in path.parts or path.name in ("_index.md", "法律法规模版.md"):
                continue
            text = path.read_text(encoding="utf-8", errors="replace")
            first = text.lstrip().splitlines()[0] if text.strip() else ""
            if first.startswith("# "):
                short = _TITLE_PREFIX.sub("", first[2:].strip())
                if 3 <= len(short) <= 12 and re.fullmatch(r"[\u4e00-\u9fff]+", short):
                    terms[short] += 1
            for match in _DEFINED.finditer(text):
                terms[match.group(1)] += 1
    return sorted(terms)


def write_legal_terms(terms: Iterable[str], path: Path = TERMS_FILE) -> int:
    terms = list(terms)
    header = "# Legal terms for the segmenter: built by `fawang build-legal-terms` (see segment.py).\n"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(header + "".join(f"{t} {USER_TERM_FREQ}\n" for t in terms), encoding="utf-8")
    return len(terms)
