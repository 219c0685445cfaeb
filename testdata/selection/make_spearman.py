"""Regenerates spearman.json, Spearman correlation golden values.

    cd testdata/selection && /usr/bin/python3 make_spearman.py

Tools: Python 3.11, NumPy 1.24.2, SciPy 1.10.1 (Debian bookworm
python3-scipy): scipy.stats.spearmanr(X).correlation on the columns of X
(average ranks for ties).
"""
import json
import numpy as np
import scipy
from scipy.stats import spearmanr

rng = np.random.default_rng(99)
n = 15
a = rng.normal(size=n)
X = np.column_stack([
    a,
    a + 0.05 * rng.normal(size=n),       # nearly monotone in a
    np.round(rng.normal(size=n), 0),     # many ties
    -a ** 3,                             # exactly anti-monotone in a
    rng.normal(size=n),
    np.round(a * 2, 0),                  # ties, follows a
])
rho = spearmanr(X).correlation
with open("spearman.json", "w") as f:
    json.dump({"scipy": scipy.__version__, "X": X.tolist(), "rho": rho.tolist()}, f, indent=1)
