"""``fawang train-classifier DEV.jsonl [--weak FILE ...]`` rebuilds the shipped classifier model.

Typical (from the repository root, with the shared data beside it):

    fawang train-classifier ../shared/data/benchmarks/question-classification/dev.jsonl \
        --weak ../shared/data/benchmarks/statute-retrieval/train.jsonl \
        --weak ../shared/data/benchmarks/consultation-answers/train.jsonl
"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from fawang.knowledge.classify import MODEL_PATH, reset_model_cache
from fawang.knowledge.classify.training import DEFAULTS, FAQ_PATH, read_faq, read_jsonl, train_model


class Command(BaseCommand):
    help = "训练问题分类模型（朴素贝叶斯 + 弱监督 + 常见问题 + 关键词先验），写入 knowledge/classify/data/model.json"

    def add_arguments(self, parser):
        parser.add_argument("dev", help="带 category 标注的问题 JSONL（question, category）")
        parser.add_argument("--weak", action="append", default=[],
                            help="弱监督 JSONL（question, relevant=[{law, article}]），可重复")
        parser.add_argument("--faq", default=str(FAQ_PATH), help="我们编写的常见问题（带分类），作为训练样本")
        parser.add_argument("--output", default=str(MODEL_PATH))
        for name, value in DEFAULTS.items():
            parser.add_argument(f"--{name.replace('_', '-')}", type=type(value), default=value)

    def handle(self, *args, **opts):
        try:
            gold = read_jsonl(Path(opts["dev"]))
            weak = [row for path in opts["weak"] for row in read_jsonl(Path(path))]
            faq = read_faq(Path(opts["faq"])) if opts["faq"] else []
        except (OSError, ValueError) as exc:
            raise CommandError(f"无法读取训练数据：{exc}") from exc
        params = {name: opts[name] for name in DEFAULTS}
        model = train_model(gold, weak, faq, **params)
        model.meta = {"trained_on": {"gold": len(gold), "weak_rows": len(weak), "faq": len(faq)}, "params": params}
        output = Path(opts["output"])
        model.save(output)
        reset_model_cache()
        self.stdout.write(f"已写入 {output}：{len(model.vocabulary)} 个特征，{len(gold)} 条标注问题，"
                          f"{len(weak)} 条弱监督问题")
