/**
 * readTiff against tifffile over the layouts a reader meets: the files of
 * tests/fixtures/io/layouts/ (made by scripts/make_tiff_layout_fixtures.py
 * with tifffile and libtiff's tiffcp) cover every pair of byte order,
 * strips or tiles, compression (with and without predictor), sample type and
 * gray, interleaved or planar RGB samples, plus scikit-image's
 * multipage_rgb.tif. readTiff must decode each to tifffile's values (sha256),
 * dtype, shape and axes; openTiffPlanes, which reads the file by ranges, must
 * read the planes of the gray ones to the same values.
 *
 * Axis letters: tifffile names a plain sequence of pages "I", and pages that a
 * non-JSON `shape=(...)` description groups "Q"; readTiff names both "Z" (see
 * readTiff's documentation). Every other letter must be the same.
 */

import {
  deepStrictEqual as assertEquals,
  ok as assert,
} from "node:assert/strict";
import { openTiffPlanes, readTiff } from "../lib/io/mod.ts";
import { sha256 } from "./_sha256.ts";

const LAYOUTS = new URL("./fixtures/io/layouts/", import.meta.url);

interface Decoded {
  axes: string;
  shape: number[];
  dtype: string;
  sha256_of_c_order_little_endian_values: string;
  pages: number;
  byteorder: "II" | "MM";
  tiled: boolean;
  compression: string;
  predictor: number;
  planarconfig: "CONTIG" | "SEPARATE";
  samplesperpixel: number;
  layout?: Record<string, string>;
}

const manifest: {
  factors: Record<string, string[]>;
  files: Record<string, Decoded>;
} = JSON.parse(await Deno.readTextFile(new URL("manifest.json", LAYOUTS)));

/** stria's letter for each tifffile axis letter that differs. */
const STRIA_AXIS: Readonly<Record<string, string>> = { I: "Z", Q: "Z" };

/** tifffile's compression names against stria's. */
const COMPRESSION: Readonly<Record<string, string>> = {
  NONE: "none",
  ADOBE_DEFLATE: "deflate",
  LZW: "lzw",
  PACKBITS: "packbits",
};

Deno.test("the layout fixtures cover every pair of factor values, and the two layouts issue 12 found failing", () => {
  const layouts = Object.values(manifest.files).flatMap((file) =>
    file.layout ? [file.layout] : []
  );
  const names = Object.keys(manifest.factors);
  const missing: string[] = [];
  for (const [i, a] of names.entries()) {
    for (const b of names.slice(i + 1)) {
      for (const x of manifest.factors[a]) {
        for (const y of manifest.factors[b]) {
          if (!layouts.some((layout) => layout[a] === x && layout[b] === y)) {
            missing.push(`${a}=${x} ${b}=${y}`);
          }
        }
      }
    }
  }
  assertEquals(missing, []);
  assertEquals(layouts.length, 40);
  assert("mm_tiles_none_int16_gray.tif" in manifest.files);
  assert("ii_strips_none_float64_planar.tif" in manifest.files);
  assert("skimage_multipage_rgb.tif" in manifest.files);
});

for (const [file, expected] of Object.entries(manifest.files)) {
  Deno.test(`readTiff decodes ${file} as tifffile does`, async () => {
    const image = await readTiff(new URL(file, LAYOUTS));
    const { metadata } = image;
    // The file is the layout its name says.
    assertEquals(
      [
        metadata.byteOrder,
        metadata.compressionName,
        metadata.predictor,
        metadata.samplesPerPixel,
        metadata.planarConfiguration,
        metadata.pageCount,
      ],
      [
        expected.byteorder === "MM" ? "big" : "little",
        COMPRESSION[expected.compression],
        expected.predictor,
        expected.samplesperpixel,
        expected.planarconfig === "SEPARATE" ? "separate" : "contig",
        expected.pages,
      ],
    );
    assertEquals(
      image.axes,
      [...expected.axes].map((axis) => STRIA_AXIS[axis] ?? axis).join(""),
    );
    assertEquals(image.data.shape, expected.shape);
    assertEquals(image.data.dtype, expected.dtype);
    assertEquals(metadata.dtype, expected.dtype);
    assertEquals(
      sha256(image.data.data),
      expected.sha256_of_c_order_little_endian_values,
    );
  });

  if (expected.samplesperpixel === 1) {
    Deno.test(`openTiffPlanes reads the planes of ${file} as tifffile does, and a box of them`, async () => {
      const reader = await openTiffPlanes(new URL(file, LAYOUTS));
      try {
        assertEquals(reader.shape, expected.shape);
        const planes = await reader.readPlanes(0, expected.pages);
        assertEquals(
          sha256(planes.data),
          expected.sha256_of_c_order_little_endian_values,
        );
        // A box inside: the same values, from the strips or tiles it overlaps.
        const [depth, height, width] = reader.shape;
        const box = await reader.readBox(
          [depth - 2, depth],
          [3, height - 2],
          [5, width - 4],
        );
        assertEquals(box.shape, [2, height - 5, width - 9]);
        for (let z = 0; z < 2; z++) {
          for (let y = 0; y < height - 5; y++) {
            for (let x = 0; x < width - 9; x++) {
              if (
                box.get(z, y, x) !== planes.get(depth - 2 + z, y + 3, x + 5)
              ) {
                throw new Error(`${file}: box (${z}, ${y}, ${x})`);
              }
            }
          }
        }
      } finally {
        reader.close();
      }
    });
  }
}
