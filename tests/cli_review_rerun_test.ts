/**
 * A rerun of a finished task (review of issue 15): it is skipped at once,
 * without opening the input, only when its command line asks for what the
 * store holds; a rerun with another `--block-planes` (another chunk layout)
 * is refused as a new task of it would be, not reported "already done".
 */

import {
  deepStrictEqual as assertEquals,
  ok as assert,
} from "node:assert/strict";
import { writeTiff } from "../lib/io/write_tiff.ts";
import { striaInProcess, testVolume, withTempDir } from "./_cli_run.ts";

Deno.test("a finished task is skipped only for the store's own chunk layout", async () => {
  await withTempDir(async (dir) => {
    await writeTiff(`${dir}/in.tif`, testVolume([20, 8, 8]), { axes: "ZYX" });
    const out = `${dir}/out.zarr`;
    const task = (...options: string[]) =>
      striaInProcess([
        "analyze",
        `${dir}/in.tif`,
        out,
        "--tasks",
        "2",
        "--task",
        "0",
        ...options,
      ]);
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
