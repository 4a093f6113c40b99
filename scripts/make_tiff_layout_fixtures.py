#!/usr/bin/python3
"""Write tests/fixtures/io/layouts/: small TIFFs over the layouts a reader meets,
and manifest.json saying what tifffile decodes from each.

The factors, and the values each takes:

- byte order: II (little-endian), MM (big-endian);
- blocks: strips of 5 rows, or 16 x 16 tiles (partial at the right and bottom);
- compression: none, deflate, LZW, LZW with a predictor (2, horizontal
  differencing, on integers; 3, floating point, on floats), PackBits;
- sample type: uint8/16/32, int8/16/32, float32/64;
- samples: one (gray), three interleaved (contig RGB), three planar (RGB).

The full product has 480 layouts; the files are a pairwise covering subset
(every pair of values of two factors occurs in at least one file), chosen
greedily and deterministically, beginning with the layouts that failed in
issue 12 (big-endian tiled int16; planar float64 RGB) and interleaved uint16
RGB with the horizontal predictor: 40 files, 3 pages of 13 x 19 pixels each.
scikit-image's data/multipage_rgb.tif (float64 RGB, planar, 2 pages), from
Debian's python3-skimage, is copied in when present.

Two writers make the files. libtiff's tiffcp (Debian's libtiff-tools)
converts an uncompressed native-order file that tifffile wrote (with the
layout's planar configuration) to the layout's byte order, blocks and
compression; but libtiff 4.5.0's tiffcp writes wrong values for big-endian
files with a predictor (the floating-point one, and the horizontal one in
tiles) and for planar tiles of samples wider than 8 bits, so tifffile writes
those itself. Every file is then decoded twice, by tifffile and by libtiff
(tiffcp back to uncompressed little-endian, blocks kept, read by tifffile;
not for planar tiles of wide samples, which tiffcp cannot copy: see
"libtiff_checked"), and both must give the values written. The manifest
records what tifffile decodes: the series axes, shape and dtype, and the
sha256 of the values in C order as little-endian bytes.

Reading and writing LZW, PackBits and the predictors needs the imagecodecs
package, which Debian does not ship; install it beside the script's Python:

    /usr/bin/python3 -m pip install --target /tmp/pylib imagecodecs

Usage (from the repository root):
    PYTHONPATH=/tmp/pylib /usr/bin/python3 scripts/make_tiff_layout_fixtures.py
"""

import hashlib
import itertools
import json
import os
import shutil
import subprocess
import sys
import tempfile

import numpy
import tifffile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "tests", "fixtures", "io", "layouts")
SKIMAGE_RGB = "/usr/lib/python3/dist-packages/skimage/data/multipage_rgb.tif"

PAGES, HEIGHT, WIDTH = 3, 13, 19
ROWS_PER_STRIP, TILE = 5, 16

FACTORS = {
    "byteorder": ["II", "MM"],
    "blocks": ["strips", "tiles"],
    "compression": ["none", "deflate", "lzw", "lzw_predictor", "packbits"],
    "dtype": ["uint8", "uint16", "uint32", "int8", "int16", "int32", "float32", "float64"],
    "samples": ["gray", "contig", "planar"],
}

# The layouts issue 12 names as failing, first; then interleaved integer RGB
# with the horizontal predictor (Fiji's LZW RGB), whose predictor steps over
# 3 samples, which pairs alone do not guarantee ("lzw_predictor" pairs with
# "contig" in a float file too).
REQUIRED = [
    {"byteorder": "MM", "blocks": "tiles", "compression": "none", "dtype": "int16", "samples": "gray"},
    {"byteorder": "II", "blocks": "strips", "compression": "none", "dtype": "float64", "samples": "planar"},
    {"byteorder": "II", "blocks": "strips", "compression": "lzw_predictor", "dtype": "uint16", "samples": "contig"},
]


def pairs_of(layout):
    names = list(FACTORS)
    return {
        ((a, layout[a]), (b, layout[b]))
        for i, a in enumerate(names)
        for b in names[i + 1:]
    }


