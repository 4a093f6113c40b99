"""Times scikit-image's structure tensor + eigenvalues on a raw uint16 volume.

Used by scripts/compare_skimage.ts, which writes the seeded volume once so that
stria and scikit-image see identical bytes. Runs in its own process so that the
peak resident set size reported is this run's alone.

Usage: python3 skimage_structure_tensor.py INPUT.raw Z Y X SZ SY SX OUTPUT.raw [REPEAT]
Prints one JSON line: {"ms": ..., "runs": [...], "peakMB": ..., "skimage": "..."}
(ms: the median of REPEAT runs, default 1; peakMB: after the first); writes
the eigenvalues (3, Z, Y, X) as little-endian float64 to OUTPUT.raw.
"""

import json
import sys
import time

import numpy as np
import skimage
from skimage.feature import structure_tensor, structure_tensor_eigenvalues


def peak_mb():
    # VmHWM: the process's peak resident set size, in kB.
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    raise RuntimeError("VmHWM not found in /proc/self/status")


def main():
    source, z, y, x, sz, sy, sx, target = sys.argv[1:9]
    repeat = int(sys.argv[9]) if len(sys.argv) > 9 else 1
    shape = (int(z), int(y), int(x))
    sigma = (float(sz), float(sy), float(sx))
    volume = np.fromfile(source, dtype="<u2").reshape(shape)
    runs = []
    for run in range(repeat):
        start = time.perf_counter()
        elements = structure_tensor(volume, sigma=sigma, mode="constant", cval=0)
        eigen = structure_tensor_eigenvalues(elements)
        runs.append((time.perf_counter() - start) * 1000)
        del elements
        if run == 0:
            peak = peak_mb()
            eigen.astype("<f8").tofile(target)
        del eigen
    print(json.dumps({"ms": float(np.median(runs)), "runs": runs, "peakMB": peak,
                      "skimage": skimage.__version__}))


if __name__ == "__main__":
    main()
