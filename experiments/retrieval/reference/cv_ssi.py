"""5-fold CV of one SSI model end to end (candidates + 4 features) against the cached base.

The one-seed case of cv_ssi_ens.py (seed 7, no other cached rows); kept so the fourth session's
command in docs/benchmarks.md still runs:

    DECAY=1 LR=0.003 TAU=0.1 EPOCHS=8 TAG=ssid python cv_ssi.py

TAG names the cache; SEMN=100 semantic candidates; INNER=3 inner folds; FIT as cv2.py.
"""
import os
import runpy

os.environ.setdefault("SEEDS", "7")
os.environ.setdefault("COMPARE", "")
os.environ.setdefault("TAG", "ssi")
runpy.run_path(os.path.join(os.path.dirname(os.path.abspath(__file__)), "cv_ssi_ens.py"), run_name="__main__")
