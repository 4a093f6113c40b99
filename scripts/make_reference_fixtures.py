#!/usr/bin/env python3
"""Writes the reference fixtures of stria's numerics tests.

Runs scikit-image / SciPy / NumPy (Debian's python3-skimage, scikit-image
0.19.3) on small seeded inputs and stores inputs and outputs under
tests/fixtures/reference/: raw little-endian arrays (*.bin) and an index
(index.json) naming each case's function, arguments, input and outputs, plus
NumPy repr strings for formatArray (format.json). Tests read these files and
need no Python.

Arrays already on disk are kept byte for byte (a rerun elsewhere changes last
bits: NumPy's exp, hence the Gaussian weights, depends on the CPU), after
checking that they agree with the recomputed ones; `--rewrite` writes them
all anew.

Usage: /usr/bin/python3 scripts/make_reference_fixtures.py [--rewrite]
"""

import json
import os
import sys
import tempfile

import numpy as np
import scipy
import scipy.ndimage as ndi
import skimage
from skimage.feature import structure_tensor, structure_tensor_eigenvalues
from skimage.util import img_as_float

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "fixtures", "reference")
MODES = ["reflect", "mirror", "nearest", "wrap", "constant"]


def write_atomic(path, data):
    """Writes bytes to a temp file in the same folder, then renames it."""
    folder = os.path.dirname(path)
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=".tmp-")
    with os.fdopen(fd, "wb") as f:
        f.write(data)
    os.chmod(tmp, 0o644)
    os.replace(tmp, path)


class Store:
    def __init__(self, rewrite):
        self.rewrite = rewrite
        self.arrays = {}
        self.cases = []

    def array(self, name, a):
        a = np.ascontiguousarray(a)
        data = a.astype(a.dtype.newbyteorder("<")).tobytes()
        path = os.path.join(OUT, name + ".bin")
        if self.rewrite or not os.path.exists(path):
            write_atomic(path, data)
        else:
            check_kept(path, a)
        self.arrays[name] = {"file": name + ".bin", "dtype": str(a.dtype), "shape": list(a.shape)}
        return name

    def case(self, name, function, input_name, args, outputs):
        names = [self.array(f"{name}.out{i}", o) for i, o in enumerate(outputs)]
        self.cases.append({"name": name, "function": function, "input": input_name, "args": args, "outputs": names})


def check_kept(path, a):
    """Stops unless the array stored at path is `a` up to last bits."""
    with open(path, "rb") as f:
        kept = np.frombuffer(f.read(), dtype=a.dtype.newbyteorder("<"))
    if kept.size != a.size:
        sys.exit(f"{path}: {kept.size} values stored, {a.size} computed: rerun with --rewrite")
    scale = float(np.max(np.abs(a), initial=0)) or 1.0
    error = float(np.max(np.abs(kept.astype(np.float64) - a.ravel().astype(np.float64)), initial=0))
    if not error <= 1e-12 * scale:
        sys.exit(f"{path}: stored values differ from computed ones by {error}: rerun with --rewrite")


def inputs(store):
    rng = np.random.default_rng(20261124)
    made = {
        "f64_2d": rng.random((9, 12)),
        "f64_3d": rng.random((7, 11, 13)),
        "f64_tiny": rng.random((2, 3)),
        "f64_1d": rng.random(10),
        "f64_4d": rng.random((3, 4, 5, 6)),
        "f32_3d": rng.random((6, 8, 9)).astype(np.float32),
        "u8_3d": rng.integers(0, 256, (6, 7, 8)).astype(np.uint8),
        "u16_3d": rng.integers(0, 4096, (5, 9, 10)).astype(np.uint16),
        "i16_3d": rng.integers(-32768, 32768, (6, 8, 7)).astype(np.int16),
        "i8_2d": np.array([[-128, -127, -1], [0, 1, 127]], dtype=np.int8),
        "u32_1d": np.array([0, 1, 4294967295, 123456789], dtype=np.uint32),
        "i32_1d": np.array([-2147483648, -1, 0, 2147483647], dtype=np.int32),
    }
    return {name: (store.array("in." + name, a), a) for name, a in made.items()}


