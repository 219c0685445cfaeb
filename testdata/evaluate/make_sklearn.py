#!/usr/bin/python3
"""Writes testdata/evaluate/sklearn_calibration.csv from fixtures.csv:
scikit-learn 1.2.1 (Debian bookworm python3-sklearn 1.2.1+dfsg-1)
calibration_curve(y, p, n_bins=10, strategy="uniform") and
brier_score_loss(y, p) for each case.
Run: /usr/bin/python3 testdata/evaluate/make_sklearn.py
"""
import csv, os
import numpy as np
from sklearn.calibration import calibration_curve
from sklearn.metrics import brier_score_loss

here = os.path.dirname(os.path.abspath(__file__))
rows = list(csv.DictReader(open(os.path.join(here, "fixtures.csv"))))
with open(os.path.join(here, "sklearn_calibration.csv"), "w") as f:
    f.write("case,brier,prob_true,prob_pred\n")
    for case in dict.fromkeys(r["case"] for r in rows):
        y = np.array([int(r["label"]) for r in rows if r["case"] == case])
        p = np.array([float(r["score"]) for r in rows if r["case"] == case])
        t, q = calibration_curve(y, p, n_bins=10, strategy="uniform")
        f.write(f"{case},{brier_score_loss(y, p)!r},{';'.join(repr(float(v)) for v in t)},{';'.join(repr(float(v)) for v in q)}\n")
