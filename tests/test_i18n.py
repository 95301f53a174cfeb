"""The English catalogue is complete, compiled, and actually used by the pages.

zh-hans is the source language (msgids); English is the second language. The .mo is
committed so a fresh clone needs no gettext tools, which is why the test compares it with
the .po: a stale .mo would silently show Chinese to English readers.
"""

from __future__ import annotations

import gettext
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.utils import translation

LC_MESSAGES = Path(__file__).resolve().parents[1] / "src" / "fawang" / "locale" / "en" / "LC_MESSAGES"
PO = LC_MESSAGES / "django.po"
MO = LC_MESSAGES / "django.mo"

_ESCAPES = {"n": "\n", "t": "\t", '"': '"', "\\": "\\", "r": "\r"}
_FIELD = re.compile(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?) "(.*)"$')
# Placeholders and markup that a translation must carry over unchanged.
_PLACEHOLDER = re.compile(r"%\([a-z_]+\)[sdfr]|%[sd]|\{[a-z_]*\}|<[^>]+>")


def _unquote(text: str) -> str:
    return re.sub(r"\\(.)", lambda m: _ESCAPES[m.group(1)], text)


def _entries() -> list[dict]:
    """Parse the .po without third-party libraries: one dict per entry (obsolete ones skipped)."""
    entries = []
    for block in PO.read_text(encoding="utf-8").split("\n\n"):
        entry: dict = {"flags": set()}
        field = None
        for line in block.splitlines():
            if line.startswith("#~"):
                entry = {}
                break
            if line.startswith("#,"):
                entry["flags"].update(f.strip() for f in line[2:].split(","))
            elif line.startswith("#") or not line.strip():
                continue
            elif m := _FIELD.match(line):
                field = m.group(1)
                entry[field] = _unquote(m.group(2))
            else:
                assert field and line.startswith('"'), line
                entry[field] += _unquote(line.strip()[1:-1])
        if entry.get("msgid"):
            entries.append(entry)
    return entries


def _msgstrs(entry: dict) -> list[str]:
    return [v for k, v in sorted(entry.items()) if k.startswith("msgstr")]


def test_catalogue_is_large_and_has_no_untranslated_or_fuzzy_entries():
    entries = _entries()
    assert len(entries) > 1000, "makemessages should have collected the whole UI"
    fuzzy = [e["msgid"] for e in entries if "fuzzy" in e["flags"]]
    empty = [e["msgid"] for e in entries if not all(s.strip() for s in _msgstrs(e))]
    assert not fuzzy, f"fuzzy entries: {fuzzy[:10]}"
    assert not empty, f"untranslated entries: {empty[:10]}"


def test_translations_keep_placeholders_and_markup():
    bad = []
    for entry in _entries():
        sources = [entry["msgid"]] + ([entry["msgid_plural"]] if "msgid_plural" in entry else [])
        wanted = [sorted(_PLACEHOLDER.findall(s)) for s in sources]
        for i, msgstr in enumerate(_msgstrs(entry)):
            if sorted(_PLACEHOLDER.findall(msgstr)) != wanted[min(i, len(wanted) - 1)]:
                bad.append((entry["msgid"], msgstr))
    assert not bad, bad[:10]


def test_translations_are_english_not_copied_chinese():
    # Only the language's own name may stay in Chinese (so a reader can always find the way back),
    # plus quoted literals a user must type in Chinese (是/否 in an import sheet, the citation
    # format 《法律名称》第X条), which the English around them explains.
    han = re.compile(r"[\u4e00-\u9fff]")
    literal = re.compile(r'"[^"]*"|《[^》]*》第X条')
    chinese = [e["msgid"] for e in _entries()
               if e["msgid"] != "简体中文" and any(han.search(literal.sub("", s)) for s in _msgstrs(e))]
    assert not chinese, chinese[:10]


def test_compiled_mo_matches_the_po():
    with MO.open("rb") as fh:
        catalog = gettext.GNUTranslations(fh)
    stale = []
    for entry in _entries():
        key = entry["msgid"] if "msgctxt" not in entry else f"{entry['msgctxt']}\x04{entry['msgid']}"
        if "msgid_plural" in entry:
            got = [catalog.ngettext(key, entry["msgid_plural"], n) for n in (1, 2)]
            want = [entry["msgstr[0]"], entry["msgstr[1]"]]
        else:
            got, want = catalog.gettext(key), entry["msgstr"]
        if got != want:
            stale.append(entry["msgid"])
    assert not stale, f".mo is stale, run compilemessages: {stale[:10]}"


@pytest.mark.skipif(shutil.which("msgfmt") is None, reason="gettext tools not installed")
def test_msgfmt_check_passes(tmp_path):
    result = subprocess.run(
        ["msgfmt", "--check", "-o", str(tmp_path / "django.mo"), str(PO)],
        capture_output=True, text=True, check=False,
    )
    assert result.returncode == 0, result.stderr


def test_gettext_uses_the_english_catalogue():
    with translation.override("en"):
        assert translation.gettext("法律援助") == "Legal aid"
        assert translation.gettext("公共法律服务中心（站、室）") == (
            "Public Legal Service Center (Workstation, Office)")
    with translation.override("zh-hans"):
        assert translation.gettext("法律援助") == "法律援助"


@pytest.mark.django_db
def test_home_page_defaults_to_simplified_chinese(client):
    body = client.get("/").content.decode()
    assert '<html lang="zh-hans">' in body
    assert "热线" in body
    assert "法律援助" in body
    assert "Hotline" not in body


@pytest.mark.django_db
def test_home_page_in_english_from_accept_language(client):
    body = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert '<html lang="en">' in body
    assert "Hotline" in body
    assert "Legal aid" in body
    assert "Have a legal problem? Ask Fawang" in body
    assert "有法律问题，找法网" not in body


@pytest.mark.django_db
def test_home_page_in_english_from_language_cookie_and_setlang(client):
    client.cookies["django_language"] = "en"
    assert "Hotline" in client.get("/").content.decode()

    client.cookies.clear()
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert response.status_code == 302
    assert "Hotline" in client.get("/").content.decode()
    client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/"})
    assert "热线" in client.get("/").content.decode()
