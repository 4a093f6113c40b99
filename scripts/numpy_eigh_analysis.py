"""Times what a Python user writes for eigenvalues, eigenvectors and FA.

scikit-image's structure_tensor, the 3x3 matrices stacked for
numpy.linalg.eigh, and the fractional anisotropy from its eigenvalues, on a
raw uint16 volume (scripts/compare_skimage.ts writes it, so both sides see the
same bytes). Runs in its own process.

Usage: python3 numpy_eigh_analysis.py INPUT.raw Z Y X SZ SY SX SAMPLE OUTPUT.raw [REPEAT]
Prints one JSON line: {"ms": ..., "runs": [...], "numpy": "...", "skimage": "..."}
(ms: the median of REPEAT runs, default 1); writes, for every SAMPLE-th voxel
in C order, its three eigenvalues (largest first) then its three unit
eigenvectors (largest eigenvalue's first, components z, y, x), little-endian
float64, from the first run.
"""

import json
import sys
import time

import numpy as np
import skimage
from skimage.feature import structure_tensor

PAIRS = [(0, 0), (0, 1), (0, 2), (1, 1), (1, 2), (2, 2)]


def analysis(volume, sigma):
    elements = structure_tensor(volume, sigma=sigma, mode="constant", cval=0)
    matrices = np.empty(volume.shape + (3, 3))
    for element, (i, j) in zip(elements, PAIRS):
        matrices[..., i, j] = element
        matrices[..., j, i] = element
    del elements
    values, vectors = np.linalg.eigh(matrices)
    mean = values.mean(axis=-1, keepdims=True)
    norm = np.sqrt((values**2).sum(axis=-1))
    with np.errstate(invalid="ignore", divide="ignore"):
        fa = np.sqrt(1.5 * ((values - mean) ** 2).sum(axis=-1)) / norm
    fa = np.nan_to_num(fa)
    return values, vectors, fa


def main():
    source, z, y, x, sz, sy, sx, sample, target = sys.argv[1:10]
    repeat = int(sys.argv[10]) if len(sys.argv) > 10 else 1
    shape = (int(z), int(y), int(x))
    sigma = (float(sz), float(sy), float(sx))
    volume = np.fromfile(source, dtype="<u2").reshape(shape)
    runs = []
    for run in range(repeat):
        start = time.perf_counter()
        values, vectors, fa = analysis(volume, sigma)
        runs.append((time.perf_counter() - start) * 1000)
        if run == 0:
            step = int(sample)
            # eigh sorts ascending; columns are the vectors.
            picked_values = values.reshape(-1, 3)[::step, ::-1]
            picked_vectors = vectors.reshape(-1, 3, 3)[::step, :, ::-1]
            rows = np.concatenate(
                [picked_values, picked_vectors.transpose(0, 2, 1).reshape(-1, 9)],
                axis=1,
            )
            rows.astype("<f8").tofile(target)
        del values, vectors, fa
    print(json.dumps({"ms": float(np.median(runs)), "runs": runs,
                      "numpy": np.__version__, "skimage": skimage.__version__}))


if __name__ == "__main__":
    main()
