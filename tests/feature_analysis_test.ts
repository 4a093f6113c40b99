/**
 * `structureTensorAnalysis`: every output equal, bit for bit, to the
 * composition of the public functions (3-D on both engine backends, over
 * several bands of rows and threads; 2-D), only the requested outputs, the
 * background rule, float32's accuracy, and its argument checks.
 *
 * @module
 */

import assert from "node:assert/strict";
import { type NdArray, ndarray } from "../lib/deps.ts";
import {
  coherence,
  fractionalAnisotropy,
  orientationAngles,
  type OrientationAngles2d,
  type OrientationAngles3d,
  shapeClass,
  structureTensor,
  structureTensorAnalysis,
  structureTensorEigenvalues,
  structureTensorEigenvectors,
  westinMeasures,
} from "../mod.ts";
import { mulberry32, uniformSource } from "../lib/data/_prng.ts";
import { assertSameValues } from "./_same_values.ts";

/** A volume of smoothed noise with a bright tube, as `Type`. */
function testVolume(
  shape: readonly number[],
  Type:
    | Uint16ArrayConstructor
    | Float32ArrayConstructor
    | Float64ArrayConstructor,
  seed = 3,
): NdArray {
  const next = uniformSource(mulberry32(seed));
  const [nz, ny, nx] = shape.length === 3 ? shape : [1, ...shape];
  const values: number[] = [];
  for (let z = 0; z < nz; z++) {
    for (let y = 0; y < ny; y++) {
      for (let x = 0; x < nx; x++) {
        const tube = Math.exp(-(((y - 0.4 * x - 30) / 6) ** 2));
        values.push(Math.round(1000 * tube + 300 * next()));
      }
    }
  }
  return ndarray(Type.from(values), [...shape]);
}

/** The concatenated data of `vectors.pick(rank)` for each rank, as the analysis stacks them. */
function vectorsOfRanks(vectors: NdArray, ranks: number[]): Float64Array {
  const d = vectors.shape[0];
  const size = vectors.data.length / (d * d);
  const data = vectors.data as Float64Array;
  const out = new Float64Array(ranks.length * d * size);
  ranks.forEach((rank, j) =>
    out.set(data.subarray(rank * d * size, (rank + 1) * d * size), j * d * size)
  );
  return out;
}

// 200 rows of 120: 136 rows per band of the engine, so two bands per plane.
const SHAPE = [5, 200, 120];
const TENSOR = { sigma: [1, 1.5, 2], spacing: [2, 0.5, 0.6] };
const CLASSES = { ratio: 3, gap: 12 };

Deno.test("structureTensorAnalysis (3-D) equals the composition of the public functions bit for bit: both backends, 1 and 2 threads, several bands", () => {
  // uint16 runs on the SIMD backend, float32 input (float64 results) on the JavaScript one.
  for (const Type of [Uint16Array, Float32Array]) {
    const image = testVolume(SHAPE, Type);
    const elements = structureTensor(image, TENSOR);
    const eigenvalues = structureTensorEigenvalues(elements);
    const vectors = structureTensorEigenvectors(elements);
    const westin = westinMeasures(eigenvalues);
    const angles = orientationAngles(vectors, {
      rank: 2,
    }) as OrientationAngles3d;
    for (const threads of [1, 2]) {
      const label = `${Type.name}, ${threads} thread(s)`;
      const result = structureTensorAnalysis(image, {
        ...TENSOR,
        threads,
        outputs: [
          "eigenvalues",
          "vectors",
          "fractionalAnisotropy",
          "westin",
          "shapeClass",
          "angles",
        ],
        vectorRanks: [2, 0],
        angleRank: 2,
        shapeClassOptions: CLASSES,
      });
      assert.deepEqual(result.eigenvalues!.shape, [3, ...SHAPE]);
      assert.deepEqual(result.vectors!.shape, [2, 3, ...SHAPE]);
      assert.deepEqual(result.vectorRanks, [2, 0]);
      assert.deepEqual(result.spacing, TENSOR.spacing);
      assertSameValues(
        result.eigenvalues!.data,
        eigenvalues.data,
        `${label}: eigenvalues`,
      );
      assertSameValues(
        result.vectors!.data,
        vectorsOfRanks(vectors, [2, 0]),
        `${label}: vectors`,
      );
      assertSameValues(
        result.fractionalAnisotropy!.data,
        fractionalAnisotropy(eigenvalues).data,
        `${label}: FA`,
      );
      for (const measure of ["linear", "planar", "spherical"] as const) {
        assertSameValues(
          result.westin![measure].data,
          westin[measure].data,
          `${label}: ${measure}`,
        );
      }
      assert.deepEqual(
        result.shapeClass!.codes.data,
        shapeClass(eigenvalues, CLASSES).codes.data,
        `${label}: shape classes`,
      );
      const resultAngles = result.angles as OrientationAngles3d;
      assertSameValues(
        resultAngles.azimuth.data,
        angles.azimuth.data,
        `${label}: azimuth`,
      );
      assertSameValues(
        resultAngles.elevation.data,
        angles.elevation.data,
        `${label}: elevation`,
      );
    }
  }
});

