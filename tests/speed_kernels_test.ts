/**
 * The SIMD kernels' speed-ups that must not change a bit: 16-bit integer
 * input converted by the kernel (also into float32), the derivatives
 * interleaved for the Z pass, and the eigen kernels' pseudo-maxima, which
 * must still send every voxel with a NaN entry to the scalar path.
 */

import assert from "node:assert/strict";
import fc from "fast-check";
import { assertSameValues } from "./_same_values.ts";
import { imgAsFloat, type NdArray, ndarray } from "../lib/array/mod.ts";
import { eigenvalues3 } from "../lib/feature/_symmetric_eigenvalues.ts";
import { eigenvectors3 } from "../lib/feature/_symmetric_eigenvectors.ts";
import { stackViews } from "../lib/feature/_eigenvalue_input.ts";
import { symmetric3Simd } from "../lib/feature/_symmetric_simd.ts";
import { computeTensorJob } from "../lib/feature/_tensor_kernel.ts";
import type { TensorJob } from "../lib/feature/_tensor_plan.ts";
import type { BoundaryMode } from "../lib/filters/mod.ts";
import { SimdArena, simdKernels } from "../lib/wasm/_simd_kernels.ts";

const kernels = simdKernels();

function requireKernels() {
  assert.ok(kernels !== null, "this runtime has WebAssembly SIMD");
  return kernels;
}

/** Seeded 16-bit noise over a smooth wave, signed or not. */
function volume16(
  shape: [number, number, number],
  seed: number,
  signed: boolean,
): NdArray<Uint16Array | Int16Array> {
  const size = shape[0] * shape[1] * shape[2];
  let state = seed >>> 0;
  const values = Array.from({ length: size }, (_, i) => {
    state = (state * 1664525 + 1013904223) >>> 0;
    const wave = Math.sin(i / 7) * (signed ? 30000 : 15000);
    return Math.round(wave + (signed ? 0 : 20000) + (state >>> 20) - 2048);
  });
  const data = signed
    ? Int16Array.from(values, (v) => Math.max(-32768, Math.min(32767, v)))
    : Uint16Array.from(values, (v) => Math.max(0, Math.min(65535, v)));
  return ndarray(data, shape);
}

/** The SIMD engine on one thread in float32, from the raw integers or from the float32 image. */
function float32Job(
  image: NdArray<Uint16Array | Int16Array>,
  raw: boolean,
  mode: BoundaryMode,
  bandVoxels: number | undefined,
): TensorJob {
  const shape = image.shape as [number, number, number];
  const size = image.data.length;
  const signed = image.data instanceof Int16Array;
  const job: TensorJob = {
    input: raw ? image.data : Float32Array.from(imgAsFloat(image).data),
    conversion: raw ? { scale: signed ? 1 / 32767 : 1 / 65535, signed } : null,
    shape,
    sigmas: [1, 1.5, 2.5],
    spacing: null,
    mode,
    cval: mode === "constant" ? 0.25 : 0,
    float32: true,
    simd: true,
    outputPlanes: [0, shape[0]],
    elements: Array.from({ length: 6 }, () => new Float32Array(size)),
    eigen: new Float32Array(3 * size),
    bandVoxels,
  };
  requireKernels();
  computeTensorJob(job);
  return job;
}

Deno.test("SIMD float32 mode: raw 16-bit input, converted by the kernel, gives what the float32 image gives, bit for bit, in bands of any size", () => {
  fc.assert(
    fc.property(
      fc.tuple(
        fc.integer({ min: 1, max: 6 }),
        fc.integer({ min: 1, max: 13 }),
        fc.integer({ min: 1, max: 37 }),
      ),
      fc.boolean(),
      fc.constantFrom<BoundaryMode>("reflect", "constant", "wrap"),
      fc.constantFrom(undefined, 1, 3),
      fc.integer(),
      (shape, signed, mode, bandRows, seed) => {
        const image = volume16(shape, seed, signed);
        const bandVoxels = bandRows === undefined
          ? undefined
          : bandRows * shape[2];
        // Whole planes against bands of rows: each voxel's sums are the
        // same however the plane is cut (vector tails fall elsewhere).
        const expected = float32Job(image, false, mode, undefined);
        const actual = float32Job(image, true, mode, bandVoxels);
        actual.elements!.forEach((entry, e) =>
          assertSameValues(entry, expected.elements![e], `entry ${e}`)
        );
        assertSameValues(actual.eigen!, expected.eigen!, "eigenvalues");
      },
    ),
    { numRuns: 60 },
  );
});

