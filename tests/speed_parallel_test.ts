/**
 * The fast 3-D structure tensor (slabs of planes with halos, worker threads,
 * fused products and eigenvalues) against the plain whole-volume composition
 * of the public filters, which follows scikit-image's steps literally.
 */

import assert from "node:assert/strict";
import { assertSameValues, relativeError } from "./_same_values.ts";
import fc from "fast-check";
import { imgAsFloat, type NdArray, ndarray } from "../lib/array/mod.ts";
import {
  structureTensor,
  structureTensorEigenvalues,
  structureTensorEigenvaluesOfImage,
} from "../lib/feature/mod.ts";
import {
  type BoundaryMode,
  gaussianFilter,
  sobel,
} from "../lib/filters/mod.ts";
import { computeTensorJob } from "../lib/feature/_tensor_kernel.ts";
import type { TensorJob } from "../lib/feature/_tensor_plan.ts";

const MODES: BoundaryMode[] = [
  "reflect",
  "mirror",
  "nearest",
  "wrap",
  "constant",
];

/** scikit-image's structure_tensor, step by step, on whole volumes. */
function wholeVolumeTensor(
  image: NdArray,
  sigma: number[],
  mode: BoundaryMode,
  cval: number,
): Float64Array[] {
  const floats = imgAsFloat(image);
  const derivatives = [0, 1, 2].map((axis) =>
    sobel(floats, axis, { mode, cval }).data
  );
  const entries: Float64Array[] = [];
  for (let i = 0; i < 3; i++) {
    for (let j = i; j < 3; j++) {
      const product = derivatives[i].map((v, k) => v * derivatives[j][k]);
      const smoothed = gaussianFilter(ndarray(product, image.shape), sigma, {
        mode,
        cval,
        truncate: 4,
      });
      entries.push(Float64Array.from(smoothed.data));
    }
  }
  return entries;
}

/** A seeded uint16 volume. */
function seeded(shape: number[], seed: number): NdArray<Uint16Array> {
  const data = new Uint16Array(shape.reduce((a, b) => a * b, 1));
  let state = seed >>> 0;
  for (let i = 0; i < data.length; i++) {
    state = (state * 1664525 + 1013904223) >>> 0;
    data[i] = state >>> 20;
  }
  return ndarray(data, shape);
}

Deno.test("slabs on 1 to 4 threads equal the whole-volume composition exactly, every mode", () => {
  fc.assert(
    fc.property(
      fc.tuple(
        fc.integer({ min: 1, max: 9 }),
        fc.integer({ min: 1, max: 7 }),
        fc.integer({ min: 1, max: 7 }),
      ),
      fc.constantFrom(...MODES),
      fc.tuple(
        fc.constantFrom(0, 0.1, 0.7, 1, 2.5),
        fc.constantFrom(0, 0.5, 1.5),
        fc.constantFrom(0, 1, 2.5),
      ),
      fc.integer({ min: 1, max: 4 }),
      fc.integer(),
      (shape, mode, sigma, threads, seed) => {
        const image = seeded(shape, seed);
        const cval = mode === "constant" ? 0.25 : 0;
        const expected = wholeVolumeTensor(image, sigma, mode, cval);
        const entries = structureTensor(image, { sigma, mode, cval, threads });
        entries.forEach((entry, e) =>
          assertSameValues(entry.data, expected[e], `entry ${e}`)
        );
        const eigen = structureTensorEigenvaluesOfImage(image, {
          sigma,
          mode,
          cval,
          threads,
        });
        const twoStep = structureTensorEigenvalues(
          expected.map((entry) => ndarray(entry, shape)),
        );
        assertSameValues(eigen.data, twoStep.data, "eigenvalues");
      },
    ),
    { numRuns: 40 },
  );
});

Deno.test("worker threads by default above 2^17 voxels: same values as one thread, input untouched", () => {
  const image = seeded([12, 120, 96], 7);
  const before = image.data.slice();
  // A transposed view: the kernels see it through its strides.
  const view = image.transpose(0, 2, 1);
  const sigma = [1, 1.5, 2.5];
  for (const mode of MODES) {
    const single = structureTensorEigenvaluesOfImage(view, {
      sigma,
      mode,
      cval: 0.5,
      threads: 1,
    });
    const parallel = structureTensorEigenvaluesOfImage(view, {
      sigma,
      mode,
      cval: 0.5,
    });
    assertSameValues(parallel.data, single.data, mode);
    assert.deepEqual(parallel.shape, [3, 12, 96, 120]);
  }
  const entriesSingle = structureTensor(image, { sigma, threads: 1 });
  const entriesParallel = structureTensor(image, { sigma, threads: 3 });
  entriesParallel.forEach((entry, e) =>
    assertSameValues(entry.data, entriesSingle[e].data, `entry ${e}`)
  );
  assert.deepEqual(image.data, before);
});

Deno.test("a single plane split into bands on several threads equals one thread", () => {
  // One plane, many bands of rows: the workers must share the arrays (a copy would lose their results).
  const image = seeded([1, 64, 1024], 4);
  for (const threads of [2, 4]) {
    const single = structureTensorEigenvaluesOfImage(image, {
      sigma: 1,
      threads: 1,
    });
    const parallel = structureTensorEigenvaluesOfImage(image, {
      sigma: 1,
      threads,
    });
    assertSameValues(
      parallel.data,
      single.data,
      `eigenvalues, ${threads} threads`,
    );
    const entries = structureTensor(image, { sigma: 1, threads });
    const entriesSingle = structureTensor(image, { sigma: 1, threads: 1 });
    entries.forEach((entry, e) =>
      assertSameValues(
        entry.data,
        entriesSingle[e].data,
        `entry ${e}, ${threads} threads`,
      )
    );
  }
});

