"""``fawang train-retrieval TRAIN.jsonl [--answers ANSWERS.jsonl] [--no-reference] [--output PATH]``.

Trains the statute ranker on judged questions against the *imported* corpus and writes the
model shipped in the repository (``knowledge/retrieval/data/model.json``). Run it after
``fawang import-laws ../shared/data/laws/national``. The memory also holds our reference
questions (FAQ, one written question per article of the most-asked laws) unless ``--no-reference``.
"""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import CommandError

from fawang.core.commands import DatabaseCommand
from fawang.knowledge.retrieval.engine import load_index, reset_engine
from fawang.knowledge.retrieval.model import MODEL_PATH
from fawang.knowledge.retrieval.train import read_examples, read_reference, train


class Command(DatabaseCommand):
    help = "用已标注的问题训练法条检索排序模型"

    def add_arguments(self, parser):
        parser.add_argument("train", help="JSONL：question + relevant[{law, article}]")
        parser.add_argument("--answers", help="可选：同一批问题的律师解答 JSONL（按编号对应）")
        parser.add_argument("--no-reference", action="store_true",
                            help="记忆中不加入常见问题与逐条撰写的参考问题")
        parser.add_argument("--output", default=str(MODEL_PATH), help="模型输出路径")

    def handle(self, *args, **opts):
        try:
            examples = read_examples(Path(opts["train"]), Path(opts["answers"]) if opts["answers"] else None)
        except (OSError, ValueError, KeyError) as exc:
            raise CommandError(f"无法读取训练文件：{exc}") from exc
        index = load_index()
        if index is None:
            raise CommandError("尚未导入法律法规，请先运行 fawang import-laws")
        try:
            reference = [] if opts["no_reference"] else read_reference(index)
        except (OSError, ValueError, KeyError) as exc:
            raise CommandError(f"无法读取参考问题：{exc}") from exc
        model = train(examples, index, reference=reference, info={"source": Path(opts["train"]).name})
        model.save(Path(opts["output"]))
        reset_engine()
        self.stdout.write(f"已训练：{model.info['n_examples']} 个问题，参考问题 {model.info['n_reference']} 条 → {opts['output']}")
