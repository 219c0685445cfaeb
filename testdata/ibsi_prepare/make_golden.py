"""Golden values for pipeline/radiomics/ibsi/prepare_test.go: IBSI grid-centred
resampling as MIRP does it (scipy.ndimage.map_coordinates on the grid of
ceil(n*s/s') voxels per axis centred on the old grid), image with order 1 and 3
(mode "nearest"), mask with order 1 (mode "constant").

Run with Debian's python: /usr/bin/python3 make_golden.py > resample_golden.json
Tool versions used: scipy 1.10.1, numpy 1.24.2 (Debian bookworm python3-scipy).
"""
import json
import numpy as np
from scipy.ndimage import map_coordinates

rng = np.random.default_rng(20261206)
nx, ny, nz = 7, 6, 5
spacing = [0.9, 0.8, 2.5]        # x, y, z
new_spacing = [0.5, 1.1, 1.3]    # x, y, z
img = rng.integers(-1000, 1000, size=(nz, ny, nx)).astype(float)
mask = (rng.random(size=(nz, ny, nx)) > 0.5).astype(float)

def positions(n, s, s2):
    m = int(np.ceil(n * s / s2))
    step = s2 / s
    origin = 0.5 * (n - 1) - 0.5 * (m - 1) * step
    return origin + np.arange(m) * step

px = positions(nx, spacing[0], new_spacing[0])
py = positions(ny, spacing[1], new_spacing[1])
pz = positions(nz, spacing[2], new_spacing[2])
zz, yy, xx = np.meshgrid(pz, py, px, indexing="ij")
coords = np.array([zz.ravel(), yy.ravel(), xx.ravel()])
out = {
    "dims": [nx, ny, nz], "spacing": spacing, "new_spacing": new_spacing,
    "new_dims": [len(px), len(py), len(pz)],
    "image": img.ravel().tolist(), "mask": mask.ravel().tolist(),
    "linear": map_coordinates(img, coords, order=1, mode="nearest").tolist(),
    "cubic": map_coordinates(img, coords, order=3, mode="nearest").tolist(),
    "mask_linear": map_coordinates(mask, coords, order=1, mode="constant").tolist(),
}
print(json.dumps(out))
