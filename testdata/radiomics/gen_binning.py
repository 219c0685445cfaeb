# Regenerates binning.json: pyradiomics' bin edges and bins (getBinEdges +
# numpy.digitize, as in radiomics/imageoperations.py at pyradiomics 8ed5793),
# re-stated here with numpy 1.24.2 (Debian bookworm python3-numpy).
# Command: /usr/bin/python3 testdata/radiomics/gen_binning.py > testdata/radiomics/binning.json
import json
import numpy as np

def edges(values, binWidth=25, binCount=None):
    if binCount is not None:
        e = np.histogram(values, binCount)[1]
        e[-1] += 1
        return e
    minimum, maximum = min(values), max(values)
    low = minimum - (minimum % binWidth)
    high = maximum + 2 * binWidth
    e = np.arange(low, high, binWidth)
    if len(e) == 1:
        e = np.array([e[0] - 0.5, e[0] + 0.5])
    return e

rng = np.random.default_rng(7)
cases = []
inputs = [
    ("ints", np.array([54.0, 166.0, 75.0, 100.0, 99.0, 125.0, 150.0]), [dict(binWidth=25), dict(binCount=5), dict(binWidth=10)]),
    ("negative", np.array([-130.5, -20.0, 0.0, 17.25, 250.0, -75.0]), [dict(binWidth=25), dict(binWidth=7.5), dict(binCount=16)]),
    ("unit", rng.random(200), [dict(binCount=32), dict(binWidth=0.05), dict(binWidth=0.1), dict(binWidth=25)]),
    ("flat", np.array([3.0, 3.0, 3.0]), [dict(binWidth=25), dict(binWidth=1), dict(binCount=8)]),
    ("flat_multiple", np.array([50.0, 50.0]), [dict(binWidth=25)]),
    ("max_on_edge", np.array([0.0, 0.25, 0.5, 1.0]), [dict(binWidth=0.25), dict(binCount=4)]),
]
for name, v, settings in inputs:
    for st in settings:
        e = edges(v, **st)
        cases.append(dict(name=name, values=[float(x) for x in v], binWidth=st.get("binWidth", 0),
                          binCount=st.get("binCount", 0), edges=[float(x) for x in e],
                          bins=[int(b) for b in np.digitize(v, e)]))
print(json.dumps(cases, indent=1))