Deno.test("structureTensorAnalysis returns only what was asked for, and the class counts of the tube are real", () => {
  const image = testVolume(SHAPE, Uint16Array);
  const result = structureTensorAnalysis(image, {
    ...TENSOR,
    outputs: ["shapeClass"],
  });
  assert.deepEqual(Object.keys(result).sort(), [
    "shapeClass",
    "spacing",
    "vectorRanks",
  ]);
  const defaults = structureTensorAnalysis(image, TENSOR);
  assert.deepEqual(Object.keys(defaults).sort(), [
    "eigenvalues",
    "fractionalAnisotropy",
    "spacing",
    "vectorRanks",
    "vectors",
  ]);
  assert.deepEqual(defaults.vectorRanks, [0, 1, 2]);
  // Not a constant: the volume has structure and noise, so several classes occur.
  const classes = new Set(result.shapeClass!.codes.data);
  assert.ok(classes.size >= 2, `classes: ${[...classes]}`);
});

Deno.test("structureTensorAnalysis background: a mask or an energy threshold gives the background value and class, eigenvalues untouched", () => {
  const image = testVolume(SHAPE, Uint16Array);
  const outputs = [
    "eigenvalues",
    "vectors",
    "fractionalAnisotropy",
    "westin",
    "shapeClass",
    "angles",
  ] as const;
  const plain = structureTensorAnalysis(image, { ...TENSOR, outputs });
  const eigen = plain.eigenvalues!.data;
  const size = eigen.length / 3;
  const traces = Float64Array.from(
    { length: size },
    (_, i) => eigen[i] + eigen[size + i] + eigen[2 * size + i],
  );
  const energy = [...traces].sort((a, b) => a - b)[size >> 1]; // the median
  const mask = ndarray(
    Uint8Array.from({ length: size }, (_, i) => (i % 7 === 0 ? 0 : 1)),
    [...SHAPE],
  );
  for (
    const [label, options, isBackground] of [
      ["energy", { energy }, (i: number) => !(traces[i] > energy)],
      ["mask", { mask, background: 0 }, (i: number) => i % 7 === 0],
    ] as const
  ) {
    const value = "background" in options ? options.background : NaN;
    const result = structureTensorAnalysis(image, {
      ...TENSOR,
      outputs,
      ...options,
    });
    assertSameValues(result.eigenvalues!.data, eigen, `${label}: eigenvalues`);
    const floats: [string, ArrayLike<number>, ArrayLike<number>, number][] = [
      [
        "FA",
        result.fractionalAnisotropy!.data,
        plain.fractionalAnisotropy!.data,
        1,
      ],
      ["linear", result.westin!.linear.data, plain.westin!.linear.data, 1],
      [
        "azimuth",
        (result.angles as OrientationAngles3d).azimuth.data,
        (plain.angles as OrientationAngles3d).azimuth.data,
        1,
      ],
      ["vectors", result.vectors!.data, plain.vectors!.data, 9],
    ];
    let background = 0;
    for (let i = 0; i < size; i++) {
      const out = isBackground(i);
      if (out) background++;
      for (const [name, got, want, stacks] of floats) {
        for (let s = 0; s < stacks; s++) {
          const at = s * size + i;
          assert.ok(
            Object.is(got[at], out ? value : want[at]),
            `${label}: ${name} at ${at}: ${got[at]}`,
          );
        }
      }
      const code = result.shapeClass!.codes.data[i];
      assert.equal(code, out ? 0 : plain.shapeClass!.codes.data[i]);
    }
    assert.ok(background > size / 8 && background < size - size / 8);
  }
});

