/**
 * lib/parallel/_shared_buffers.ts: released SharedArrayBuffers come back,
 * zeroed, for requests they hold (at most twice their size); others are
 * ignored; at most 16 are kept. And `stria analyze --threads 2` over many
 * steps allocates a bounded number of them, whatever the step count.
 */

import {
  deepStrictEqual as assertEquals,
  ok as assert,
} from "node:assert/strict";
import {
  releaseShared,
  sharedBuffer,
  sharedBuffersAllocated,
} from "../lib/parallel/_shared_buffers.ts";
import { writeTiff } from "../lib/io/write_tiff.ts";
import { striaInProcess, testVolume, withTempDir } from "./_cli_run.ts";

Deno.test("sharedBuffer reuses released buffers that fit, zeroed; releaseShared keeps the 16 most recent", () => {
  const big = sharedBuffer(1000);
  new Uint8Array(big).fill(9);
  releaseShared(big, new ArrayBuffer(1000));
  // Too large for a request of 400 (more than twice), fits 600.
  const small = sharedBuffer(400);
  assert(small !== big && small.byteLength === 400);
  const again = sharedBuffer(600);
  assert(again === big);
  assertEquals(new Uint8Array(again, 0, 600).every((v) => v === 0), true);
  assertEquals(new Uint8Array(again)[700], 9, "beyond the request: untouched");
  // Released twice counts once.
  releaseShared(again, again);
  assert(sharedBuffer(1000) === again);
  assert(sharedBuffer(1000) !== again);
  // Seventeen released: the oldest is dropped.
  const many = Array.from({ length: 17 }, () => sharedBuffer(3000));
  releaseShared(...many);
  const back = new Set(Array.from({ length: 17 }, () => sharedBuffer(3000)));
  assert(!back.has(many[0]));
  for (const buffer of many.slice(1)) assert(back.has(buffer));
});

Deno.test("analyze --threads 2: SharedArrayBuffers allocated once for all steps, not per step", async () => {
  await withTempDir(async (dir) => {
    await writeTiff(`${dir}/in.tif`, testVolume([24, 64, 80]), { axes: "ZYX" });
    const run = async (name: string, options: string[]) => {
      const before = sharedBuffersAllocated();
      const result = await striaInProcess([
        "analyze",
        `${dir}/in.tif`,
        `${dir}/${name}.zarr`,
        "--threads",
        "2",
        "--outputs",
        "eigenvalues,fa",
        ...options,
      ]);
      assertEquals([result.code, result.stderr], [0, ""]);
      return sharedBuffersAllocated() - before;
    };
    // 12 steps of whole planes; 6 slabs x 4 tiles, uneven windows.
    const planes = await run("planes", ["--block-planes", "2"]);
    const tiles = await run("tiles", [
      "--block-planes",
      "4",
      "--tile",
      "32,40",
    ]);
    // Per run: the reserved eigenvalues, FA and input copy, and at most a
    // few more; one per step and array would be 36 and 72.
    assert(planes <= 6, `whole planes: ${planes} allocated`);
    assert(tiles <= 6, `tiles: ${tiles} allocated`);
  });
});
