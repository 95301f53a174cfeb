"""How long a fresh process takes to get the statute-retrieval engine ready (what every web
worker pays at start), with the stored semantic article vectors and without them.

    FAWANG_VAR_DIR=var .venv/bin/python benchmarks/engine_load.py [--runs 3]

Uses the index in ``$FAWANG_VAR_DIR/retrieval`` (build it first: ``fawang build-retrieval-index``).
Each run is a new Python process: Django set up, then ``get_engine()`` and one search, timed
apart. The runs alternate between "stored" (the vectors file of the current build is read) and
"computed" (the file is moved aside for that run and put back after), so both are measured side
by side on the same machine state. Prints one line per run and the medians.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

CHILD = """
import json, os, time
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fawang.settings")
import django
django.setup()
from fawang.knowledge.retrieval.engine import get_engine
t = time.perf_counter()
engine = get_engine()
ready = time.perf_counter() - t
t = time.perf_counter()
engine.rank("老板拖欠我三个月工资不给怎么办")
print(json.dumps({"engine_s": ready, "first_rank_s": time.perf_counter() - t, "rows": engine.index.n}))
"""


def run_once(env: dict) -> dict:
    out = subprocess.run([sys.executable, "-c", CHILD], env=env, cwd=ROOT, check=True, capture_output=True, text=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=3, help="runs of each kind")
    args = parser.parse_args()
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    var = Path(env.get("FAWANG_VAR_DIR", ROOT / "var")).resolve()
    env["FAWANG_VAR_DIR"] = str(var)
    directory = var / "retrieval"
    stored = sorted(directory.glob("derived-semantic-*.npy"))
    if len(stored) != 1:
        sys.exit(f"expected one stored vectors file in {directory}, found {len(stored)}: "
                 "run `fawang build-retrieval-index` with this code first")
    aside = stored[0].with_name(stored[0].name + ".aside")
    times: dict[str, list[float]] = {"stored": [], "computed": []}
    for i in range(args.runs):
        for kind in ("stored", "computed"):
            if kind == "computed":
                stored[0].rename(aside)
            try:
                r = run_once(env)
            finally:
                if kind == "computed":
                    for p in directory.glob("derived-semantic-*.npy"):  # the run stored its own again
                        p.unlink()
                    aside.rename(stored[0])
            times[kind].append(r["engine_s"])
            print(f"run {i + 1} {kind:>8}: engine ready {r['engine_s']:.2f} s, first search {r['first_rank_s'] * 1000:.0f} ms"
                  f" ({r['rows']} rows)", flush=True)
    print(json.dumps({k: round(statistics.median(v), 2) for k, v in times.items()}))


if __name__ == "__main__":
    main()
