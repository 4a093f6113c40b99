#!/usr/bin/python3
"""Cross-check stria's TIFF code with a third-party implementation, tifffile.

1. Writes the sample arrays of tests/fixtures/io/tiff_samples.ts with stria's
   writeTiff (via `deno run`), reads every file back with tifffile and reports
   what tifffile sees: shape, axes, dtype, ImageJ metadata, resolution and the
   sha256 of the values in C order as little-endian bytes ("files").
2. Writes tests/fixtures/io/strips_*.tif with tifffile: uncompressed files cut
   into several strips (last one partial), in both byte orders, planar and
   interleaved samples, and every integer and float sample type, and reports
   the same facts for them ("strip_fixtures").

The report is printed as JSON and committed as tests/fixtures/io/tifffile_readback.json;
tests/io_tifffile_readback_test.ts checks that stria agrees with it.

With --ome, instead: writes the OME-TIFF samples of
tests/fixtures/io/ome/ome_samples.ts with stria's writeTiff(..., { ome: true }),
reads them with tifffile and reports its series axes, shape, dtype, values
sha256, and the OME-XML's DimensionOrder, sizes, physical sizes, units and
channel names as tifffile parses them; committed as
tests/fixtures/io/ome/tifffile_ome_readback.json and checked (and, where this
python3 has tifffile, re-run live) by tests/io_ome_tiff_test.ts.

Usage (from the repository root):
    /usr/bin/python3 scripts/verify_tiff_with_tifffile.py > tests/fixtures/io/tifffile_readback.json
    /usr/bin/python3 scripts/verify_tiff_with_tifffile.py --ome > tests/fixtures/io/ome/tifffile_ome_readback.json
"""

import hashlib
import json
import os
import subprocess
import sys
import tempfile

import numpy
import tifffile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FIXTURES = os.path.join(ROOT, "tests", "fixtures", "io")
SAMPLES = os.path.join(FIXTURES, "tiff_samples.ts")
OME_SAMPLES = os.path.join(FIXTURES, "ome", "ome_samples.ts")


def ramp(shape, dtype, scale):
    """Deterministic values covering the type's range: i * scale, wrapped to the type."""
    values = numpy.arange(numpy.prod(shape), dtype=numpy.float64) * scale
    if numpy.dtype(dtype).kind == "f":
        return numpy.sin(values).astype(dtype).reshape(shape) * 1000
    info = numpy.iinfo(dtype)
    wrapped = numpy.mod(values, float(info.max) - float(info.min) + 1) + float(info.min)
    return wrapped.astype(dtype).reshape(shape)


# name: (array, axes, tifffile write keywords)
STRIP_FIXTURES = {
    "strips_u16_zyx_le.tif": (ramp((3, 23, 17), "uint16", 7919), "ZYX", {"rowsperstrip": 5}),
    "strips_f32_zyx_be.tif": (ramp((2, 11, 9), "float32", 0.37), "ZYX", {"rowsperstrip": 4, "byteorder": ">"}),
    "strips_f64_yx_be.tif": (ramp((9, 6), "float64", 1.3), "YX", {"rowsperstrip": 2, "byteorder": ">"}),
    "strips_i8_zyx.tif": (ramp((2, 7, 5), "int8", 11), "ZYX", {"rowsperstrip": 3}),
    "strips_i16_yx_be.tif": (ramp((9, 8), "int16", 9973), "YX", {"rowsperstrip": 2, "byteorder": ">"}),
    "strips_i32_yx.tif": (ramp((5, 4), "int32", 123456789), "YX", {"rowsperstrip": 2}),
    "strips_u32_zyx_be.tif": (ramp((2, 5, 6), "uint32", 987654321), "ZYX", {"rowsperstrip": 3, "byteorder": ">"}),
    "strips_u16_zsyx_planar_be.tif": (
        ramp((2, 3, 10, 7), "uint16", 4099),
        "ZSYX",
        {"rowsperstrip": 3, "byteorder": ">", "photometric": "rgb", "planarconfig": "separate"},
    ),
    "strips_u8_yxs_contig.tif": (
        ramp((13, 11, 3), "uint8", 29),
        "YXS",
        {"rowsperstrip": 4, "photometric": "rgb", "planarconfig": "contig"},
    ),
}


def sha256_little_endian(values):
    little = numpy.ascontiguousarray(values).astype(values.dtype.newbyteorder("<"), copy=False)
    return hashlib.sha256(little.tobytes()).hexdigest()