def as_float64(a):
    """The filters take integer input as float64 values (no rounding back)."""
    return a if a.dtype in (np.float32, np.float64) else a.astype(np.float64)


def main():
    os.makedirs(OUT, exist_ok=True)
    store = Store(rewrite="--rewrite" in sys.argv[1:])
    ins = inputs(store)

    for name in ["u8_3d", "u16_3d", "i16_3d", "i8_2d", "u32_1d", "i32_1d", "f32_3d", "f64_2d"]:
        key, a = ins[name]
        store.case(f"img_as_float.{name}", "imgAsFloat", key, {}, [img_as_float(a)])

    gaussian = [
        ("f64_3d", 1.0, mode, 0.5) for mode in MODES
    ] + [
        ("f64_3d", 0.1, "reflect", 0.0),
        ("f64_3d", 1.5, "reflect", 0.0),
        ("f64_3d", [1, 1.5, 2.5], "mirror", 0.0),
        ("f64_3d", [1, 1.5, 2.5], "wrap", 0.0),
        ("f64_3d", [0, 2, 0.7], "constant", -1.25),
        ("f32_3d", [1, 1.5, 2.5], "reflect", 0.0),
        ("f32_3d", 1.0, "constant", 0.25),
        ("u8_3d", 1.5, "nearest", 0.0),
        ("u16_3d", [1, 1.5, 2.5], "reflect", 0.0),
        ("i16_3d", 1.0, "mirror", 0.0),
        ("f64_4d", 1.0, "nearest", 0.0),
        ("f64_1d", 2.0, "wrap", 0.0),
        ("f64_2d", 1.5, "constant", 2.0),
    ] + [("f64_tiny", 3.0, mode, 0.5) for mode in MODES]
    for i, (name, sigma, mode, cval) in enumerate(gaussian):
        key, a = ins[name]
        out = ndi.gaussian_filter(as_float64(a), sigma, mode=mode, cval=cval)
        store.case(f"gaussian.{i}", "gaussianFilter", key, {"sigma": sigma, "mode": mode, "cval": cval}, [out])

    sobels = [("f64_3d", axis, mode, 0.5) for axis in range(3) for mode in MODES] + [
        ("f64_tiny", axis, mode, 0.5) for axis in range(2) for mode in MODES
    ] + [
        ("f32_3d", 2, "reflect", 0.0),
        ("f32_3d", 0, "constant", 0.25),
        ("u16_3d", 1, "mirror", 0.0),
        ("f64_4d", 2, "wrap", 0.0),
        ("f64_4d", 3, "constant", 1.0),
        ("f64_1d", 0, "reflect", 0.0),
        ("f64_2d", 1, "nearest", 0.0),
    ]
    for i, (name, axis, mode, cval) in enumerate(sobels):
        key, a = ins[name]
        out = ndi.sobel(as_float64(a), axis=axis, mode=mode, cval=cval)
        store.case(f"sobel.{i}", "sobel", key, {"axis": axis, "mode": mode, "cval": cval}, [out])

    correlations = [("f64_3d", [1, -2, 3, 0.5], axis, mode, 0.5, 0) for axis in range(3) for mode in MODES] + [
        ("f64_3d", [1, -2, 3, 0.5], 1, "reflect", 0.0, -2),
        ("f64_3d", [1, -2, 3, 0.5], 2, "mirror", 0.0, 1),
        ("f64_3d", [0.25, 0.5, 0.25], 0, "wrap", 0.0, 1),
        ("f64_3d", [-1, 0, 1], 2, "nearest", 0.0, -1),
        ("f64_3d", [2.5], 1, "constant", 3.0, 0),
        ("f64_tiny", [1, 2, 3, 4, 5, 6, 7, 8, 9], 1, "reflect", 0.0, 0),
        ("f64_tiny", [1, 2, 3, 4, 5, 6, 7, 8, 9], 0, "mirror", 0.0, 0),
        ("f64_tiny", [1, 2, 3, 4, 5, 6, 7, 8, 9], 1, "wrap", 0.0, 3),
        ("f32_3d", [0.1, 0.7, 0.2], 1, "reflect", 0.0, 0),
        ("u8_3d", [1, 3, 1], 2, "constant", 7.0, 0),
        ("f64_1d", [1, 1, 1, 1, 1, 1, 1], 0, "mirror", 0.0, 0),
    ]
    for i, (name, weights, axis, mode, cval, origin) in enumerate(correlations):
        key, a = ins[name]
        out = ndi.correlate1d(as_float64(a), weights, axis=axis, mode=mode, cval=cval, origin=origin)
        args = {"weights": weights, "axis": axis, "mode": mode, "cval": cval, "origin": origin}
        store.case(f"correlate1d.{i}", "correlate1d", key, args, [out])

    tensors = [
        ("f64_3d", [1, 1.5, 2.5], "constant", 0.0, "rc"),
        ("f64_3d", 0.1, "constant", 0.0, "rc"),
        ("f64_3d", 1.5, "constant", 0.0, "rc"),
    ] + [("f64_3d", 1.0, mode, 0.3, "rc") for mode in MODES] + [
        ("u8_3d", 1.5, "constant", 0.0, "rc"),
        ("u16_3d", [1, 1.5, 2.5], "constant", 0.0, "rc"),
        ("i16_3d", 1.0, "reflect", 0.0, "rc"),
        ("f32_3d", [1, 1.5, 2.5], "constant", 0.0, "rc"),
        ("f32_3d", 1.0, "nearest", 0.0, "rc"),
        ("f64_2d", 1.0, "constant", 0.0, "rc"),
        ("f64_2d", 1.5, "mirror", 0.2, "xy"),
        ("f64_tiny", 3.0, "reflect", 0.0, "rc"),
        ("f64_4d", 1.0, "nearest", 0.0, "rc"),
    ]
    for i, (name, sigma, mode, cval, order) in enumerate(tensors):
        key, a = ins[name]
        elems = structure_tensor(a, sigma=sigma, mode=mode, cval=cval, order=order)
        eigen = structure_tensor_eigenvalues(elems)
        args = {"sigma": sigma, "mode": mode, "cval": cval, "order": order}
        store.case(f"structure_tensor.{i}", "structureTensor", key, args, list(elems) + [eigen])

    wide_and_float32_cases(store)

    index = {
        "versions": {"skimage": skimage.__version__, "scipy": scipy.__version__, "numpy": np.__version__},
        "arrays": store.arrays,
        "cases": store.cases,
    }
    write_atomic(os.path.join(OUT, "index.json"), (json.dumps(index, indent=1) + "\n").encode())
    write_atomic(os.path.join(OUT, "format.json"), (json.dumps(format_cases(), indent=1) + "\n").encode())


