#!/usr/bin/env python3
"""Writes the reference fixtures of structureTensorEigenvectors' tests.

Small seeded sets of symmetric 2x2 and 3x3 tensors (random positive
definite, random indefinite, planar and linear ones with controlled
eigenvalues, and the structure tensors of small seeded images from
scikit-image 0.19.3's structure_tensor) with their eigenvalues and
eigenvectors from numpy.linalg.eigh (LAPACK, float64), stored under
tests/fixtures/eigenvectors/ as raw little-endian float64 arrays:
NAME.entries.bin [count, N] (upper triangle, row-major, as structureTensor
returns them), NAME.values.bin [ndim, N] (decreasing) and NAME.vectors.bin
[ndim, ndim, N] ([rank, component, voxel]), plus index.json. Eigenvector
signs are LAPACK's, and a rerun on another CPU may change last bits: the
tests compare |v . v_ref|, never signs or bits.

Usage: /usr/bin/python3 scripts/make_eigenvector_fixtures.py
"""

import json
import os

import numpy as np
import skimage
from skimage.feature import structure_tensor

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "fixtures", "eigenvectors")


def rotations(rng, n, ndim):
    """n random orthogonal matrices (QR of Gaussian matrices, signs fixed)."""
    q, r = np.linalg.qr(rng.standard_normal((n, ndim, ndim)))
    return q * np.sign(np.diagonal(r, axis1=1, axis2=2))[:, None, :]


def with_eigenvalues(rng, values):
    """Matrices Q diag(values) Q^T for random rotations Q, values [n, ndim]."""
    q = rotations(rng, values.shape[0], values.shape[1])
    return np.einsum("nij,nj,nkj->nik", q, values, q)


def upper(matrices):
    """Upper-triangular entries, row-major: [count, N]."""
    ndim = matrices.shape[-1]
    return np.stack([matrices[:, i, j] for i in range(ndim) for j in range(i, ndim)])


def full(entries, ndim):
    """Symmetric matrices [N, ndim, ndim] from upper-triangular entries [count, N]."""
    m = np.empty((entries.shape[1], ndim, ndim))
    e = 0
    for i in range(ndim):
        for j in range(i, ndim):
            m[:, i, j] = m[:, j, i] = entries[e]
            e += 1
    return m


def cases():
    rng = np.random.default_rng(20261201)
    out = []
    for ndim in (2, 3):
        g = rng.standard_normal((256, ndim, ndim))
        out.append((f"spd{ndim}", [256], upper(g @ g.transpose(0, 2, 1))))
        s = rng.standard_normal((128, ndim, ndim))
        out.append((f"symmetric{ndim}", [8, 16], upper(s + s.transpose(0, 2, 1))))
    # Planar (one large eigenvalue, two small) and linear (two large, one small).
    small = 10 ** rng.uniform(-3, -1, (128, 2))
    planar = np.column_stack([np.ones(128), small.max(1), small.min(1)])
    out.append(("planar3", [128], upper(with_eigenvalues(rng, planar))))
    gap = 10 ** rng.uniform(-3, -1, 128)
    linear = np.column_stack([np.ones(128), 1 - gap, 10 ** rng.uniform(-4, -2, 128)])
    out.append(("linear3", [128], upper(with_eigenvalues(rng, linear))))
    # Exactly repeated pairs: only the isolated vector is defined.
    axial = np.column_stack([np.ones(64), np.full(64, 0.3), np.full(64, 0.3)])
    out.append(("axial3", [64], upper(with_eigenvalues(rng, axial))))
    # Structure tensors of seeded images: a noisy tilted sheet in 3-D, noise in 2-D.
    z, y, x = np.mgrid[0:6, 0:7, 0:8]
    volume = np.exp(-((z - 0.5 * y - 0.3 * x) ** 2) / 4) + 0.1 * rng.random((6, 7, 8))
    out.append(("volume3", [6, 7, 8], np.stack(structure_tensor(volume, sigma=1, order="rc"))))
    image = rng.random((12, 13))
    out.append(("volume2", [12, 13], np.stack(structure_tensor(image, sigma=1.5, order="rc"))))
    return out


def main():
    os.makedirs(OUT, exist_ok=True)
    index = {"versions": {"numpy": np.__version__, "skimage": skimage.__version__}, "cases": []}
    for name, shape, entries in cases():
        ndim = 2 if entries.shape[0] == 3 else 3
        flat = entries.reshape(entries.shape[0], -1)
        values, vectors = np.linalg.eigh(full(flat, ndim))
        arrays = {
            "entries": flat,
            # Decreasing eigenvalues; vectors[rank, component, voxel].
            "values": values[:, ::-1].T,
            "vectors": vectors[:, :, ::-1].transpose(2, 1, 0),
        }
        case = {"name": name, "ndim": ndim, "shape": shape}
        for key, array in arrays.items():
            file = f"{name}.{key}.bin"
            with open(os.path.join(OUT, file), "wb") as f:
                f.write(np.ascontiguousarray(array, dtype="<f8").tobytes())
            case[key] = file
        index["cases"].append(case)
    with open(os.path.join(OUT, "index.json"), "w") as f:
        json.dump(index, f, indent=2)
        f.write("\n")


if __name__ == "__main__":
    main()
