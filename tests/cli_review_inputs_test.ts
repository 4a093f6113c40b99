/**
 * `stria analyze`'s input (review of issue 15): a time series (T > 1) as an
 * ImageJ TIFF, an OME-TIFF or an OME-Zarr image is refused with exit 2,
 * naming the file and its time points, and nothing is written (the plane
 * readers would otherwise take its frames as neighbouring slices, or its
 * first frame only); one time point is analysed as the volume it is.
 */

import {
  deepStrictEqual as assertEquals,
  ok as assert,
} from "node:assert/strict";
import { writeTiff } from "../lib/io/write_tiff.ts";
import { structureTensorAnalysis } from "../lib/feature/structure_tensor_analysis.ts";
import { readOmeZarrArrays, writeOmeZarr } from "../lib/zarr/mod.ts";
import { assertSameValues } from "./_same_values.ts";
import { striaInProcess, testVolume, withTempDir } from "./_cli_run.ts";

Deno.test("analyze refuses a time series in every input format, and analyses one time point", async () => {
  await withTempDir(async (dir) => {
    const series = testVolume([2, 6, 10, 12]);
    await writeTiff(`${dir}/imagej.tif`, series, { axes: "TZYX" });
    await writeTiff(`${dir}/ome.tif`, series, { axes: "TZYX", ome: true });
    await writeOmeZarr(`${dir}/series.zarr`, series, { axes: "TZYX" });
    for (
      const [name, axes] of [
        ["imagej.tif", "TZYX"],
        ["ome.tif", "TZYX"],
        ["series.zarr", "TZYX"],
      ]
    ) {
      const input = `${dir}/${name}`;
      const out = `${dir}/${name}.out.zarr`;
      const run = await striaInProcess(["analyze", input, out]);
      assertEquals(run.code, 2, `${name}: ${run.stderr}`);
      assertEquals(
        run.stderr,
        `stria: analyze: ${input}: has 2 time points (axes ${axes}); analyze takes one volume (Z, Y, X): write one time point to its own file\nUsage: stria analyze INPUT OUTPUT [options]\nRun "stria help" for usage.`,
      );
      let written = true;
      await Deno.stat(out).catch(() => written = false);
      assert(!written, `${name}: nothing written`);
    }

    // One time point: the volume itself.
    const one = series.hi(1, 6, 10, 12);
    await writeOmeZarr(`${dir}/one.zarr`, one, { axes: "TZYX" });
    const run = await striaInProcess([
      "analyze",
      `${dir}/one.zarr`,
      `${dir}/one.out.zarr`,
      "--outputs",
      "fa",
    ]);
    assertEquals([run.code, run.stderr], [0, ""]);
    const { arrays } = await readOmeZarrArrays(`${dir}/one.out.zarr`);
    const expected = structureTensorAnalysis(one.pick(0, null, null, null), {
      outputs: ["fractionalAnisotropy"],
    }).fractionalAnisotropy!;
    assertEquals(arrays.fractionalAnisotropy.shape, [6, 10, 12]);
    assertSameValues(
      arrays.fractionalAnisotropy.data,
      expected.data as ArrayLike<number>,
      "fractionalAnisotropy",
    );
  });
});
