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
import { ndarray } from "../lib/deps.ts";
import { structureTensorEigenvaluesTiff } from "../lib/chunked/structure_tensor_eigenvalues_tiff.ts";
import {
  structureTensorEigenvalues,
  structureTensorEigenvaluesAsync,
} from "../lib/feature/structure_tensor_eigenvalues.ts";
import { structureTensorEigenvectorsAsync } from "../lib/feature/structure_tensor_eigenvectors.ts";
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

Deno.test("the async eigen forms hand back the shared copies of entries they make", async () => {
  const shape = [4, 16, 16];
  const entry = (seed: number) =>
    ndarray(
      Float64Array.from({ length: 4 * 16 * 16 }, (_, i) => Math.sin(i * seed)),
      shape,
    );
  const entries = [1, 0.1, 0.2, 2, 0.3, 3].map(entry);
  const expected = structureTensorEigenvalues(entries);
  // Warm: the first calls allocate the copies (and their outputs).
  await structureTensorEigenvaluesAsync(entries);
  await structureTensorEigenvectorsAsync(entries);
  const before = sharedBuffersAllocated();
  for (let call = 0; call < 5; call++) {
    const eigen = await structureTensorEigenvaluesAsync(entries);
    assertEquals(Array.from(eigen.data), Array.from(expected.data));
    await structureTensorEigenvectorsAsync(entries);
  }
  // Only the outputs are new: one per call and form; the six copies are reused.
  assertEquals(sharedBuffersAllocated() - before, 10);
  // The caller's entries are untouched.
  assertEquals(entries[0].get(1, 2, 3), Math.sin((1 * 256 + 2 * 16 + 3) * 1));
});

Deno.test("structureTensorEigenvaluesTiff hands its block buffers back: a second volume reuses them", async () => {
  await withTempDir(async (dir) => {
    await writeTiff(`${dir}/in.tif`, testVolume([12, 48, 40]), { axes: "ZYX" });
    const options = { sigma: 1, blockPlanes: 4, threads: 2 };
    await structureTensorEigenvaluesTiff(
      `${dir}/in.tif`,
      `${dir}/a.tif`,
      options,
    );
    const before = sharedBuffersAllocated();
    await structureTensorEigenvaluesTiff(
      `${dir}/in.tif`,
      `${dir}/b.tif`,
      options,
    );
    assertEquals(sharedBuffersAllocated() - before, 0);
    assertEquals(
      await Deno.readFile(`${dir}/b.tif`).then((b) => b.length),
      await Deno.readFile(`${dir}/a.tif`).then((b) => b.length),
    );
  });
});