Deno.test("structureTensorAnalysis float32: float32 outputs; an eigenvector's direction within 1e-6 rad of the float64 one, times the volume's largest eigenvalue over its gap", () => {
  const image = testVolume(SHAPE, Uint16Array);
  const outputs = ["eigenvalues", "vectors", "fractionalAnisotropy"] as const;
  const exact = structureTensorAnalysis(image, { ...TENSOR, outputs });
  const rounded = structureTensorAnalysis(image, {
    ...TENSOR,
    outputs,
    precision: "float32",
  });
  assert.ok(rounded.vectors!.data instanceof Float32Array);
  assert.ok(rounded.fractionalAnisotropy!.data instanceof Float32Array);
  const values = exact.eigenvalues!.data;
  const size = values.length / 3;
  // float32's error in the entries is relative to the volume's largest (docs/orientation.md).
  const largest = Math.max(...values.subarray(0, size));
  let worst = 0;
  for (let rank = 0; rank < 3; rank++) {
    for (let i = 0; i < size; i++) {
      const l = [0, 1, 2].map((k) => values[k * size + i]);
      // The gap to the nearest other eigenvalue, relative to the volume's largest.
      const gap = Math.min(
        ...[0, 1, 2].filter((k) => k !== rank).map((k) =>
          Math.abs(l[k] - l[rank])
        ),
      ) / largest;
      if (!(gap > 1e-4)) continue;
      const [a, b] = [exact.vectors!.data, rounded.vectors!.data].map((data) =>
        [0, 1, 2].map((c) => data[(3 * rank + c) * size + i])
      );
      // The angle between the axes, from |a × b| and |a · b|: acos of a dot
      // product near 1 would turn float32's norm error into 4e-4 rad.
      const cross = Math.hypot(
        a[1] * b[2] - a[2] * b[1],
        a[2] * b[0] - a[0] * b[2],
        a[0] * b[1] - a[1] * b[0],
      );
      const angle = Math.atan2(
        cross,
        Math.abs(a[0] * b[0] + a[1] * b[1] + a[2] * b[2]),
      );
      worst = Math.max(worst, angle * gap);
    }
  }
  console.log(`float32 eigenvectors: angle × gap / largest up to ${worst}`);
  assert.ok(worst < 1e-6, `angle × relative gap: ${worst}`);
  assert.ok(worst > 0, "float32 is not float64");
});

Deno.test("structureTensorAnalysis (2-D) equals the composition bit for bit, with coherence and the in-plane angle", () => {
  const image = testVolume([90, 70], Float64Array);
  const tensor = { sigma: 1.5, spacing: [0.5, 0.25] };
  const elements = structureTensor(image, tensor);
  const eigenvalues = structureTensorEigenvalues(elements);
  const vectors = structureTensorEigenvectors(elements);
  const result = structureTensorAnalysis(image, {
    ...tensor,
    outputs: [
      "eigenvalues",
      "vectors",
      "fractionalAnisotropy",
      "coherence",
      "angles",
    ],
    angleRank: 1,
  });
  assertSameValues(result.eigenvalues!.data, eigenvalues.data, "eigenvalues");
  assertSameValues(
    result.vectors!.data,
    vectorsOfRanks(vectors, [0, 1]),
    "vectors",
  );
  assertSameValues(
    result.fractionalAnisotropy!.data,
    fractionalAnisotropy(eigenvalues).data,
    "FA",
  );
  assertSameValues(
    result.coherence!.data,
    coherence(eigenvalues).data,
    "coherence",
  );
  assertSameValues(
    (result.angles as OrientationAngles2d).angle.data,
    (orientationAngles(vectors, { rank: 1 }) as OrientationAngles2d).angle
      .data,
    "angle",
  );
});

Deno.test("structureTensorAnalysis refuses bad arguments, naming them", () => {
  const volume = testVolume([3, 8, 8], Float64Array);
  const plane = testVolume([8, 8], Float64Array);
  const refuses = (
    image: NdArray,
    options: unknown,
    pattern: RegExp,
  ) =>
    assert.throws(
      () =>
        structureTensorAnalysis(
          image,
          options as Parameters<typeof structureTensorAnalysis>[1],
        ),
      pattern,
    );
  refuses(volume, { outputs: [] }, /outputs.*non-empty array/);
  refuses(volume, { outputs: ["eigen"] }, /outputs.*"eigenvalues"/);
  refuses(volume, { outputs: "eigenvalues" }, /outputs/);
  refuses(volume, { outputs: ["coherence"] }, /"coherence" is 2-D only/);
  refuses(plane, { outputs: ["westin"] }, /"westin" is 3-D only/);
  refuses(plane, { outputs: ["shapeClass"] }, /"shapeClass" is 3-D only/);
  refuses(volume, { vectorRanks: [3] }, /vectorRanks.*0.*to 2/);
  refuses(volume, { vectorRanks: [] }, /vectorRanks/);
  refuses(volume, { angleRank: 0.5 }, /angleRank/);
  refuses(volume, { energy: -1 }, /energy.*>= 0/);
  refuses(volume, { shapeClassOptions: { gap: 1 } }, /gap/);
  refuses(volume, { background: "NaN" }, /background.*a number/);
  refuses(volume, { mask: plane }, /mask.*\[3, 8, 8\]/);
  refuses(volume, { mask: [1, 2] }, /mask/);
  refuses(volume, null, /options/);
  refuses(volume, { sigma: -1 }, /sigma/);
  refuses(volume, { precision: "float16" }, /precision/);
  refuses(ndarray(new Float64Array(16), [2, 2, 2, 2]), {}, /2-D or 3-D/);
});
