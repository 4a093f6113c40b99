#!/usr/bin/python3
"""Write small OME-TIFF fixtures with tifffile, the third-party OME writer, and
a manifest of what tifffile reads back from each.

Files (tests/fixtures/io/ome/): a ZCYX stack of 2 named channels with
PhysicalSizeX/Y/Z in µm (the case of issue 12); TZCYX with a TimeIncrement in
ms; CZYX float32 with sizes in nm; a 3-sample RGB ZYXS stack; a file whose
OME-XML puts its second channel in another file (a multi-file set); a file of
two Images (series); a pyramid whose reduced levels are SubIFDs.

For each, manifest.json records tifffile's reading of the first series (axes,
shape, dtype, sha256 of the values in C order as little-endian bytes), the
physical sizes and channel names of the OME-XML as tifffile parses it
(`tifffile.xml2dict(tif.ome_metadata)`), and what stria must return or the
error it must give. tests/io_ome_tiff_test.ts reads every fixture.

Usage (from the repository root):
    /usr/bin/python3 scripts/make_ome_fixtures.py
"""

import json
import os
import sys

import numpy
import tifffile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from verify_tiff_with_tifffile import ramp, sha256_little_endian, ome_pixels  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "tests", "fixtures", "io", "ome")

# name: (array, tifffile metadata, imwrite keywords, what stria must read: axes or an error substring)
SINGLE_IMAGES = {
    "zcyx_2ch_um.ome.tif": (
        ramp((6, 2, 32, 24), "uint16", 7919),
        {"axes": "ZCYX", "PhysicalSizeX": 0.65, "PhysicalSizeY": 0.65, "PhysicalSizeZ": 2.0,
         "PhysicalSizeXUnit": "µm", "PhysicalSizeYUnit": "µm", "PhysicalSizeZUnit": "µm",
         "Channel": {"Name": ["DAPI", "GFP"]}},
        {},
        {"axes": "ZCYX"},
    ),
    "tzcyx_ms.ome.tif": (
        ramp((3, 4, 2, 10, 12), "uint8", 29),
        {"axes": "TZCYX", "TimeIncrement": 250.0, "TimeIncrementUnit": "ms",
         "PhysicalSizeX": 1.5, "PhysicalSizeY": 1.5, "PhysicalSizeZ": 3.0},
        {},
        {"axes": "TZCYX"},
    ),
    "czyx_nm_f32.ome.tif": (
        ramp((3, 4, 9, 11), "float32", 0.37),
        {"axes": "CZYX", "PhysicalSizeX": 120.0, "PhysicalSizeXUnit": "nm", "PhysicalSizeY": 120.0,
         "PhysicalSizeYUnit": "nm", "PhysicalSizeZ": 350.0, "PhysicalSizeZUnit": "nm",
         "Channel": {"Name": ["red", "green", "blue & co"]}},
        {},
        {"axes": "CZYX"},
    ),
    "zyxs_rgb.ome.tif": (
        ramp((3, 14, 15, 3), "uint8", 31),
        {"axes": "ZYXS", "PhysicalSizeX": 0.2, "PhysicalSizeY": 0.2},
        {"photometric": "rgb"},
        {"axes": "ZYXS"},
    ),
}

MULTI_FILE_XML = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<OME xmlns="http://www.openmicroscopy.org/Schemas/OME/2016-06" '
    'UUID="urn:uuid:00000000-0000-4000-8000-000000000001">'
    '<Image ID="Image:0"><Pixels ID="Pixels:0" DimensionOrder="XYZCT" Type="uint16" '
    'SizeX="8" SizeY="6" SizeZ="2" SizeC="2" SizeT="1">'
    '<Channel ID="Channel:0:0" SamplesPerPixel="1"/><Channel ID="Channel:0:1" SamplesPerPixel="1"/>'
    '<TiffData IFD="0" PlaneCount="2"><UUID FileName="set_part1.ome.tif">'
    "urn:uuid:00000000-0000-4000-8000-000000000001</UUID></TiffData>"
    '<TiffData IFD="0" PlaneCount="2" FirstC="1"><UUID FileName="set_part2.ome.tif">'
    "urn:uuid:00000000-0000-4000-8000-000000000002</UUID></TiffData>"
    "</Pixels></Image></OME>"
)


def describe(path, expected):
    with tifffile.TiffFile(path) as tif:
        series = tif.series[0]
        values = series.asarray()
        entry = {
            "tifffile_axes": series.axes,
            "shape": list(values.shape),
            "dtype": str(values.dtype),
            "pages": len(tif.pages),
            "series": len(tif.series),
            "sha256_of_c_order_little_endian_values": sha256_little_endian(values),
            **ome_pixels(tif),
            "stria": expected,
        }
        return entry


def main():
    os.makedirs(OUT, exist_ok=True)
    manifest = {"tifffile_version": tifffile.__version__, "files": {}}
    for name, (values, metadata, keywords, expected) in SINGLE_IMAGES.items():
        path = os.path.join(OUT, name)
        tifffile.imwrite(path, values, ome=True, metadata=metadata, **{"photometric": "minisblack", **keywords})
        manifest["files"][name] = describe(path, expected)

    name = "multi_file_part1.ome.tif"
    path = os.path.join(OUT, name)
    tifffile.imwrite(path, ramp((2, 6, 8), "uint16", 13), description=MULTI_FILE_XML, metadata=None,
                     photometric="minisblack")
    manifest["files"][name] = describe(path, {"error": 'another file, "set_part2.ome.tif"'})

    name = "two_series.ome.tif"
    path = os.path.join(OUT, name)
    with tifffile.TiffWriter(path, ome=True) as tif:
        tif.write(ramp((3, 16, 16), "uint16", 101), photometric="minisblack",
                  metadata={"axes": "ZYX", "PhysicalSizeZ": 1.25})
        tif.write(ramp((2, 16, 16), "uint16", 57), photometric="minisblack", metadata={"axes": "CYX"})
    manifest["files"][name] = describe(path, {"axes": "ZYX", "images": 2})

    name = "pyramid_subifds.ome.tif"
    path = os.path.join(OUT, name)
    full = ramp((2, 32, 32), "uint16", 211)
    with tifffile.TiffWriter(path, ome=True) as tif:
        tif.write(full, subifds=1, photometric="minisblack", metadata={"axes": "ZYX", "PhysicalSizeX": 0.5,
                                                                       "PhysicalSizeY": 0.5})
        tif.write(full[:, ::2, ::2], subfiletype=1, photometric="minisblack")
    manifest["files"][name] = describe(path, {"axes": "ZYX"})

    with open(os.path.join(OUT, "manifest.json"), "w", encoding="utf-8") as out:
        json.dump(manifest, out, indent=2, sort_keys=True, ensure_ascii=False)
        out.write("\n")


if __name__ == "__main__":
    main()
