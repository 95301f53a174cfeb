"""``fawang export-category-labels OUT.jsonl``: the questions whose category staff confirmed.

Why: the question classifier is short of labelled questions (docs/benchmarks.md, learning
curve: about +0.6 accuracy points per 30 questions at today's 300). Every consultation whose
category a window clerk or hotline agent chose or corrected (``consultation_set_category``) is one
more, labelled by the people whose routing the classifier serves. This command writes them in the
format of the benchmark's dev file (``{"id", "question", "category"}``, one JSON object a line),
so that retraining takes them beside it:

    fawang export-category-labels var/labels.jsonl --since 2026-01-01
    fawang train-classifier ../shared/data/benchmarks/question-classification/dev.jsonl var/labels.jsonl \\
        --weak ../shared/data/benchmarks/statute-retrieval/train.jsonl

The questions are citizens' own words and may name people: the file is for the people who train
the model, not for publication.
"""

from __future__ import annotations

import datetime as dt
import json

from django.core.management.base import CommandError

from fawang.consultation.selectors_line import staff_labelled_questions
from fawang.core.commands import DatabaseCommand


class Command(DatabaseCommand):
    help = "导出经工作人员确认分类的咨询问题（JSONL：id, question, category），供 train-classifier 训练分类模型"

    def add_arguments(self, parser):
        parser.add_argument("output", help="输出文件路径；“-”表示标准输出")
        parser.add_argument("--since", help="只导出该日期（YYYY-MM-DD）及以后登记的咨询")
        parser.add_argument("--region", default="", help="只导出该区划代码（前缀）内的咨询")

    def handle(self, *args, **opts):
        since = None
        if opts["since"]:
            try:
                since = dt.date.fromisoformat(opts["since"])
            except ValueError as exc:
                raise CommandError(f"日期格式应为 YYYY-MM-DD：{opts['since']}") from exc
        rows = staff_labelled_questions(since=since, region_prefix=opts["region"].strip())
        lines = (json.dumps({"id": r.case.number, "question": r.question, "category": r.category}, ensure_ascii=False)
                 for r in rows.iterator())
        if opts["output"] == "-":
            count = self._write(lines, self.stdout)
        else:
            try:
                with open(opts["output"], "w", encoding="utf-8") as out:
                    count = self._write(lines, out)
            except OSError as exc:
                raise CommandError(f"无法写入 {opts['output']}：{exc}") from exc
        self.stderr.write(f"已导出 {count} 条经人工确认分类的问题")

    @staticmethod
    def _write(lines, out) -> int:
        count = 0
        for line in lines:
            out.write(line + "\n")
            count += 1
        return count
