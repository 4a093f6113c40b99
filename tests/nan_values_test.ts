/**
 * NaN and infinite values, as each public function of lib/array,
 * lib/filters and lib/feature documents them: they propagate to exactly the
 * outputs whose neighbourhood touches them (SciPy's and scikit-image's rule,
 * except that stria's eigenvalues are NaN where scikit-image raises), or
 * are refused where a function needs integers.
 *
 * @module
 */

import assert from "node:assert/strict";
import {
  argmax,
  formatArray,
  formatShape,
  imgAsFloat,
  max,
  min,
  ndarray,
  unravelIndex,
} from "../lib/array/mod.ts";
import type { NdArray } from "../lib/deps.ts";
import {
  coherence,
  fractionalAnisotropy,
  orientationAngles,
  shapeClass,
  structureTensor,
  structureTensorAnalysis,
  structureTensorEigenvalues,
  structureTensorEigenvaluesOfImage,
  structureTensorEigenvectors,
  westinMeasures,
} from "../lib/feature/mod.ts";
import { correlate1d, gaussianFilter, sobel } from "../lib/filters/mod.ts";

/** Seeded values in (0, 1): no zero tensors, so every NaN or background comes from the planted voxel. */
function noise(shape: number[], seed = 1): NdArray<Float64Array> {
  const size = shape.reduce((a, b) => a * b, 1);
  let state = seed;
  const data = Float64Array.from({ length: size }, () => {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    return (state + 1) / 2 ** 32;
  });
  return ndarray(data, shape);
}

/** `noise(shape)` with `value` planted at `at`. */
function planted(
  shape: number[],
  at: number[],
  value: number,
): NdArray<Float64Array> {
  const image = noise(shape);
  image.set(...at, value);
  return image;
}

/** Flat C-order indices where `test` holds. */
function where(
  data: ArrayLike<number>,
  test: (v: number) => boolean,
): number[] {
  return Array.from(data).flatMap((v, i) => test(v) ? [i] : []);
}

const isNaN = Number.isNaN;

/** Flat indices of the box of `half[a]` voxels around `at` along each axis a, clipped to `shape`. */
function box(shape: number[], at: number[], half: number[]): number[] {
  const out: number[] = [];
  const walk = (axis: number, flat: number) => {
    if (axis === shape.length) {
      out.push(flat);
      return;
    }
    const lo = Math.max(0, at[axis] - half[axis]);
    const hi = Math.min(shape[axis] - 1, at[axis] + half[axis]);
    for (let i = lo; i <= hi; i++) walk(axis + 1, flat * shape[axis] + i);
  };
  walk(0, 0);
  return out;
}

/** `indices` repeated over `count` stacked arrays of `size` values. */
function stacked(indices: number[], count: number, size: number): number[] {
  return Array.from(
    { length: count },
    (_, k) => indices.map((i) => k * size + i),
  ).flat();
}

Deno.test("array functions: NaN is kept, wins argmax, makes min and max NaN, prints nan; NaN lengths are refused", () => {
  const values = ndarray(new Float32Array([1, NaN, Infinity, -Infinity]), [4]);
  assert.deepEqual(where(imgAsFloat(values).data, isNaN), [1]);
  assert.deepEqual(Array.from(imgAsFloat(values).data).slice(2), [
    Infinity,
    -Infinity,
  ]);
  assert.equal(argmax(values), 1);
  assert.equal(argmax(ndarray(new Float64Array([1, Infinity, 2]), [3])), 1);
  assert.ok(isNaN(min(values)) && isNaN(max(values)));
  assert.equal(min(ndarray(new Float64Array([1, -Infinity]), [2])), -Infinity);
  assert.equal(
    formatArray(ndarray(new Float64Array([NaN, 1, Infinity, -Infinity]), [4])),
    "array([ nan,   1.,  inf, -inf])",
  );
  assert.ok(isNaN(ndarray(new Float64Array([NaN]), [1]).get(0)));
  assert.throws(() => formatShape([NaN]), /formatShape: shape must be/);
  assert.throws(() => unravelIndex(NaN, [3]), /unravelIndex: index must be/);
  assert.throws(() => unravelIndex(0, [Infinity]), /unravelIndex: shape/);
});

