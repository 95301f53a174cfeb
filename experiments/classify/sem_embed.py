"""Question vectors from the shipped retrieval semantic model, in e5_cv.py's cache layout.

    .venv/bin/python experiments/classify/sem_embed.py [OUT.npz]
    .venv/bin/python experiments/classify/e5_cv.py cv --cache OUT.npz --seeds 13,1,2,3

The vectors are the semantic channel's question vectors (``SemanticModel.question_vector`` of
the question's search terms), learned from statute-retrieval/train.jsonl and our reference
questions only, never from the classification labels.
"""
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from e5_cv import DATA, embedding_inputs  # noqa: E402

from fawang.knowledge.retrieval.semantic import SemanticModel  # noqa: E402
from fawang.knowledge.retrieval.text import tokenize  # noqa: E402

out_path = Path(sys.argv[1] if len(sys.argv) > 1 else "/tmp/clsemb/sem.npz")
model = SemanticModel.load(ROOT / "src/fawang/knowledge/retrieval/data/model.semantic.npz")
texts, out = embedding_inputs(DATA)
for key, items in texts.items():
    vecs = np.array([model.question_vector(tokenize(t)) for t in items], dtype=np.float32)
    norms = np.linalg.norm(vecs, axis=1, keepdims=True)
    out[key] = vecs / np.where(norms > 0, norms, 1.0)
    out[key + "_text"] = np.array(items)
np.savez_compressed(out_path, **out)
print(out_path, {k: v.shape for k, v in out.items() if not k.endswith(("_text", "_cat"))})
