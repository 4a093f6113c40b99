"""Writes tests/fixtures/zarr/: OME-Zarr 0.4 stores made by zarr-python (Debian's
python3-zarr 2.13), which tests/zarr_ome_test.ts reads. Values are arange so the
test knows them; run with /usr/bin/python3 scripts/make_zarr_fixtures.py."""

import json
import pathlib
import shutil

import numpy as np
import zarr
from numcodecs import GZip, Zlib

OUT = pathlib.Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "zarr"


def write(name, data, axes, scale, compressor, chunks):
    path = OUT / name
    shutil.rmtree(path, ignore_errors=True)
    store = zarr.DirectoryStore(str(path), dimension_separator="/")
    root = zarr.group(store=store)
    root.create_dataset("0", data=data, chunks=chunks, compressor=compressor)
    root.attrs["multiscales"] = [{
        "version": "0.4",
        "name": name,
        "axes": axes,
        "datasets": [{
            "path": "0",
            "coordinateTransformations": [{"type": "scale", "scale": scale}],
        }],
    }]


OUT.mkdir(parents=True, exist_ok=True)
write(
    "python_czyx_u16.zarr",
    np.arange(2 * 3 * 4 * 5, dtype="<u2").reshape(2, 3, 4, 5),
    [
        {"name": "c", "type": "channel"},
        {"name": "z", "type": "space", "unit": "micrometer"},
        {"name": "y", "type": "space", "unit": "micrometer"},
        {"name": "x", "type": "space", "unit": "micrometer"},
    ],
    [1.0, 2.0, 0.5, 0.25],
    Zlib(level=1),
    (1, 2, 4, 3),
)
write(
    "python_tyx_f32.zarr",
    (np.arange(3 * 4 * 6, dtype="<f4") / 8).reshape(3, 4, 6),
    [
        {"name": "t", "type": "time", "unit": "millisecond"},
        {"name": "y", "type": "space", "unit": "nanometer"},
        {"name": "x", "type": "space", "unit": "nanometer"},
    ],
    [40.0, 100.0, 100.0],
    GZip(level=1),
    (2, 4, 4),
)
print(json.dumps(sorted(p.name for p in OUT.iterdir())))