Deno.test("filters: a NaN makes exactly the outputs whose window touches it NaN, zero taps included", () => {
  const shape = [9, 11];
  const at = [4, 5];
  const image = planted(shape, at, NaN);
  assert.deepEqual(
    where(correlate1d(image, [0, 1, 0], 1).data, isNaN),
    box(shape, at, [0, 1]),
  );
  assert.deepEqual(
    // origin -1: out[i] = x[i] + x[i + 1].
    where(correlate1d(image, [1, 1], 0, { origin: -1 }).data, isNaN),
    [(at[0] - 1) * 11 + at[1], at[0] * 11 + at[1]],
  );
  // Radii trunc(4·0.5 + 0.5) = 2 and trunc(4·1 + 0.5) = 4; sigma 0 leaves an axis alone.
  assert.deepEqual(
    where(gaussianFilter(image, [0.5, 1]).data, isNaN),
    box(shape, at, [2, 4]),
  );
  assert.deepEqual(
    where(gaussianFilter(image, [0, 1], { mode: "wrap" }).data, isNaN),
    box(shape, at, [0, 4]),
  );
  for (const axis of [0, 1]) {
    assert.deepEqual(
      where(sobel(image, axis).data, isNaN),
      box(shape, at, [1, 1]),
    );
  }
  // Near an edge the window reaches through the padding: reflect brings the NaN back.
  const edge = planted([6], [0], NaN);
  assert.deepEqual(where(gaussianFilter(edge, 0.5).data, isNaN), [0, 1, 2]);
  assert.deepEqual(
    where(gaussianFilter(edge, 0.5, { mode: "constant" }).data, isNaN),
    [0, 1, 2],
  );
  assert.deepEqual(
    where(gaussianFilter(edge, 0.5, { mode: "wrap" }).data, isNaN),
    [0, 1, 2, 4, 5],
  );
});

Deno.test("filters: an infinity gives infinities in its window, NaN where 0·Inf or Inf - Inf arises", () => {
  const shape = [9, 11];
  const at = [4, 5];
  const image = planted(shape, at, Infinity);
  const smoothed = gaussianFilter(image, 0.5).data;
  assert.deepEqual(
    where(smoothed, (v) => v === Infinity),
    box(shape, at, [2, 2]),
  );
  assert.deepEqual(where(smoothed, isNaN), []);
  const derivative = sobel(image, 0).data;
  // The difference's centre tap is 0: 0·Inf is NaN on the row through the voxel.
  assert.deepEqual(where(derivative, isNaN), box(shape, at, [0, 1]));
  assert.deepEqual(
    where(derivative, (v) => !Number.isFinite(v)),
    box(shape, at, [1, 1]),
  );
  // out[i] = x[i - 1] - x[i]: two neighbouring infinities give Inf - Inf.
  image.set(at[0], at[1] + 1, Infinity);
  assert.deepEqual(where(correlate1d(image, [1, -1], 1).data, isNaN), [
    at[0] * 11 + at[1] + 1,
  ]);
});

Deno.test("structureTensor: NaN entries exactly in the box of 1 + the Gaussian radius, on every path", () => {
  // sigma 0.3: radius trunc(1.7) = 1, so half-width 2; sigma 0.6: radius 2, half-width 3.
  const plane = planted([9, 11], [4, 5], NaN);
  for (const entry of structureTensor(plane, { sigma: 0.3 })) {
    assert.deepEqual(where(entry.data, isNaN), box([9, 11], [4, 5], [2, 2]));
  }
  const shape = [9, 10, 11];
  const at = [4, 3, 6];
  const volume = planted(shape, at, NaN);
  for (
    const options of [
      { sigma: [0.3, 0.6, 0.3] },
      { sigma: [0.3, 0.6, 0.3], precision: "float32" as const },
      { sigma: [0.3, 0.6, 0.3], threads: 2 },
    ]
  ) {
    const entries = structureTensor(volume, options);
    assert.equal(entries.length, 6);
    for (const entry of entries) {
      assert.deepEqual(
        where(entry.data, isNaN),
        box(shape, at, [2, 3, 2]),
        JSON.stringify(options),
      );
    }
  }
});

Deno.test("structureTensorEigenvalues and Eigenvectors: a NaN or infinite entry gives NaN at its voxel only", () => {
  for (const d of [2, 3, 4]) {
    for (const bad of [NaN, Infinity, -Infinity]) {
      const count = (d * (d + 1)) / 2;
      const size = 5;
      const entries = Array.from(
        { length: count },
        (_, k) => noise([size], k + 1),
      );
      // A positive definite diagonal, so the clean voxels have finite eigenvalues.
      [0, d, 2 * d - 1, 3 * d - 3].slice(0, d).forEach((k) => {
        for (let i = 0; i < size; i++) entries[k].data[i] += 4;
      });
      entries[0].set(2, bad);
      const eigen = structureTensorEigenvalues(entries);
      const label = `${d}-D, ${bad}`;
      if (d === 2 && bad !== bad) {
        assert.deepEqual(where(eigen.data, isNaN), [2, 7], label);
      } else if (d === 2) {
        // The 2-D closed form (a + c)/2 ± r/2, r infinite: one infinity, then Inf - Inf.
        assert.deepEqual(where(eigen.data, isNaN), [bad > 0 ? 7 : 2], label);
        assert.equal(eigen.get(bad > 0 ? 0 : 1, 2), bad, label);
      } else {
        assert.deepEqual(
          where(eigen.data, isNaN),
          stacked([2], d, size),
          label,
        );
      }
      if (d <= 3) {
        assert.deepEqual(
          where(structureTensorEigenvectors(entries).data, isNaN),
          stacked([2], d * d, size),
          label,
        );
      }
    }
  }
  // The float32 SIMD path.
  const entries = Array.from({ length: 6 }, (_, k) => {
    const entry = ndarray(Float32Array.from(noise([5], k + 1).data), [5]);
    return entry;
  });
  entries[3].set(4, NaN);
  assert.deepEqual(
    where(
      structureTensorEigenvalues(entries, { precision: "float32" }).data,
      isNaN,
    ),
    stacked([4], 3, 5),
  );
});

