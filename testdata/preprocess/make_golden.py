#!/usr/bin/env python3
"""Golden values for pipeline/preprocess, computed with scipy.ndimage.

Regenerate:  /usr/bin/python3 testdata/preprocess/make_golden.py > testdata/preprocess/golden.json
Tools: Debian python3-scipy 1.10.1, python3-numpy 1.24.2.

The input is formula-defined, so the Go test builds the same volume:
    v[i,j,k] = sin(0.7*i + 1.3*j*j/7 + 0.4*k) + 0.05*((i*7 + j*3 + k*5) % 11)
on a 9x8x7 grid (i fastest in the Go layout; scipy arrays are indexed [k,j,i]).
"""
import json
import numpy as np
from scipy import ndimage

nx, ny, nz = 9, 8, 7
v = np.zeros((nz, ny, nx))
for k in range(nz):
    for j in range(ny):
        for i in range(nx):
            v[k, j, i] = np.sin(0.7 * i + 1.3 * j * j / 7 + 0.4 * k) + 0.05 * ((i * 7 + j * 3 + k * 5) % 11)

def flat(a):
    return [float(x) for x in a.ravel()]  # C order over [k,j,i] = x fastest

out = {
    "dims": [nx, ny, nz],
    "mean3": flat(ndimage.uniform_filter(v, 3, mode="nearest")),
    "box5": flat(ndimage.uniform_filter(v, 5, mode="nearest")),
    "median3": flat(ndimage.median_filter(v, 3, mode="nearest")),
    # spacing 1 mm: sigma 1 voxel, truncate 3 -> radius 3, weights normalised, as the Go filter
    "gauss1": flat(ndimage.gaussian_filter(v, 1.0, mode="nearest", truncate=3.0)),
}
# Cubic B-spline interpolation with mirror boundaries (ITK's and scipy's "mirror").
pts = [(1.25, 2.5, 3.75), (0.1, 0.2, 0.3), (7.9, 6.5, 5.99), (4.0, 3.0, 2.0), (3.3, 0.0, 6.0)]
coords = np.array([[p[2] for p in pts], [p[1] for p in pts], [p[0] for p in pts]])
out["bspline_points"] = pts
out["bspline"] = [float(x) for x in ndimage.map_coordinates(v, coords, order=3, mode="mirror")]
out["linear"] = [float(x) for x in ndimage.map_coordinates(v, coords, order=1, mode="nearest")]
print(json.dumps(out))
