/**
 * Private: 3×3 eigenvalues of per-voxel tensor entries on the WebAssembly
 * SIMD kernel, chunk by chunk, with the voxels it flags finished by the
 * scalar `eigenvalues3` (which gives the same float64 results elsewhere).
 *
 * @module
 */

import { SimdArena, type SimdKernels } from "../wasm/_simd_kernels.ts";
import { eigenvalues3 } from "./_symmetric_eigenvalues.ts";

/** Voxels per chunk copied into the kernels' memory: 6 + 3 arrays of 2^14 values. */
const CHUNK = 1 << 14;

type Floats = Float64Array | Float32Array;

/**
 * Recomputes with the scalar path each voxel i < count whose flag is set:
 * entries `entries[e][i]`, results to `out[at + i + k·stride]`.
 */
export function finishFlagged(
  entries: readonly Floats[],
  flags: Uint8Array,
  count: number,
  out: Floats,
  at: number,
  stride: number,
): void {
  for (let i = 0; i < count; i++) {
    if (flags[i] === 0) continue;
    eigenvalues3(
      entries.map((entry) => entry.subarray(i, i + 1)),
      1,
      out,
      at + i,
      stride,
    );
  }
}

/**
 * Eigenvalues of voxels [from, to) of the six entries (all float64, or all
 * float32 with a float32 `out`), decreasing, to `out[k·stride + i]`.
 */
export function eigenvalues3Simd(
  kernels: SimdKernels,
  entries: readonly Floats[],
  from: number,
  to: number,
  out: Floats,
  stride: number,
): void {
  const float32 = entries[0] instanceof Float32Array;
  const bytes = float32 ? 4 : 8;
  const kernel = float32
    ? kernels.eigenvaluesOf3x32
    : kernels.eigenvaluesOf3x64;
  const arena = new SimdArena(kernels);
  const sources = entries.map(() => arena.take(CHUNK * bytes));
  const targets = [0, 1, 2].map(() => arena.take(CHUNK * bytes));
  const sourceTable = arena.take(4 * 6);
  const targetTable = arena.take(4 * 3);
  const flags = arena.take(CHUNK);
  const pair = arena.take(48);
  const views = arena.commit();
  const data = float32 ? views.f32 : views.f64;
  views.i32.set(sources, sourceTable / 4);
  views.i32.set(targets, targetTable / 4);
  for (let start = from; start < to; start += CHUNK) {
    const count = Math.min(CHUNK, to - start);
    entries.forEach((entry, e) =>
      data.set(entry.subarray(start, start + count), sources[e] / bytes)
    );
    views.u8.fill(0, flags, flags + count);
    const flagged = kernel(sourceTable, count, targetTable, flags, pair);
    targets.forEach((target, k) =>
      out.set(
        data.subarray(target / bytes, target / bytes + count),
        k * stride + start,
      )
    );
    if (flagged > 0) {
      finishFlagged(
        entries.map((entry) => entry.subarray(start, start + count)),
        views.u8.subarray(flags, flags + count),
        count,
        out,
        start,
        stride,
      );
    }
  }
}