Deno.test("structureTensorEigenvaluesOfImage and structureTensorAnalysis: NaN in the box of 1 + the radius only", () => {
  const shape = [9, 10, 11];
  const at = [5, 2, 7];
  const size = 9 * 10 * 11;
  const region = box(shape, at, [2, 3, 2]);
  const volume = planted(shape, at, NaN);
  const sigma = [0.3, 0.6, 0.3];
  for (const precision of ["float64", "float32"] as const) {
    for (const threads of [1, 2]) {
      const eigen = structureTensorEigenvaluesOfImage(volume, {
        sigma,
        precision,
        threads,
      });
      assert.deepEqual(
        where(eigen.data, isNaN),
        stacked(region, 3, size),
        `${precision}, ${threads} threads`,
      );
    }
  }
  const analysis = structureTensorAnalysis(volume, {
    sigma,
    outputs: [
      "eigenvalues",
      "vectors",
      "fractionalAnisotropy",
      "westin",
      "shapeClass",
      "angles",
    ],
  });
  assert.deepEqual(
    where(analysis.eigenvalues!.data, isNaN),
    stacked(region, 3, size),
  );
  assert.deepEqual(
    where(analysis.vectors!.data, isNaN),
    stacked(region, 9, size),
  );
  assert.deepEqual(where(analysis.fractionalAnisotropy!.data, isNaN), region);
  for (const measure of Object.values(analysis.westin!)) {
    assert.deepEqual(where(measure.data, isNaN), region);
  }
  assert.deepEqual(
    where(analysis.shapeClass!.codes.data, (c) => c === 0),
    region,
  );
  const { azimuth, elevation } = analysis.angles as {
    azimuth: NdArray<Float64Array>;
    elevation: NdArray<Float64Array>;
  };
  assert.deepEqual(where(azimuth.data, isNaN), region);
  assert.deepEqual(where(elevation.data, isNaN), region);

  const plane = planted([9, 11], [0, 10], NaN);
  const corner = box([9, 11], [0, 10], [2, 2]);
  const flat = structureTensorAnalysis(plane, {
    sigma: 0.3,
    outputs: ["eigenvalues", "coherence", "angles"],
  });
  assert.deepEqual(where(flat.coherence!.data, isNaN), corner);
  assert.deepEqual(
    where(flat.eigenvalues!.data, isNaN),
    stacked(corner, 2, 99),
  );
});

Deno.test("the measures: a NaN or infinite eigenvalue or component gives NaN, or background, at its voxel only", () => {
  for (const bad of [NaN, Infinity]) {
    // Sorted eigenvalues, a bad largest one at voxel 3 of 6.
    const eigen3 = ndarray(
      Float64Array.from({ length: 18 }, (_, i) => 3 - Math.floor(i / 6)),
      [3, 1, 2, 3],
    );
    eigen3.set(0, 0, 1, 0, bad);
    assert.deepEqual(where(fractionalAnisotropy(eigen3).data, isNaN), [3]);
    for (const measure of Object.values(westinMeasures(eigen3))) {
      assert.deepEqual(where(measure.data, isNaN), [3]);
    }
    assert.deepEqual(where(shapeClass(eigen3).codes.data, (c) => c === 0), [3]);
    const eigen2 = ndarray(
      Float64Array.from({ length: 8 }, (_, i) => 2 - Math.floor(i / 4)),
      [2, 2, 2],
    );
    eigen2.set(0, 1, 1, bad);
    assert.deepEqual(where(coherence(eigen2).data, isNaN), [3]);
    const vectors = ndarray(new Float64Array(2 * 2 * 3).fill(1), [2, 2, 1, 3]);
    vectors.set(0, 1, 0, 2, bad);
    const { angle } = orientationAngles(vectors) as {
      angle: NdArray<Float64Array>;
    };
    assert.deepEqual(where(angle.data, isNaN), [2]);
  }
});
