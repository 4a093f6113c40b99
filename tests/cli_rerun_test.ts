/**
 * A rerun of a finished task (review of issue 15): it is skipped at once,
 * without opening the input, only when its command line asks for what the
 * store holds. A rerun with another `--block-planes` (another chunk layout)
 * or another `--tile` (tiles given as stored, or larger than the plane,
 * which clips them, are the same) is refused as a new task of that layout
 * would be, not reported "already done".
 */

import {
  deepStrictEqual as assertEquals,
  ok as assert,
} from "node:assert/strict";
import { writeTiff } from "../lib/io/write_tiff.ts";
import { striaInProcess, testVolume, withTempDir } from "./_cli_run.ts";

/** Runs task 0 of `tasks` of the default analysis of `dir/in.tif` into `out`, in this process. */
function taskZero(dir: string, out: string, tasks: number) {
  return (...options: string[]) =>
    striaInProcess([
      "analyze",
      `${dir}/in.tif`,
      out,
      "--tasks",
      String(tasks),
      "--task",
      "0",
      ...options,
    ]);
}

Deno.test("a finished task is skipped only for the store's own chunk layout", async () => {
  await withTempDir(async (dir) => {
    await writeTiff(`${dir}/in.tif`, testVolume([20, 8, 8]), { axes: "ZYX" });
    const out = `${dir}/out.zarr`;
    const task = taskZero(dir, out, 2);
    assertEquals((await task()).code, 0);
    const root = JSON.parse(await Deno.readTextFile(`${out}/zarr.json`));
    assertEquals(root.attributes.stria.chunkPlanes, 10);
    const before = await Deno.readTextFile(`${out}/zarr.json`);

    // The same layout, given or by default: skipped without the input.
    await Deno.rename(`${dir}/in.tif`, `${dir}/away.tif`);
    for (const options of [[], ["--block-planes", "10"]]) {
      const again = await task(...options);
      assertEquals(
        [again.code, again.stdout, again.stderr],
        [0, "block 0 of 2 already done", ""],
        options.join(" "),
      );
    }
    await Deno.rename(`${dir}/away.tif`, `${dir}/in.tif`);

    // Chunks of 5 planes: another layout, refused as a new task of it is.
    const other = await task("--block-planes", "5");
    assertEquals(other.code, 1, other.stdout);
    assert(
      other.stderr.startsWith(
        `stria: analyze: ${out}: holds another analysis`,
      ) &&
        other.stderr.includes("chunkPlanes"),
      other.stderr,
    );
    assertEquals(await Deno.readTextFile(`${out}/zarr.json`), before);
  });
});

Deno.test("a finished task of a tiled store is skipped only for the store's own tiles", async () => {
  await withTempDir(async (dir) => {
    await writeTiff(`${dir}/in.tif`, testVolume([8, 64, 80]), { axes: "ZYX" });
    const out = `${dir}/out.zarr`;
    const task = taskZero(dir, out, 4);
    // Four tiles of one slab, each a column band of whole rows.
    const first = await task("--tile", "64,20");
    assertEquals(first.code, 0, first.stderr);
    const before = await Deno.readTextFile(`${out}/zarr.json`);

    // The same tiles, as given or clipped to the plane: skipped without
    // the input.
    await Deno.rename(`${dir}/in.tif`, `${dir}/away.tif`);
    for (const tile of ["64,20", "1000,20"]) {
      const again = await task("--tile", tile);
      assertEquals(
        [again.code, again.stdout, again.stderr],
        [0, "block 0 of 4 already done", ""],
        tile,
      );
    }

    await Deno.rename(`${dir}/away.tif`, `${dir}/in.tif`);

    // Four slabs of whole planes, and tiles of another shape: other layouts
    // of four blocks, refused as a new task of them is.
    for (const options of [[], ["--tile", "32,40"]]) {
      const other = await task(...options);
      assertEquals(other.code, 1, `${options.join(" ")}: ${other.stdout}`);
      assert(
        other.stderr.startsWith(
          `stria: analyze: ${out}: holds another analysis`,
        ) && other.stderr.includes("blocks"),
        other.stderr,
      );
    }
    assertEquals(await Deno.readTextFile(`${out}/zarr.json`), before);
  });
});
