"""Regenerates mannwhitney.json, the Mann-Whitney U golden values.

    cd testdata/selection && /usr/bin/python3 make_mannwhitney.py

Tools: Python 3.11, NumPy 1.24.2, SciPy 1.10.1 (Debian bookworm
python3-scipy). Every case is scipy.stats.mannwhitneyu(x, y) with its
defaults: two-sided, use_continuity=True, method='auto' (exact when
min(n1, n2) <= 8 and there are no ties, else the tie-corrected normal
approximation with continuity correction). U is U1, the statistic of x.
"""
import json
import numpy as np
import scipy
from scipy.stats import mannwhitneyu

rng = np.random.default_rng(12345)
cases = []


def add(name, x, y):
    r = mannwhitneyu(x, y)
    cases.append({"name": name, "x": [float(v) for v in x], "y": [float(v) for v in y],
                  "u": float(r.statistic), "p": float(r.pvalue)})


add("exact_5_7", rng.normal(0, 1, 5), rng.normal(1, 1, 7))
add("exact_8_8", rng.normal(0, 1, 8), rng.normal(0.3, 1, 8))
add("exact_3_40", rng.normal(0, 1, 3), rng.normal(1.5, 1, 40))
add("exact_8_33_separated", rng.normal(0, 1, 8) - 5, rng.normal(0, 1, 33))
add("exact_equal_center", [1.0, 4.0, 5.0, 8.0], [2.0, 3.0, 6.0, 7.0])
add("ties_small", [1, 2, 2, 3, 5], [2, 3, 3, 4, 6, 7])
add("asymptotic_49_33", rng.normal(0, 1, 49), rng.normal(0.5, 1.2, 33))
add("asymptotic_9_9", rng.normal(0, 1, 9), rng.normal(0.4, 1, 9))
add("asymptotic_ties_30_25", np.round(rng.normal(0, 1, 30), 1), np.round(rng.normal(0.6, 1, 25), 1))
add("asymptotic_many_ties", rng.integers(0, 4, 40).astype(float), rng.integers(1, 5, 35).astype(float))
add("asymptotic_far", rng.normal(0, 1, 40), rng.normal(3, 1, 40))
add("one_vs_many", [0.5], list(rng.normal(0, 1, 20)))

with open("mannwhitney.json", "w") as f:
    json.dump({"scipy": scipy.__version__, "numpy": np.__version__, "cases": cases}, f, indent=1)
