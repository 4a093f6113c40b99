/**
 * Private: 3×3 eigenvalues and eigenvectors of per-voxel tensor entries on
 * the WebAssembly SIMD kernels, chunk by chunk, with the voxels they flag
 * finished by the scalar `eigenvalues3` and `eigenvectors3` (which give the
 * same float64 results elsewhere).
 *
 * @module
 */

import { SimdArena, type SimdKernels } from "../wasm/_simd_kernels.ts";
import { eigenvalues3 } from "./_symmetric_eigenvalues.ts";
import { eigenvectors3 } from "./_symmetric_eigenvectors.ts";
import { stackViews } from "./_eigenvalue_input.ts";

/** Voxels per chunk copied into the kernels' memory: 6 + 3 (+ 9) arrays of 2^14 values. */
const CHUNK = 1 << 14;

type Floats = Float64Array | Float32Array;

/**
 * Recomputes with the scalar path each voxel i < count whose flag is set,
 * from its entries `entries[e][i]`: its eigenvalues to `values[k][i]` and,
 * unless `vectors` is null, its eigenvectors to `vectors[3r + c][i]`.
 */
export function finishFlagged(
  entries: readonly Floats[],
  flags: Uint8Array,
  count: number,
  values: readonly Floats[],
  vectors: readonly Floats[] | null,
): void {
  // Gathered, solved in one call (a per-voxel call costs more than its arithmetic), scattered back.
  const voxels: number[] = [];
  for (let i = 0; i < count; i++) if (flags[i] !== 0) voxels.push(i);
  const m = voxels.length;
  const gathered = entries.map((entry) =>
    Float64Array.from(voxels, (i) => entry[i])
  );
  const solvedValues = new Float64Array(3 * m);
  eigenvalues3(gathered, m, solvedValues);
  const ranks = stackViews(solvedValues, 3, m);
  ranks.forEach((rank, k) => voxels.forEach((i, j) => values[k][i] = rank[j]));
  if (vectors === null) return;
  const solvedVectors = stackViews(new Float64Array(9 * m), 9, m);
  eigenvectors3(gathered, m, ranks, solvedVectors);
  solvedVectors.forEach((component, c) =>
    voxels.forEach((i, j) => vectors[c][i] = component[j])
  );
}

/**
 * Eigenvalues (unless `values` is null) and, with `vectors`, eigenvectors of voxels [from, to) of
 * the six entries (all float64, or all float32 with float32 outputs):
 * decreasing values to `values[k][i]`, component c of rank r's unit vector
 * to `vectors[3r + c][i]`.
 */
export function symmetric3Simd(
  kernels: SimdKernels,
  entries: readonly Floats[],
  from: number,
  to: number,
  values: readonly Floats[] | null,
  vectors: readonly Floats[] | null,
): void {
  const float32 = entries[0] instanceof Float32Array;
  const bytes = float32 ? 4 : 8;
  const eigenvalues = float32
    ? kernels.eigenvaluesOf3x32
    : kernels.eigenvaluesOf3x64;
  const eigenvectors = float32
    ? kernels.eigenvectorsOf3x32
    : kernels.eigenvectorsOf3x64;
  const arena = new SimdArena(kernels);
  const block = () => arena.take(CHUNK * bytes);
  const sources = entries.map(block);
  const targets = [0, 1, 2].map(block);
  const vectorTargets = vectors === null ? [] : vectors.map(block);
  const sourceTable = arena.take(4 * 6);
  const targetTable = arena.take(4 * 3);
  const vectorTable = arena.take(4 * 9);
  const flags = arena.take(CHUNK);
  const scratch = arena.take(kernels.EIGEN_SCRATCH_BYTES.value);
  const views = arena.commit();
  const data = float32 ? views.f32 : views.f64;
  views.i32.set(sources, sourceTable / 4);
  views.i32.set(targets, targetTable / 4);
  views.i32.set(vectorTargets, vectorTable / 4);
  const view = (address: number, count: number) =>
    data.subarray(address / bytes, address / bytes + count);
  for (let start = from; start < to; start += CHUNK) {
    const count = Math.min(CHUNK, to - start);
    entries.forEach((entry, e) =>
      data.set(entry.subarray(start, start + count), sources[e] / bytes)
    );
    views.u8.fill(0, flags, flags + count);
    let flagged = eigenvalues(sourceTable, count, targetTable, flags, scratch);
    if (vectors !== null) {
      flagged += eigenvectors(
        sourceTable,
        count,
        targetTable,
        vectorTable,
        flags,
        scratch,
      );
    }
    const chunkValues = targets.map((at) => view(at, count));
    const chunkVectors = vectors === null
      ? null
      : vectorTargets.map((at) => view(at, count));
    if (flagged > 0) {
      finishFlagged(
        sources.map((at) => view(at, count)),
        views.u8.subarray(flags, flags + count),
        count,
        chunkValues,
        chunkVectors,
      );
    }
    chunkValues.forEach((chunk, k) => values?.[k].set(chunk, start));
    chunkVectors?.forEach((chunk, j) => vectors![j].set(chunk, start));
  }
}