def wide_and_float32_cases(store):
    """Structure tensors that reach every loop of the SIMD kernels, and float32 ones
    whose products d_i·d_j must be rounded to float32 as NumPy does.

    Their own seed, after every earlier case, so the earlier arrays and index
    entries stay as they were.
    """
    rng = np.random.default_rng(20260315)
    # Rows of 301 values: 18 steps of the kernels' 8-vector loop (16 float64),
    # then 6 single vectors and 1 scalar; 41 rows make a band (41 × 301 voxels)
    # odd, so the vector loop over whole bands ends in its scalar tail too.
    wide = {
        "u16_wide": rng.integers(0, 65536, (3, 41, 301)).astype(np.uint16),
        "f64_wide": rng.random((3, 41, 301)),
    }
    # Six decades of float32 values with full mantissas: every product has more
    # bits than float32 holds, so rounding it or not changes the sums.
    float32 = {"f32_decades": (10.0 ** rng.uniform(-3, 3, (5, 13, 17))).astype(np.float32)}
    ins = {name: (store.array("in." + name, a), a) for name, a in {**wide, **float32}.items()}
    sigma = [1, 1.5, 2.5]
    tensors = [
        ("u16_wide", "constant", 0.3),
        ("u16_wide", "reflect", 0.0),
        ("f64_wide", "mirror", 0.0),
        ("u16_wide", "nearest", 0.0),
        ("u16_wide", "wrap", 0.0),
    ]
    for i, (name, mode, cval) in enumerate(tensors):
        key, a = ins[name]
        elems = structure_tensor(a, sigma=sigma, mode=mode, cval=cval, order="rc")
        eigen = structure_tensor_eigenvalues(elems)
        args = {"sigma": sigma, "mode": mode, "cval": cval, "order": "rc"}
        store.case(f"structure_tensor_wide.{i}", "structureTensor", key, args, list(elems) + [eigen])
    for i, (mode, cval) in enumerate([("reflect", 0.0), ("constant", 0.7)]):
        key, a = ins["f32_decades"]
        elems = structure_tensor(a, sigma=sigma, mode=mode, cval=cval, order="rc")
        # stria's eigenvalues of float32 entries are float64: LAPACK's in float64 on the same entries.
        eigen = structure_tensor_eigenvalues([e.astype(np.float64) for e in elems])
        args = {"sigma": sigma, "mode": mode, "cval": cval, "order": "rc"}
        store.case(f"structure_tensor_f32.{i}", "structureTensor", key, args, list(elems) + [eigen])