def covering_layouts():
    """The required layouts, then greedily the layout covering most uncovered pairs (first in product order on ties)."""
    product = [dict(zip(FACTORS, values)) for values in itertools.product(*FACTORS.values())]
    uncovered = set().union(*(pairs_of(layout) for layout in product))
    chosen = []
    for layout in REQUIRED:
        chosen.append(layout)
        uncovered -= pairs_of(layout)
    while uncovered:
        best = max(product, key=lambda layout: len(pairs_of(layout) & uncovered))
        chosen.append(best)
        uncovered -= pairs_of(best)
    return chosen


def values_of(dtype, samples, seed):
    """Deterministic values with smooth parts, constant runs (for PackBits) and the type's extremes."""
    shape = {
        "gray": (PAGES, HEIGHT, WIDTH),
        "contig": (PAGES, HEIGHT, WIDTH, 3),
        "planar": (PAGES, 3, HEIGHT, WIDTH),
    }[samples]
    random = numpy.random.default_rng(seed)
    count = int(numpy.prod(shape))
    smooth = numpy.sin(numpy.arange(count) / 7.0) + 0.1 * random.standard_normal(count)
    dtype = numpy.dtype(dtype)
    if dtype.kind == "f":
        values = (smooth * 1000).astype(dtype)
        values[::97] = numpy.finfo(dtype).tiny
        values[1::89] = -numpy.finfo(dtype).max
    else:
        info = numpy.iinfo(dtype)
        span = float(info.max) - float(info.min)
        values = numpy.clip(info.min + (smooth + 1.4) / 2.8 * span, info.min, info.max).astype(dtype)
        values[::97] = info.min
        values[1::89] = info.max
    values[5 * WIDTH:7 * WIDTH] = values[5 * WIDTH]
    return values.reshape(shape)


def tiffcp_options(layout):
    float_samples = layout["dtype"].startswith("float")
    codec = {
        "none": "none",
        "deflate": "zip",
        "lzw": "lzw",
        "lzw_predictor": "lzw:3" if float_samples else "lzw:2",
        "packbits": "packbits",
    }[layout["compression"]]
    options = ["-B" if layout["byteorder"] == "MM" else "-L", "-c", codec]
    if layout["blocks"] == "tiles":
        options += ["-t", "-w", str(TILE), "-l", str(TILE)]
    else:
        options += ["-s", "-r", str(ROWS_PER_STRIP)]
    return options


def planar_and_photometric(layout):
    # A gray page names no planar configuration: tifffile would take its last axis for samples.
    if layout["samples"] == "gray":
        return {"photometric": "minisblack"}
    return {"photometric": "rgb", "planarconfig": "separate" if layout["samples"] == "planar" else "contig"}


def wide_planar_tiles(layout):
    """Planar tiles of samples wider than 8 bits, which libtiff 4.5.0's tiffcp copies wrong."""
    return layout["blocks"] == "tiles" and layout["samples"] == "planar" and numpy.dtype(layout["dtype"]).itemsize > 1


def libtiff_writes(layout):
    """False for the layouts tiffcp writes wrong values in: wide planar tiles, and
    big-endian with a predictor (floating point; horizontal in tiles)."""
    big_endian_predictor = layout["byteorder"] == "MM" and layout["compression"] == "lzw_predictor"
    return not (big_endian_predictor or wide_planar_tiles(layout))


def write(layout, values, source, path):
    """Writes `values` to `path` in `layout`; returns which writer did."""
    if not libtiff_writes(layout):
        blocks = {"tile": (TILE, TILE)} if layout["blocks"] == "tiles" else {"rowsperstrip": ROWS_PER_STRIP}
        compression = {
            "none": {},
            "deflate": {"compression": "adobe_deflate"},
            "lzw": {"compression": "lzw"},
            "lzw_predictor": {"compression": "lzw", "predictor": True},
            "packbits": {"compression": "packbits"},
        }[layout["compression"]]
        tifffile.imwrite(
            path,
            values,
            byteorder=">" if layout["byteorder"] == "MM" else "<",
            metadata=None,
            **blocks,
            **compression,
            **planar_and_photometric(layout),
        )
        return "tifffile"
    tifffile.imwrite(source, values, metadata=None, **planar_and_photometric(layout))
    subprocess.run(["tiffcp", *tiffcp_options(layout), source, path], check=True)
    return "tiffcp"


