/**
 * stria's TIFF code against a third-party implementation, tifffile, through
 * tests/fixtures/io/tifffile_readback.json (printed by
 * scripts/verify_tiff_with_tifffile.py):
 *
 * - "files": what tifffile read from the files writeTiff wrote for the arrays of
 *   tests/fixtures/io/tiff_samples.ts. Writing the same arrays again must give
 *   files that stria reads with the same shape, axes, dtype, values (sha256) and
 *   ImageJ metadata as tifffile saw.
 * - "strip_fixtures": files tifffile wrote (tests/fixtures/io/strips_*.tif),
 *   uncompressed in several strips, both byte orders, every sample type; stria
 *   must decode them to the values tifffile wrote.
 */

import { deepStrictEqual as assertEquals } from "node:assert/strict";
import { readTiff, writeTiff } from "../lib/io/mod.ts";
import { tiffSamples } from "./fixtures/io/tiff_samples.ts";
import { sha256 } from "./_sha256.ts";

interface TifffileView {
  is_imagej: boolean;
  shape: number[];
  axes: string;
  dtype: string;
  pages: number;
  imagej_metadata: Record<string, string | number | boolean>;
  x_resolution: [number, number] | null;
  y_resolution: [number, number] | null;
  resolution_unit: number | null;
  sha256_of_c_order_little_endian_values: string;
}

interface StripFixture {
  shape: number[];
  axes: string;
  dtype: string;
  byteorder: "little" | "big";
  pages: number;
  rows_per_strip: number;
  strips_per_page: number;
  planarconfig: number;
  sha256_of_c_order_little_endian_values: string;
  first_values: number[];
}

const readback: {
  tifffile_version: string;
  files: Record<string, TifffileView>;
  strip_fixtures: Record<string, StripFixture>;
} = JSON.parse(
  await Deno.readTextFile(
    new URL("./fixtures/io/tifffile_readback.json", import.meta.url),
  ),
);

Deno.test("tifffile read every sample file as an ImageJ hyperstack", () => {
  const samples = tiffSamples().map((sample) => sample.file).sort();
  assertEquals(Object.keys(readback.files).sort(), samples);
  for (const view of Object.values(readback.files)) {
    assertEquals(view.is_imagej, true);
  }
});

for (const sample of tiffSamples()) {
  Deno.test(`writeTiff ${sample.file}: stria reads what tifffile read`, async () => {
    const expected = readback.files[sample.file];
    const folder = await Deno.makeTempDir({ prefix: "stria_io_" });
    try {
      const path = `${folder}/${sample.file}`;
      await writeTiff(path, sample.data, {
        axes: sample.axes,
        metadata: sample.metadata,
      });
      const image = await readTiff(path);
      assertEquals(image.data.shape, expected.shape);
      assertEquals(image.axes, expected.axes);
      assertEquals(image.metadata.dtype, expected.dtype);
      assertEquals(image.metadata.pageCount, expected.pages);
      assertEquals(
        sha256(image.data.data),
        expected.sha256_of_c_order_little_endian_values,
      );
      // tifffile 2023.2.3 leaves the unit escaped; stria unescapes it (\u00b5m -> µm).
      const unescaped = Object.fromEntries(
        Object.entries(expected.imagej_metadata).map(([key, value]) => [
          key,
          typeof value === "string" ? JSON.parse(`"${value}"`) : value,
        ]),
      );
      assertEquals(image.metadata.imagej, unescaped);
      if (expected.x_resolution && expected.y_resolution) {
        const [xNumerator, xDenominator] = expected.x_resolution;
        const [yNumerator, yDenominator] = expected.y_resolution;
        assertEquals(image.metadata.physicalSizes.X, xDenominator / xNumerator);
        assertEquals(image.metadata.physicalSizes.Y, yDenominator / yNumerator);
        const units = { 1: "none", 2: "inch", 3: "centimeter" } as const;
        assertEquals(
          image.metadata.resolution?.unit,
          units[expected.resolution_unit as 1 | 2 | 3],
        );
      } else {
        assertEquals(image.metadata.resolution, undefined);
      }
    } finally {
      await Deno.remove(folder, { recursive: true });
    }
  });
}

for (const [file, expected] of Object.entries(readback.strip_fixtures)) {
  Deno.test(`readTiff decodes tifffile's ${file} (${expected.strips_per_page} strips per page)`, async () => {
    const image = await readTiff(
      new URL(`./fixtures/io/${file}`, import.meta.url),
    );
    assertEquals(image.data.shape, expected.shape);
    assertEquals(image.axes, expected.axes);
    assertEquals(image.data.dtype, expected.dtype);
    assertEquals(image.metadata.byteOrder, expected.byteorder);
    assertEquals(image.metadata.pageCount, expected.pages);
    assertEquals(
      image.metadata.planarConfiguration,
      expected.planarconfig === 2 ? "separate" : "contig",
    );
    assertEquals(
      Array.from(image.data.data.subarray(0, 4)),
      expected.first_values,
    );
    assertEquals(
      sha256(image.data.data),
      expected.sha256_of_c_order_little_endian_values,
    );
  });
}
