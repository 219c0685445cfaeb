#!/usr/bin/python3
"""Regenerates the scikit-learn reference values of pipeline/classify.

Tool: scikit-learn 1.2.1 (Debian bookworm python3-sklearn 1.2.1+dfsg-1), scipy 1.10.1,
numpy from Debian python3-numpy, Python 3.11.
Command (from the repository root):

    /usr/bin/python3 testdata/classify/make_reference.py

Writes, under testdata/classify/:
  breast_cancer.csv    the Wisconsin diagnostic breast-cancer data as a
                       scirad feature table: id, target (1 = benign, as in
                       sklearn), split (train/test: a fixed stratified 70/30
                       split, train_test_split(test_size=0.3, stratify=y,
                       random_state=0)), then the 30 features.
  sklearn_proba.csv    test-set P(class 1) of LogisticRegression (newton-cholesky),
                       GaussianNB and HistGradientBoostingClassifier, and the
                       decision function of SVC(tol=1e-8, shrinking=False),
                       fitted on the z-scored training rows (StandardScaler
                       fitted on the training rows).
  sklearn_auc.csv      test AUC of the six counterparts with default
                       settings on the same z-scored data.
"""
import csv, os, sys
import numpy as np
import sklearn
from sklearn.datasets import load_breast_cancer
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler
from sklearn.linear_model import LogisticRegression
from sklearn.svm import SVC
from sklearn.ensemble import RandomForestClassifier, HistGradientBoostingClassifier
from sklearn.naive_bayes import GaussianNB
from sklearn.neural_network import MLPClassifier
from sklearn.metrics import roc_auc_score

out = os.path.dirname(os.path.abspath(__file__))
d = load_breast_cancer()
X, y = d.data, d.target
idx = np.arange(len(y))
tr, te = train_test_split(idx, test_size=0.3, stratify=y, random_state=0)
split = np.array(["train"] * len(y), dtype=object)
split[te] = "test"

with open(os.path.join(out, "breast_cancer.csv"), "w", newline="") as f:
    w = csv.writer(f, lineterminator="\n")
    w.writerow(["id", "target", "split"] + [n.replace(" ", "_") for n in d.feature_names])
    for i in idx:
        w.writerow([f"bc{i:03d}", int(y[i]), split[i]] + [repr(float(v)) for v in X[i]])

sc = StandardScaler().fit(X[tr])
Xtr, Xte = sc.transform(X[tr]), sc.transform(X[te])
ytr, yte = y[tr], y[te]
te_sorted = np.sort(te)  # rows of the table in file order
Xte_s = sc.transform(X[te_sorted])

models = {
    # lbfgs in sklearn 1.2.1 stops on scipy's default ftol (2.2e-9) with a
    # gradient of 3e-4 here whatever tol is; newton-cholesky solves the
    # same L2, C=1 objective to a gradient of 1e-10, so it is the reference
    # optimum.
    "lr": LogisticRegression(C=1.0, solver="newton-cholesky", tol=1e-12, max_iter=1000),
    "svm": SVC(probability=True, random_state=0),
    "rf": RandomForestClassifier(random_state=0),
    "nb": GaussianNB(),
    "mlp": MLPClassifier(random_state=0),
    "gbdt": HistGradientBoostingClassifier(random_state=0),
}
probs, aucs = {}, {}
for name, m in models.items():
    m.fit(Xtr, ytr)
    p = m.predict_proba(Xte_s)[:, 1]
    probs[name] = p
    aucs[name] = roc_auc_score(y[te_sorted], p)

# The SVM's decision function solved to a tight tolerance, without
# shrinking (libsvm's WSS3 SMO, as pipeline/classify), RBF gamma='scale'.
svm_dec = SVC(tol=1e-8, shrinking=False).fit(Xtr, ytr).decision_function(Xte_s)

with open(os.path.join(out, "sklearn_proba.csv"), "w", newline="") as f:
    w = csv.writer(f, lineterminator="\n")
    w.writerow(["id", "lr", "nb", "gbdt", "svm_decision"])
    for k, i in enumerate(te_sorted):
        w.writerow([f"bc{i:03d}", repr(float(probs["lr"][k])), repr(float(probs["nb"][k])),
                    repr(float(probs["gbdt"][k])), repr(float(svm_dec[k]))])