Deno.test("SIMD eigen kernels send a voxel with a NaN entry, in any of the six places, to the scalar path, in float64 and float32", () => {
  const k = requireKernels();
  // A NaN beside zeros (where a pseudo-maximum may drop it and see a zero
  // tensor) and beside a full tensor, in each of the six entries.
  const cases: number[][] = [];
  for (let e = 0; e < 6; e++) {
    for (const base of [[0, 0, 0, 0, 0, 0], [3, 0.5, 0.25, 2, 0.125, 1]]) {
      const tensor = [...base];
      tensor[e] = NaN;
      cases.push(tensor);
    }
  }
  // Finite tensors between them, so NaN voxels share vectors with good ones.
  const all = cases.flatMap((c, i) => [c, [1 + i, 0.5, 0, 2, 0.25, 3]]);
  const n = all.length;
  for (const Floats of [Float64Array, Float32Array]) {
    const entries = [0, 1, 2, 3, 4, 5].map((e) =>
      Floats.from(all.map((c) => c[e]))
    );
    const bytes = Floats.BYTES_PER_ELEMENT;
    const arena = new SimdArena(k);
    const sources = entries.map(() => arena.take(bytes * n));
    const targets = [0, 1, 2].map(() => arena.take(bytes * n));
    const vectorTargets = Array.from(
      { length: 9 },
      () => arena.take(bytes * n),
    );
    const sourceTable = arena.take(24), targetTable = arena.take(12);
    const vectorTable = arena.take(36);
    const flags = arena.take(n),
      scratch = arena.take(k.EIGEN_SCRATCH_BYTES.value);
    const views = arena.commit();
    const data = bytes === 8 ? views.f64 : views.f32;
    entries.forEach((entry, e) => data.set(entry, sources[e] / bytes));
    views.i32.set(sources, sourceTable / 4);
    views.i32.set(targets, targetTable / 4);
    views.i32.set(vectorTargets, vectorTable / 4);
    const nanVoxels = all.flatMap((c, i) => c.some(Number.isNaN) ? [i] : []);
    const flagged = () =>
      [...views.u8.subarray(flags, flags + n)]
        .flatMap((flag, i) => flag === 1 ? [i] : []);
    const [values, vectors] = bytes === 8
      ? [k.eigenvaluesOf3x64, k.eigenvectorsOf3x64]
      : [k.eigenvaluesOf3x32, k.eigenvectorsOf3x32];
    views.u8.fill(0, flags, flags + n);
    assert.equal(values(sourceTable, n, targetTable, flags, scratch), 12);
    assert.deepEqual(flagged(), nanVoxels, `${Floats.name} eigenvalues`);
    views.u8.fill(0, flags, flags + n);
    assert.equal(
      vectors(sourceTable, n, targetTable, vectorTable, flags, scratch),
      12,
    );
    assert.deepEqual(flagged(), nanVoxels, `${Floats.name} eigenvectors`);
  }
  // And in float64 the whole path equals the scalar solvers, NaN placement included.
  const entries = [0, 1, 2, 3, 4, 5].map((e) =>
    Float64Array.from(all, (c) => c[e])
  );
  const expected = new Float64Array(3 * n);
  eigenvalues3(entries, n, expected);
  const expectedVectors = stackViews(new Float64Array(9 * n), 9, n);
  eigenvectors3(entries, n, stackViews(expected, 3, n), expectedVectors);
  const values = stackViews(new Float64Array(3 * n), 3, n);
  const vectors = stackViews(new Float64Array(9 * n), 9, n);
  symmetric3Simd(k, entries, 0, n, values, vectors);
  values.forEach((rank, r) =>
    assertSameValues(rank, expected.subarray(r * n, (r + 1) * n), `rank ${r}`)
  );
  vectors.forEach((component, c) =>
    assertSameValues(component, expectedVectors[c], `vector entry ${c}`)
  );
});