def encode(values):
    """JSON numbers, with non-finite values as strings."""
    return [v if np.isfinite(v) else str(v) for v in values]


def format_cases():
    rng = np.random.default_rng(7)
    arrays = [
        np.array([[0.05530323, 0.05929082, 0.06043806], [0.05922725, 0.06268274, 0.06354238]]),
        np.array([[0.00337661, 0.00306529, 0.00276288], [0.0041869, 0.00397519, 0.00375595]]),
        np.array([1.0, 2.0, 3.0]),
        np.array([0.0, 0.0]),
        np.array([-1.5, 2.25, 1000.0]),
        np.array([1e-5, 1.0]),
        np.array([1.5e-5, -2.0, 3.0]),
        np.array([1e8, 1.0]),
        np.array([123456789.0]),
        np.array([1e-300, 1e300, -5.0]),
        np.array([0.1, 0.2, 0.3]) * 3,
        np.array([np.nan, 1.5, -np.inf]),
        np.array([np.inf, np.nan]),
        np.array([-0.0, 0.5]),
        np.array([0.123456789, 12.5]),
        np.array([2.0 / 3.0, 1e-4, 0.1]),
        rng.random((3, 4)),
        rng.random((2, 3, 4)) * 100 - 50,
        rng.random(30),
        rng.random((4, 20)) * 1e-6,
        rng.random(2000),
        rng.random((40, 40)),
        rng.random((12, 12, 12)),
        np.array([1, 2, 300], dtype=np.uint16),
        np.array([[68, 4095], [0, 12]], dtype=np.uint16),
        np.array([-5, 3, 120], dtype=np.int16),
        np.arange(60, dtype=np.int32).reshape(3, 4, 5) - 30,
        np.arange(1500, dtype=np.uint16),
        np.array([1.5, 2.25, 0.1], dtype=np.float32),
        rng.random((3, 3)).astype(np.float32),
        np.array([255, 0], dtype=np.uint8),
        np.array([0.123456785, 0.5]),
        np.array([9.999999995, 0.25]),
        np.array([0.99999999999, 2.0]),
        np.array([1e-4, 1.0]),
        np.array([99999999.5, 1.0]),
        np.array([0.00010000001, 0.1]),
        np.array([1e16, -3.0]),
        np.array([-1e-5, 2e-5, 0.0]),
        np.array([3.14159265358979, -2.7, 1.0 / 3.0]),
        np.array([0.1, 0.2, 1.0 / 3.0], dtype=np.float32),
        np.array([1e-6, 1.0, -7.5e12], dtype=np.float32),
        np.arange(100, dtype=np.uint8).reshape(5, 20),
        np.arange(-30, 30, dtype=np.int16),
        np.arange(23, dtype=np.float64) / 7,
        np.array([], dtype=np.float64),
        np.zeros((0, 3)),
        np.array(2.5),
    ]
    return [
        {"dtype": str(a.dtype), "shape": list(a.shape), "values": encode(a.ravel().tolist()), "repr": repr(a)}
        for a in arrays
    ]


if __name__ == "__main__":
    main()
