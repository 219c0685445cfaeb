#!/usr/bin/python3
"""Writes testdata/evaluate/fixtures.csv (case,label,score): scored cohorts
with ties across classes, for the DeLong, Youden, calibration and
Hosmer-Lemeshow reference values. numpy (Debian bookworm python3-numpy)
default_rng(7); run: /usr/bin/python3 testdata/evaluate/make_fixtures.py
"""
import os
import numpy as np

rng = np.random.default_rng(7)
out = os.path.dirname(os.path.abspath(__file__))
rows = []

def add(case, y, s):
    for a, b in zip(y, s):
        rows.append((case, int(a), float(b)))

def probs(n1, n0, shift, digits):
    y = np.r_[np.ones(n1), np.zeros(n0)]
    z = rng.normal(size=n1 + n0) + shift * y
    p = 1 / (1 + np.exp(-z))
    return y, np.round(p, digits)

# Hand-sized case with ties inside and across classes.
add("ties_small", [1, 1, 1, 1, 0, 0, 0, 0, 0, 1], [0.9, 0.7, 0.7, 0.4, 0.7, 0.4, 0.2, 0.2, 0.1, 0.4])
add("test25", *probs(10, 15, 1.2, 1))          # the paper's test size, one decimal: many ties
add("train57", *probs(22, 35, 2.0, 2))         # the paper's training size
add("clipped", *probs(12, 13, 2.6, 2))          # AUC near 1: the CI's upper end clips at 1
add("perfect", [1, 1, 1, 0, 0, 0], [0.9, 0.8, 0.7, 0.3, 0.2, 0.1])
add("large", *probs(90, 110, 1.0, 3))
y_inv, p_inv = probs(15, 20, -1.0, 2)             # worse than chance: direction "<" must not flip
add("inverted", y_inv, p_inv)

with open(os.path.join(out, "fixtures.csv"), "w") as f:
    f.write("case,label,score\n")
    for c, y, s in rows:
        f.write(f"{c},{y},{s!r}\n")