def decoded_by_libtiff(layout, path, folder):
    """The values libtiff decodes: tiffcp to uncompressed little-endian, same blocks (its
    planar tiles to strips conversion of samples wider than 8 bits is wrong), read by tifffile."""
    plain = os.path.join(folder, "plain.tif")
    blocks = ["-t", "-w", str(TILE), "-l", str(TILE)] if layout["blocks"] == "tiles" else ["-s"]
    subprocess.run(["tiffcp", "-L", "-c", "none", *blocks, path, plain], check=True)
    return tifffile.imread(plain)


def sha256_little_endian(values):
    little = numpy.ascontiguousarray(values).astype(values.dtype.newbyteorder("<"), copy=False)
    return hashlib.sha256(little.tobytes()).hexdigest()


def describe(path):
    """What tifffile decodes from the file, and the page's layout as tifffile sees it."""
    with tifffile.TiffFile(path) as tif:
        series = tif.series[0]
        values = series.asarray()
        page = tif.pages[0]
        return values, {
            "axes": series.axes,
            "shape": list(values.shape),
            "dtype": str(values.dtype),
            "sha256_of_c_order_little_endian_values": sha256_little_endian(values),
            "pages": len(tif.pages),
            "byteorder": "MM" if tif.byteorder == ">" else "II",
            "tiled": bool(page.is_tiled),
            "compression": tifffile.COMPRESSION(page.compression).name,
            "predictor": int(page.predictor),
            "planarconfig": tifffile.PLANARCONFIG(page.planarconfig).name,
            "samplesperpixel": int(page.samplesperpixel),
        }


def main():
    if tifffile.tifffile.imagecodecs.__name__ != "imagecodecs":
        sys.exit("imagecodecs is needed to decode LZW and the floating-point predictor (see the docstring)")
    if os.path.isdir(OUT):
        shutil.rmtree(OUT)
    os.makedirs(OUT)
    layouts = covering_layouts()
    files = {}
    with tempfile.TemporaryDirectory() as folder:
        for seed, layout in enumerate(layouts):
            name = "{byteorder}_{blocks}_{compression}_{dtype}_{samples}.tif".format(**layout).lower()
            values = values_of(layout["dtype"], layout["samples"], seed)
            source = os.path.join(folder, "source_" + name)
            path = os.path.join(OUT, name)
            writer = write(layout, values, source, path)
            decoded, facts = describe(path)
            assert numpy.array_equal(decoded, values), name
            libtiff_checked = not wide_planar_tiles(layout)
            if libtiff_checked:
                assert numpy.array_equal(decoded_by_libtiff(layout, path, folder), values), name
            files[name] = {**facts, "layout": layout, "writer": writer, "libtiff_checked": libtiff_checked}
    if os.path.exists(SKIMAGE_RGB):
        path = os.path.join(OUT, "skimage_multipage_rgb.tif")
        shutil.copyfile(SKIMAGE_RGB, path)
        files["skimage_multipage_rgb.tif"] = {
            **describe(path)[1],
            "source": "scikit-image data/multipage_rgb.tif (Debian python3-skimage)",
        }
    version = subprocess.run(["tiffcp"], capture_output=True, text=True).stderr.splitlines()[0]
    manifest = {
        "tifffile_version": tifffile.__version__,
        "imagecodecs_version": tifffile.tifffile.imagecodecs.__version__,
        "libtiff": version,
        "factors": FACTORS,
        "files": files,
    }
    with open(os.path.join(OUT, "manifest.json"), "w") as stream:
        json.dump(manifest, stream, indent=1, sort_keys=True)
        stream.write("\n")
    print(f"{len(files)} files in {OUT}", file=sys.stderr)


if __name__ == "__main__":
    main()
