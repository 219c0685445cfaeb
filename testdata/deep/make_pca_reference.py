#!/usr/bin/env python3
"""PCA reference for pipeline/deep (scikit-learn 1.2.1, numpy 1.24.2, Debian 12):

    /usr/bin/python3 testdata/deep/make_pca_reference.py > testdata/deep/pca_reference.json

Fit sklearn.decomposition.PCA(n_components=3, svd_solver="full") on the
first 8 rows of X[i, j] = sin(0.7·i·j + 0.3·j) + 0.1·i (10 × 6) and
transform all 10 rows. Each component's sign is then fixed so that its
largest-magnitude loading is positive (scirad's convention; sklearn 1.2 flips
by U instead), and the scores flipped with it.
"""
import json
import sys

import numpy as np
from sklearn.decomposition import PCA

i, j = np.meshgrid(np.arange(10), np.arange(6), indexing="ij")
X = np.sin(0.7 * i * j + 0.3 * j) + 0.1 * i
pca = PCA(n_components=3, svd_solver="full").fit(X[:8])
comp = pca.components_.copy()
scores = pca.transform(X)
for c in range(3):
    if comp[c, np.argmax(np.abs(comp[c]))] < 0:
        comp[c] *= -1
        scores[:, c] *= -1
json.dump({"x": X.tolist(), "train_rows": 8, "components": comp.tolist(),
           "explained_variance": pca.explained_variance_.tolist(),
           "scores": scores.tolist()}, sys.stdout)
sys.stdout.write("\n")