Deno.test("precision float32: entries within 2e-6 and eigenvalues within 1e-5 of float64 (relative to the largest)", () => {
  const sigma = [1, 1.5, 2.5];
  for (
    const [shape, seed] of [[[10, 40, 50], 1], [[6, 33, 17], 2], [
      [16, 64, 64],
      3,
    ]] as const
  ) {
    const image = seeded([...shape], seed);
    const exact = structureTensor(image, { sigma });
    const rounded = structureTensor(image, { sigma, precision: "float32" });
    rounded.forEach((entry, e) => {
      assert.ok(entry.data instanceof Float32Array);
      const error = relativeError(entry.data, exact[e].data);
      assert.ok(error < 2e-6, `entry ${e}: ${error}`);
    });
    const eigen64 = structureTensorEigenvaluesOfImage(image, { sigma });
    const eigen32 = structureTensorEigenvaluesOfImage(image, {
      sigma,
      precision: "float32",
    });
    assert.ok(eigen32.data instanceof Float32Array);
    const error = relativeError(eigen32.data, eigen64.data);
    assert.ok(error < 1e-5, `eigenvalues: ${error}`);
    const twoStep32 = structureTensorEigenvalues(rounded, {
      precision: "float32",
    });
    assertSameValues(twoStep32.data, eigen32.data, "two-step float32");
  }
});

Deno.test("structureTensorEigenvaluesOfImage and the new options reject bad arguments by name", () => {
  const image = seeded([3, 4, 5], 1);
  assert.throws(
    () => structureTensor(image, { threads: 0 }),
    /structureTensor: threads must be a positive integer/,
  );
  assert.throws(
    () => structureTensor(image, { precision: "float16" as "float32" }),
    /structureTensor: precision must be "float64" or "float32", got "float16"/,
  );
  assert.throws(
    () =>
      structureTensorEigenvaluesOfImage(ndarray(new Float64Array(4), [2, 2])),
    /structureTensorEigenvaluesOfImage: image must be an ndarray with at least 3 dimension/,
  );
  assert.throws(
    () =>
      structureTensorEigenvaluesOfImage(
        ndarray(new Float64Array(16), [2, 2, 2, 2]),
      ),
    /structureTensorEigenvaluesOfImage: image must be a 3-D ndarray/,
  );
  assert.throws(
    () => structureTensorEigenvaluesOfImage(image, { sigma: [1, 2] }),
    /structureTensorEigenvaluesOfImage: sigma must be/,
  );
  assert.throws(
    () => structureTensorEigenvalues(structureTensor(image), { threads: 1.5 }),
    /structureTensorEigenvalues: threads must be a positive integer/,
  );
});

Deno.test("bands of rows as small as 1 row equal the whole-volume composition exactly, every mode", () => {
  fc.assert(
    fc.property(
      fc.tuple(
        fc.integer({ min: 1, max: 6 }),
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 1, max: 6 }),
      ),
      fc.constantFrom(...MODES),
      fc.tuple(
        fc.constantFrom(0, 0.8, 1),
        fc.constantFrom(0, 0.4, 1, 2.5),
        fc.constantFrom(0, 1),
      ),
      fc.integer({ min: 1, max: 4 }),
      fc.boolean(),
      fc.integer(),
      (shape, mode, sigma, bandRows, float32, seed) => {
        const image = seeded(shape, seed);
        const cval = mode === "constant" ? -0.5 : 0;
        const reference = computeJob(
          image,
          sigma,
          mode,
          cval,
          float32,
          undefined,
        );
        const banded = computeJob(
          image,
          sigma,
          mode,
          cval,
          float32,
          bandRows * shape[2],
        );
        banded.elements!.forEach((entry, e) =>
          assertSameValues(entry, reference.elements![e], `entry ${e}`)
        );
        if (!float32) {
          const expected = wholeVolumeTensor(image, sigma, mode, cval);
          reference.elements!.forEach((entry, e) =>
            assertSameValues(entry, expected[e], `whole ${e}`)
          );
        }
      },
    ),
    { numRuns: 80 },
  );
});

Deno.test("a 3 × 300 × 250 volume (two bands of rows per plane) on 2 threads matches the whole-volume composition", () => {
  const image = seeded([3, 300, 250], 11);
  for (const mode of MODES) {
    const expected = wholeVolumeTensor(image, [1, 1.5, 2.5], mode, 0.5);
    const entries = structureTensor(image, {
      sigma: [1, 1.5, 2.5],
      mode,
      cval: 0.5,
      threads: 2,
    });
    entries.forEach((entry, e) =>
      assertSameValues(entry.data, expected[e], `${mode} entry ${e}`)
    );
  }
});

/** The tensor engine on one thread with a given band size (undefined: the default). */
function computeJob(
  image: NdArray<Uint16Array>,
  sigma: number[],
  mode: BoundaryMode,
  cval: number,
  float32: boolean,
  bandVoxels: number | undefined,
): TensorJob {
  const size = image.data.length;
  const Floats = float32 ? Float32Array : Float64Array;
  const input = new Floats(size);
  const floats = imgAsFloat(image).data;
  input.set(floats);
  const job: TensorJob = {
    input,
    conversion: null,
    shape: image.shape as [number, number, number],
    sigmas: sigma,
    spacing: null,
    mode,
    cval,
    float32,
    simd: false,
    outputPlanes: [0, image.shape[0]],
    elements: Array.from({ length: 6 }, () => new Floats(size)),
    eigen: null,
    bandVoxels,
  };
  computeTensorJob(job);
  return job;
}
