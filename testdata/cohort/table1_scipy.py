#!/usr/bin/env python3
"""Reference p-values for pipeline/cohort's Table 1 tests.

Tool: scipy 1.10.1, numpy 1.24.2 (Debian bookworm python3-scipy, python3-numpy).
Regenerate from the repository root:

    /usr/bin/python3 testdata/cohort/table1_scipy.py > testdata/cohort/table1_scipy.csv

Rows:
  n30_<column>   clinical_n30.csv grouped by the paper's rule (delta =
                 uems_admission - uems_1y, threshold = mean delta, good when
                 delta < threshold): scipy.stats.ttest_ind(good, poor)
                 (Student, equal_var=True) for continuous columns and
                 scipy.stats.chi2_contingency(counts, correction=False) for
                 categorical ones (categories nobody has are dropped first;
                 scipy refuses zero rows).
  paper_<name>   the paper's own Table 1 counts, chi2_contingency(correction=False).
  yates_sex      the paper's sex counts with Yates' correction, for the doc.
"""
import csv
import sys

import numpy as np
import scipy
from scipy import stats

LEVELS = {
    "sex": ["male", "female"],
    "cause": ["fall", "vehicle", "sports", "other"],
    "asia_admission": list("ABCDE"),
    "asia_1y": list("ABCDE"),
}
CONT = ["age", "days_to_surgery", "uems_admission", "uems_1y"]

rows = list(csv.DictReader(open("testdata/cohort/clinical_n30.csv")))
delta = np.array([float(r["uems_admission"]) - float(r["uems_1y"]) for r in rows])
good = delta < delta.mean()

out = csv.writer(sys.stdout, lineterminator="\n")
out.writerow(["name", "statistic", "df", "p"])
out.writerow(["n30_threshold", repr(float(delta.mean())), int(good.sum()), int((~good).sum())])
for col in CONT:
    x = np.array([float(r[col]) for r in rows])
    res = stats.ttest_ind(x[good], x[~good])
    out.writerow(["n30_" + col, repr(float(res.statistic)), len(x) - 2, repr(float(res.pvalue))])


def chi(name, table, correction=False):
    table = np.asarray(table, dtype=float)
    table = table[table.sum(axis=1) > 0]
    chi2, p, dof, _ = stats.chi2_contingency(table, correction=correction)
    out.writerow([name, repr(float(chi2)), dof, repr(float(p))])


for col, levels in LEVELS.items():
    t = [[sum(1 for r, g in zip(rows, good) if r[col] == l and g == want) for want in (True, False)] for l in levels]
    chi("n30_" + col, t)

chi("paper_sex", [[34, 29], [15, 4]])
chi("paper_cause", [[20, 15], [11, 6], [5, 3], [13, 9]])
chi("paper_asia_admission", [[8, 5], [6, 9], [16, 7], [15, 10], [4, 2]])
chi("paper_asia_1y", [[4, 3], [4, 3], [5, 7], [29, 18], [7, 2]])
chi("yates_sex", [[34, 29], [15, 4]], correction=True)
print("# scipy", scipy.__version__, "numpy", np.__version__, file=sys.stderr)