with open(os.path.join(out, "sklearn_auc.csv"), "w", newline="") as f:
    w = csv.writer(f, lineterminator="\n")
    w.writerow(["model", "auc"])
    for name in models:
        w.writerow([name, repr(float(aucs[name]))])
print("sklearn", sklearn.__version__, aucs, file=sys.stderr)

# MLP: ten full-batch, unshuffled Adam epochs from sklearn's own Glorot
# initialisation (random_state=0), so the Go MLP can start from the same
# weights (MLP.Start) and must follow the same trajectory. sklearn's
# warm_start skips its initialisation when coefs_ exist; a first 1-epoch
# fit creates the attributes, whose weights are then reset to the initial
# draw.
import json, warnings
warnings.filterwarnings("ignore")
n = len(ytr)
mlp = MLPClassifier(random_state=0, max_iter=1, batch_size=n, shuffle=False, warm_start=True)
mlp.fit(Xtr, ytr)  # creates the fitted attributes
mlp._random_state = np.random.RandomState(0)
mlp._initialize(ytr.reshape(-1, 1), [Xtr.shape[1], 100, 1], Xtr.dtype)  # sklearn's own initial draw
w1, w2 = mlp.coefs_[0].copy(), mlp.coefs_[1].copy()
b1, b2 = mlp.intercepts_[0].copy(), mlp.intercepts_[1].copy()
mlp.set_params(max_iter=10, n_iter_no_change=1000)
mlp.fit(Xtr, ytr)
with open(os.path.join(out, "sklearn_mlp.json"), "w") as f:
    json.dump({"comment": "sklearn 1.2.1 MLPClassifier: initial weights (w1 is features x hidden) and test P(class 1) after 10 full-batch unshuffled Adam epochs; see make_reference.py",
               "w1": w1.tolist(), "b1": b1.tolist(), "w2": w2[:, 0].tolist(), "b2": float(b2[0]),
               "n_iter": int(mlp.n_iter_), "proba": mlp.predict_proba(Xte_s)[:, 1].tolist()}, f)

# CART: one depth-3 Gini tree on all rows and all features (no bootstrap),
# the building block of the random forest. Equal-gain splits on different
# features are broken by sklearn's random feature order, so the reference
# is tie-proof: the sorted leaf P(class 1) values and sorted importances.
from sklearn.tree import DecisionTreeClassifier
cart = DecisionTreeClassifier(max_depth=3, random_state=0).fit(Xtr, ytr)
with open(os.path.join(out, "sklearn_cart.json"), "w") as f:
    json.dump({"comment": "sklearn 1.2.1 DecisionTreeClassifier(max_depth=3) on the z-scored training rows; see make_reference.py",
               "leaves": sorted(float(v[0][1] / v[0].sum()) for v, l in zip(cart.tree_.value, cart.tree_.children_left) if l == -1),
               "importance": sorted(cart.feature_importances_.tolist())}, f)

# Platt's sigmoid on fixed decision values (the test rows' libsvm decision
# values above, with their labels): libsvm's sigmoid_train minimises the
# cross-entropy against the smoothed targets (N+ + 1)/(N+ + 2) and
# 1/(N- + 2); scipy's BFGS solves the same convex problem to a tight
# gradient as an independent reference for A and B.
from scipy.optimize import minimize
yt = y[te_sorted]
npos, nneg = (yt == 1).sum(), (yt == 0).sum()
tgt = np.where(yt == 1, (npos + 1) / (npos + 2), 1 / (nneg + 2))
def nll(ab):
    z = svm_dec * ab[0] + ab[1]
    return np.sum(np.where(z >= 0, tgt * z + np.log1p(np.exp(-z)), (tgt - 1) * z + np.log1p(np.exp(z))))
res = minimize(nll, [0.0, np.log((nneg + 1) / (npos + 1))], method="BFGS", options={"gtol": 1e-12})
with open(os.path.join(out, "platt.csv"), "w") as f:
    f.write("A,B\n%r,%r\n" % (float(res.x[0]), float(res.x[1])))