def write_strip_fixtures():
    report = {}
    for name, (values, axes, keywords) in STRIP_FIXTURES.items():
        path = os.path.join(FIXTURES, name)
        keywords = {"photometric": "minisblack", **keywords}
        tifffile.imwrite(path, values, metadata={"axes": axes}, **keywords)
        with tifffile.TiffFile(path) as tif:
            page = tif.pages[0]
            read = tif.series[0].asarray()
            assert numpy.array_equal(read, values, equal_nan=True), name
            report[name] = {
                "shape": list(values.shape),
                "axes": axes,
                "dtype": str(values.dtype),
                "byteorder": "big" if tif.byteorder == ">" else "little",
                "pages": len(tif.pages),
                "rows_per_strip": int(page.rowsperstrip),
                "strips_per_page": len(page.dataoffsets),
                "planarconfig": int(page.planarconfig),
                "sha256_of_c_order_little_endian_values": sha256_little_endian(values),
                "first_values": values.reshape(-1)[:4].tolist(),
            }
    return report


def describe(path):
    with tifffile.TiffFile(path) as tif:
        series = tif.series[0]
        values = series.asarray()
        page = tif.pages[0]
        return {
            "is_imagej": tif.is_imagej,
            "shape": list(values.shape),
            "axes": series.axes,
            "dtype": str(values.dtype),
            "pages": len(tif.pages),
            "imagej_metadata": tif.imagej_metadata,
            "x_resolution": list(page.tags["XResolution"].value) if "XResolution" in page.tags else None,
            "y_resolution": list(page.tags["YResolution"].value) if "YResolution" in page.tags else None,
            "resolution_unit": int(page.tags["ResolutionUnit"].value) if "ResolutionUnit" in page.tags else None,
            "sha256_of_c_order_little_endian_values": sha256_little_endian(values),
        }


def ome_pixels(tif):
    """What the OME-XML of `tif` says of its first Image, as tifffile parses it."""
    image = tifffile.xml2dict(tif.ome_metadata)["OME"]["Image"]
    pixels = (image[0] if isinstance(image, list) else image)["Pixels"]
    channels = pixels.get("Channel", [])
    channels = channels if isinstance(channels, list) else [channels]
    keys = ["DimensionOrder", "Type", "SizeX", "SizeY", "SizeZ", "SizeC", "SizeT", "PhysicalSizeX",
            "PhysicalSizeXUnit", "PhysicalSizeY", "PhysicalSizeYUnit", "PhysicalSizeZ", "PhysicalSizeZUnit",
            "TimeIncrement", "TimeIncrementUnit"]
    return {
        "is_ome": tif.is_ome,
        "ome_images": len(image) if isinstance(image, list) else 1,
        "ome_pixels": {key: pixels[key] for key in keys if key in pixels},
        "ome_channel_names": [channel.get("Name") for channel in channels],
    }


def describe_ome(path):
    with tifffile.TiffFile(path) as tif:
        series = tif.series[0]
        values = series.asarray()
        return {
            "axes": series.axes,
            "shape": list(values.shape),
            "dtype": str(values.dtype),
            "pages": len(tif.pages),
            "sha256_of_c_order_little_endian_values": sha256_little_endian(values),
            **ome_pixels(tif),
        }


def write_samples(script, folder):
    subprocess.run(["deno", "run", "--allow-read=" + folder, "--allow-write=" + folder, script, folder], check=True,
                   cwd=ROOT)


def main():
    if sys.argv[1:] == ["--ome"]:
        with tempfile.TemporaryDirectory() as folder:
            write_samples(OME_SAMPLES, folder)
            report = {
                "tifffile_version": tifffile.__version__,
                "files": {name: describe_ome(os.path.join(folder, name)) for name in sorted(os.listdir(folder))},
            }
        json.dump(report, sys.stdout, indent=2, sort_keys=True, ensure_ascii=False)
        sys.stdout.write("\n")
        return
    with tempfile.TemporaryDirectory() as folder:
        write_samples(SAMPLES, folder)
        report = {
            "tifffile_version": tifffile.__version__,
            "files": {name: describe(os.path.join(folder, name)) for name in sorted(os.listdir(folder))},
            "strip_fixtures": write_strip_fixtures(),
        }
    json.dump(report, sys.stdout, indent=2, sort_keys=True, ensure_ascii=False)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
