import assert from "node:assert/strict";
import fc from "fast-check";
import { type NdArray, ndarray } from "../lib/array/mod.ts";
import { structureTensorEigenvalues } from "../lib/feature/mod.ts";
import { coherence } from "../lib/feature/coherence.ts";
import { fractionalAnisotropy } from "../lib/feature/fractional_anisotropy.ts";
import {
  orientationAngles,
  type OrientationAngles2d,
  type OrientationAngles3d,
} from "../lib/feature/orientation_angles.ts";
import { SHAPE_CLASSES, shapeClass } from "../lib/feature/shape_class.ts";
import { westinMeasures } from "../lib/feature/westin_measures.ts";
import { assertSameValues } from "./_same_values.ts";

/** A stack `[d, 1, ..., n]` holding one d-vector per voxel: `stack(voxels)[r][i] = voxels[i][r]`. */
function stack(
  voxels: readonly (readonly number[])[],
  Type: Float64ArrayConstructor | Float32ArrayConstructor = Float64Array,
): NdArray<Float64Array | Float32Array> {
  const d = voxels[0].length;
  const n = voxels.length;
  const data = new Type(d * n);
  voxels.forEach((v, i) => v.forEach((value, r) => data[r * n + i] = value));
  return ndarray(data, [d, ...new Array(d - 1).fill(1), n]);
}

/** Vectors `[d, d, 1, ..., n]`: `vectors(ranks)[r][c][i] = ranks[i][r][c]`. */
function vectorStack(
  voxels: readonly (readonly (readonly number[])[])[],
): NdArray<Float64Array> {
  const d = voxels[0].length;
  const n = voxels.length;
  const data = new Float64Array(d * d * n);
  voxels.forEach((ranks, i) =>
    ranks.forEach((v, r) => v.forEach((c, k) => data[(r * d + k) * n + i] = c))
  );
  return ndarray(data, [d, d, ...new Array(d - 1).fill(1), n]);
}

function close(actual: ArrayLike<number>, expected: number[], tol = 1e-14) {
  assert.equal(actual.length, expected.length);
  expected.forEach((want, i) => {
    if (Number.isNaN(want)) assert.ok(Number.isNaN(actual[i]), `[${i}] NaN`);
    else {
      assert.ok(
        Math.abs(actual[i] - want) <= tol,
        `[${i}]: ${actual[i]} vs ${want}`,
      );
    }
  });
}

/** Sorted non-negative eigenvalues, as a positive semi-definite tensor has. */
const psd = (d: number) =>
  fc.array(
    // No subnormals: their products underflow, which is not a failure of scale invariance.
    fc.oneof(fc.constant(0), fc.double({ min: 1e-100, max: 1e3, noNaN: true })),
    { minLength: d, maxLength: d },
  ).map((v) => v.sort((a, b) => b - a));

// ---------------------------------------------------------------- hand cases

Deno.test("fractionalAnisotropy: cigar 1, pancake sqrt(1/2), sphere and zero 0, [3, 2, 1] sqrt(3/14), 2-D [3, 1] 2/sqrt(10), non-finite NaN", () => {
  close(
    fractionalAnisotropy(
      stack([
        [1, 0, 0],
        [1, 1, 0],
        [5, 5, 5],
        [0, 0, 0],
        [3, 2, 1],
        [
          NaN,
          1,
          0,
        ],
        [Infinity, 1, 0],
        [1, NaN, 0],
      ]),
    ).data,
    [1, Math.SQRT1_2, 0, 0, Math.sqrt(3 / 14), NaN, NaN, NaN],
  );
  close(
    fractionalAnisotropy(stack([[1, 0], [3, 1], [2, 2], [0, 0]])).data,
    [1, 2 / Math.sqrt(10), 0, 0],
  );
  // A smallest eigenvalue negative by rounding stays capped at 1.
  assert.equal(fractionalAnisotropy(stack([[1, 0, -1e-9]])).data[0], 1);
});

Deno.test("westinMeasures: trace-normalised linear, planar, spherical of hand cases; zero tensor all 0; NaN", () => {
  const { linear, planar, spherical } = westinMeasures(
    stack([[1, 0, 0], [1, 1, 0], [2, 2, 2], [3, 2, 1], [0, 0, 0], [
      1,
      NaN,
      0,
    ], [Infinity, 0, 0]]),
  );
  close(linear.data, [1, 0, 0, 1 / 6, 0, NaN, NaN]);
  close(planar.data, [0, 1, 0, 2 / 6, 0, NaN, NaN]);
  close(spherical.data, [0, 0, 1, 3 / 6, 0, NaN, NaN]);
  assert.deepEqual(linear.shape, [1, 1, 7]);
});

Deno.test("coherence: OrientationJ's (λ1 - λ2)/(λ1 + λ2) of 2-D fibres, isotropy and zero; capped at 1; NaN", () => {
  close(
    coherence(stack([[3, 1], [1, 0], [2, 2], [0, 0], [1, -1e-12], [NaN, 0]]))
      .data,
    [0.5, 1, 0, 0, 1, NaN],
  );
});

Deno.test("shapeClass: perfect cigar, pancake, sphere, zero; the ratio and gap boundaries; mixed", () => {
  const names = (voxels: number[][], options = {}) =>
    Array.from(
      shapeClass(stack(voxels), options).codes.data,
      (c) => SHAPE_CLASSES[c],
    );
  assert.deepEqual(
    names([
      [1, 0, 0],
      [1, 1, 0],
      [1, 1, 1],
      [0, 0, 0],
      [2, 1, 1], // λ1/λ3 = ratio: sphere
      [2.01, 1, 1], // neither
      [10, 1, 1], // λ1/λ2 = gap, λ2/λ3 = 1: cigar
      [9.9, 1, 1],
      [20, 10, 5], // λ1/λ2 = 2, λ2/λ3 = 2: neither
      [1, 1, 0.1], // λ1/λ2 = 1, λ2/λ3 = gap: pancake
      [1, 0.6, 0.1], // λ1/λ2 <= 2 but λ2/λ3 = 6
      [4, 2, 1],
      [NaN, 0, 0],
      [Infinity, 0, 0],
    ]),
    [
      "cigar",
      "pancake",
      "sphere",
      "background",
      "sphere",
      "mixed",
      "cigar",
      "mixed",
      "mixed",
      "pancake",
      "mixed",
      "mixed",
      "background",
      "background",
    ],
  );
  // Custom thresholds and the energy floor.
  assert.deepEqual(
    names([[3, 1, 1], [5, 1, 1], [4, 1, 1]], { ratio: 3, gap: 5 }),
    [
      "sphere",
      "cigar",
      "mixed",
    ],
  );
  assert.deepEqual(
    names([[1, 1, 1], [1, 1, 0.9], [10, 0, 0]], { energy: 3 }),
    ["background", "background", "cigar"],
  );
  const { codes, names: list } = shapeClass(stack([[1, 1, 1]]));
  assert.equal(codes.data.constructor, Uint8Array);
  assert.deepEqual(codes.shape, [1, 1, 1]);
  assert.equal(list, SHAPE_CLASSES);
});

Deno.test("shapeClass: eigenvalues more than gap² below the largest count as zero (float64 and float32)", () => {
  const classes = (
    voxels: number[][],
    Type: Float64ArrayConstructor | Float32ArrayConstructor,
  ) =>
    Array.from(
      shapeClass(stack(voxels, Type)).codes.data,
      (c) => SHAPE_CLASSES[c],
    );
  assert.deepEqual(
    classes(
      [[1, 1e-17, -1e-17], [1, 1, -1e-17], [1, 1e-3, 1e-7], [1, 0.05, 1e-4]],
      Float64Array,
    ),
    ["cigar", "pancake", "cigar", "mixed"],
  );
  assert.deepEqual(
    classes(
      [[1, 3e-8, -2e-8], [1, 1, -5e-8], [1, 1e-3, 1e-7], [1, 0.05, 1e-4]],
      Float32Array,
    ),
    ["cigar", "pancake", "cigar", "mixed"],
  );
  // Rank-one tensors g·gᵀ through the eigenvalue solver: one gradient direction, a cigar.
  const entries = [[], [], [], [], [], []] as number[][];
  for (let k = 0; k < 64; k++) {
    const g = [
      Math.cos(k),
      Math.sin(k) * Math.cos(3 * k),
      Math.sin(k) * Math.sin(3 * k),
    ];
    [[0, 0], [0, 1], [0, 2], [1, 1], [1, 2], [2, 2]].forEach(([a, b], e) =>
      entries[e].push(g[a] * g[b])
    );
  }
  const eigen = structureTensorEigenvalues(
    entries.map((e) => ndarray(Float64Array.from(e), [1, 1, 64])),
  );
  assert.deepEqual(
    [...new Set(shapeClass(eigen).codes.data)].map((c) => SHAPE_CLASSES[c]),
    ["cigar"],
  );
});

// ------------------------------------------------------------------- angles

const deg = 180 / Math.PI;

Deno.test("orientationAngles 2-D: axis-aligned and diagonal vectors, OrientationJ's counter-clockwise turn, rank", () => {
  const s = Math.SQRT1_2;
  const vectors = vectorStack([
    [[0, 1], [1, 0]], // along the columns: 0
    [[0, -1], [1, 0]], // the same axis: 0, not -0 or 180
    [[1, 0], [0, 1]], // along the rows: 90
    [[-1, 0], [0, 1]],
    [[-s, s], [s, s]], // up and right as displayed: +45
    [[s, s], [-s, s]], // down and right: -45
    [[0, 0], [1, 0]], // zero vector: NaN
    [[NaN, 1], [1, 0]],
  ]);
  const { angle } = orientationAngles(vectors) as OrientationAngles2d;
  assertSameValues(angle.data, [0, 0, 90, 90, 45, -45, NaN, NaN], "rank 0");
  const second = orientationAngles(vectors, { rank: 1 }) as OrientationAngles2d;
  assertSameValues(
    second.angle.data,
    [90, 90, 0, 0, -45, 45, 90, 90],
    "rank 1",
  );
});

Deno.test("orientationAngles 2-D: rank 1 of a tensor is OrientationJ's orientation 0.5·atan2(2Jxy, Jyy - Jxx)", () => {
  fc.assert(fc.property(
    fc.double({ min: 0, max: 10, noNaN: true }),
    fc.double({ min: 0, max: 10, noNaN: true }),
    fc.double({ min: -10, max: 10, noNaN: true }),
    (jyy, jxx, jxy) => {
      // Tensor [[Jrr, Jrc], [Jrc, Jcc]] in (row, col) = (y, x) order.
      const half = Math.hypot((jyy - jxx) / 2, jxy);
      fc.pre(half > 1e-6 * (jyy + jxx + 1));
      const vectors = [1, -1].map((sign) => {
        const lambda = (jyy + jxx) / 2 + sign * half;
        // (A - λI)v = 0: v = (Jrc, λ - Jrr), or (λ - Jcc, Jrc) when that is longer.
        const a = [jxy, lambda - jyy];
        const b = [lambda - jxx, jxy];
        return Math.hypot(...a) > Math.hypot(...b) ? a : b;
      });
      const { angle } = orientationAngles(
        vectorStack([vectors]),
        { rank: 1 },
      ) as OrientationAngles2d;
      const orientationJ = 0.5 * Math.atan2(2 * jxy, jyy - jxx) * deg;
      const diff = Math.abs(angle.data[0] - orientationJ);
      assert.ok(
        Math.min(diff, 180 - diff) < 1e-7,
        `${angle.data[0]} vs ${orientationJ}`,
      );
    },
  ));
});

Deno.test("orientationAngles 3-D: axis-aligned vectors, distinct axes with the same half-range angles, a known vector", () => {
  const s = Math.SQRT1_2;
  const ranks = (v: number[]) => [v, [0, 0, 0], [0, 0, 0]];
  const { azimuth, elevation } = orientationAngles(
    vectorStack([
      ranks([0, 0, 1]), // +X
      ranks([0, 0, -1]), // -X: the same axis
      ranks([0, 1, 0]), // +Y
      ranks([0, -1, 0]),
      ranks([1, 0, 0]), // +Z
      ranks([-1, 0, 0]),
      ranks([s, 0, s]), // up and along +X
      ranks([-s, 0, s]), // = (s, 0, -s): up and along -X
      ranks([-0.5, 0.5, -s]), // = (0.5, -0.5, s)
      ranks([0, 0, 0]),
      ranks([1, Infinity, 0]),
    ]),
  ) as OrientationAngles3d;
  close(azimuth.data, [
    0,
    0,
    90,
    90,
    0,
    0,
    0,
    180,
    -Math.atan(0.5 / s) * deg,
    NaN,
    NaN,
  ], 1e-12);
  close(
    elevation.data,
    [0, 0, 0, 0, 90, 90, 45, 45, 30, NaN, NaN],
    1e-12,
  );
  assert.ok(Object.is(azimuth.data[1], 0) && Object.is(azimuth.data[4], 0));
  const third = orientationAngles(
    vectorStack([[[1, 0, 0], [0, 1, 0], [0, 0, 1]]]),
    { rank: 2 },
  ) as OrientationAngles3d;
  assert.deepEqual([third.azimuth.data[0], third.elevation.data[0]], [0, 0]);
});

/** A vector of d components, some exactly 0 so that the tie-breaks are exercised. */
const component = fc.oneof(
  fc.constant(0),
  fc.double({ min: -1, max: 1, noNaN: true }),
);

Deno.test("orientationAngles: v and -v give the same angles bit for bit; the 3-D angles rebuild the axis", () => {
  fc.assert(
    fc.property(fc.array(component, { minLength: 2, maxLength: 2 }), (v) => {
      const plus = orientationAngles(
        vectorStack([[v, [0, 0]]]),
      ) as OrientationAngles2d;
      const minus = orientationAngles(
        vectorStack([[v.map((c) => -c), [0, 0]]]),
      ) as OrientationAngles2d;
      assertSameValues(plus.angle.data, minus.angle.data, "2-D");
      const a = plus.angle.data[0];
      if (Math.hypot(...v) > 0) assert.ok(a > -90 && a <= 90, `${a}`);
    }),
  );
  fc.assert(
    fc.property(fc.array(component, { minLength: 3, maxLength: 3 }), (v) => {
      const zero = [0, 0, 0];
      const plus = orientationAngles(
        vectorStack([[v, zero, zero]]),
      ) as OrientationAngles3d;
      const minus = orientationAngles(
        vectorStack([[v.map((c) => -c), zero, zero]]),
      ) as OrientationAngles3d;
      assertSameValues(plus.azimuth.data, minus.azimuth.data, "azimuth");
      assertSameValues(plus.elevation.data, minus.elevation.data, "elevation");
      const norm = Math.hypot(...v);
      if (norm < 1e-150) return;
      const az = plus.azimuth.data[0] / deg;
      const el = plus.elevation.data[0] / deg;
      assert.ok(el >= 0 && el <= Math.PI / 2 && az > -Math.PI && az <= Math.PI);
      const u = [
        Math.sin(el),
        Math.cos(el) * Math.sin(az),
        Math.cos(el) * Math.cos(az),
      ];
      const dot = u.reduce((sum, c, k) => sum + c * v[k], 0) / norm;
      assert.ok(Math.abs(Math.abs(dot) - 1) < 1e-12, `axis ${u} vs ${v}`);
    }),
  );
});

// --------------------------------------------------------------- properties

Deno.test("properties: FA in [0, 1], exactly 0 when isotropic; Westin in [0, 1] summing to 1; coherence in [0, 1]", () => {
  fc.assert(fc.property(fc.oneof(psd(2), psd(3)), (l) => {
    const fa = fractionalAnisotropy(stack([l])).data[0];
    assert.ok(fa >= 0 && fa <= 1, `${fa}`);
  }));
  fc.assert(fc.property(
    fc.double({ min: 0, max: 1e300, noNaN: true }),
    fc.integer({ min: 2, max: 3 }),
    (a, d) => {
      assert.ok(
        Object.is(
          fractionalAnisotropy(stack([new Array(d).fill(a)])).data[0],
          0,
        ),
      );
    },
  ));
  fc.assert(fc.property(psd(3), (l) => {
    fc.pre(l[0] > 0);
    const { linear, planar, spherical } = westinMeasures(stack([l]));
    const parts = [linear.data[0], planar.data[0], spherical.data[0]];
    parts.forEach((p) => assert.ok(p >= 0 && p <= 1, `${parts}`));
    assert.ok(Math.abs(parts[0] + parts[1] + parts[2] - 1) <= 1e-12);
  }));
  fc.assert(fc.property(psd(2), (l) => {
    const c = coherence(stack([l])).data[0];
    assert.ok(c >= 0 && c <= 1, `${c}`);
  }));
});

Deno.test("properties: FA, Westin and coherence are scale invariant; shape classes too (power-of-two scales: exactly)", () => {
  const scale = fc.double({ min: 1e-6, max: 1e6, noNaN: true });
  fc.assert(fc.property(fc.oneof(psd(2), psd(3)), scale, (l, c) => {
    const a = fractionalAnisotropy(stack([l])).data[0];
    const b = fractionalAnisotropy(stack([l.map((v) => v * c)])).data[0];
    assert.ok(Math.abs(a - b) <= 1e-12, `${a} vs ${b}`);
  }));
  fc.assert(fc.property(psd(3), scale, (l, c) => {
    const a = westinMeasures(stack([l]));
    const b = westinMeasures(stack([l.map((v) => v * c)]));
    for (const key of ["linear", "planar", "spherical"] as const) {
      assert.ok(Math.abs(a[key].data[0] - b[key].data[0]) <= 1e-12, key);
    }
  }));
  fc.assert(fc.property(psd(2), scale, (l, c) => {
    const a = coherence(stack([l])).data[0];
    const b = coherence(stack([l.map((v) => v * c)])).data[0];
    assert.ok(Math.abs(a - b) <= 1e-12, `${a} vs ${b}`);
  }));
  // Eigenvalues over decades, so that every class turns up.
  const spread = fc.array(fc.integer({ min: -30, max: 0 }), {
    minLength: 3,
    maxLength: 3,
  })
    .map((e) => e.map((k) => 2 ** (k / 3)).sort((a, b) => b - a));
  fc.assert(
    fc.property(
      fc.array(spread, { minLength: 1, maxLength: 20 }),
      fc.integer({ min: -40, max: 40 }),
      (voxels, k) => {
        const a = shapeClass(stack(voxels)).codes.data;
        const b =
          shapeClass(stack(voxels.map((l) => l.map((v) => v * 2 ** k)))).codes
            .data;
        assert.deepEqual(Array.from(b), Array.from(a));
      },
    ),
  );
});

// -------------------------------------------------------------------- views

/** A random `[d, ...shape]` stack of sorted non-negative values. */
function randomStack(
  d: number,
  shape: number[],
  seed: number,
): NdArray<Float64Array> {
  const size = shape.reduce((a, b) => a * b, 1);
  const data = new Float64Array(d * size);
  let state = seed;
  for (let i = 0; i < size; i++) {
    const l = Array.from({ length: d }, () => {
      state = (state * 16807) % 2147483647;
      return (state / 2147483647) ** 4;
    }).sort((a, b) => b - a);
    l.forEach((v, r) => data[r * size + i] = v);
  }
  return ndarray(data, [d, ...shape]);
}

/** The same values as `array`, through a transposed, reversed and stepped view of other storage. */
function viewOf(
  array: NdArray<Float64Array>,
  Type: Float64ArrayConstructor | Float32ArrayConstructor = Float64Array,
): NdArray {
  const n = array.shape.length;
  const reversed = array.shape.slice().reverse();
  // Storage laid out with the axes reversed and every other element unused along the first.
  const big = ndarray(new Type(2 * array.size), [
    2 * reversed[0],
    ...reversed.slice(1),
  ]);
  const axes = Array.from({ length: n }, (_, k) => n - 1 - k);
  const view = big.step(-2).transpose(...axes);
  const index = new Array<number>(n).fill(0);
  for (let flat = 0; flat < array.size; flat++) {
    view.set(...index, array.get(...index));
    for (let k = n - 1; k >= 0 && ++index[k] === array.shape[k]; k--) {
      index[k] = 0;
    }
  }
  return view;
}

Deno.test("views: strided, reversed and transposed inputs give the contiguous results bit for bit", () => {
  const e3 = randomStack(3, [2, 3, 4], 7);
  const e2 = randomStack(2, [3, 5], 11);
  const v3 = viewOf(e3);
  assert.notDeepEqual(v3.stride, [12, 4, 1]);
  assertSameValues(
    fractionalAnisotropy(v3).data,
    fractionalAnisotropy(e3).data,
    "FA 3-D",
  );
  assertSameValues(
    fractionalAnisotropy(viewOf(e2)).data,
    fractionalAnisotropy(e2).data,
    "FA 2-D",
  );
  assertSameValues(coherence(viewOf(e2)).data, coherence(e2).data, "coherence");
  const wv = westinMeasures(v3);
  const wc = westinMeasures(e3);
  for (const key of ["linear", "planar", "spherical"] as const) {
    assertSameValues(wv[key].data, wc[key].data, key);
    assert.deepEqual(wv[key].stride, [12, 4, 1]);
  }
  assertSameValues(
    shapeClass(v3).codes.data,
    shapeClass(e3).codes.data,
    "classes",
  );
  // Float32 views keep float32's noise floor.
  const f32 = viewOf(e3, Float32Array);
  const copy = ndarray(new Float32Array(e3.data), e3.shape);
  assertSameValues(
    shapeClass(f32).codes.data,
    shapeClass(copy).codes.data,
    "float32 classes",
  );
  const noisy = stack([[1, 3e-8, -2e-8], [1, 1, -5e-8]]) as NdArray<
    Float64Array
  >;
  assert.deepEqual(
    Array.from(shapeClass(viewOf(noisy, Float32Array)).codes.data),
    [3, 2],
  );
  // Eigenvectors: a [3, 3, 2, 3, 4] stack of random components.
  const vectors = randomStack(9, [2, 3, 4], 5);
  const flat = ndarray(vectors.data.map((v, i) => i % 2 ? -v : v), [
    3,
    3,
    2,
    3,
    4,
  ]);
  for (const rank of [0, 1, 2]) {
    const a = orientationAngles(viewOf(flat), { rank }) as OrientationAngles3d;
    const b = orientationAngles(flat, { rank }) as OrientationAngles3d;
    assertSameValues(a.azimuth.data, b.azimuth.data, `azimuth ${rank}`);
    assertSameValues(a.elevation.data, b.elevation.data, `elevation ${rank}`);
  }
});

// ------------------------------------------------------------------- errors

Deno.test("errors name the function, the argument, the value and what was expected", () => {
  const e2 = stack([[1, 0]]);
  const e3 = stack([[1, 0, 0]]);
  assert.throws(
    () => westinMeasures(e2),
    /westinMeasures: eigenvalues must be the eigenvalues of a 3-D tensor field, of shape \[3, planes, rows, cols\] as structureTensorEigenvalues returns them \(Westin's measures are 3-D only; in 2-D use coherence\), got ndarray of shape \[2, 1, 1\]/,
  );
  assert.throws(
    () => shapeClass(e2),
    /shapeClass: eigenvalues must be .*3-D tensor field.*shape classes are 3-D only/,
  );
  assert.throws(
    () => coherence(e3),
    /coherence: eigenvalues must be the eigenvalues of a 2-D tensor field, of shape \[2, rows, cols\].*got ndarray of shape \[3, 1, 1, 1\]/,
  );
  assert.throws(
    () => fractionalAnisotropy(ndarray(new Float64Array(9), [3, 3, 1, 1, 1])),
    /fractionalAnisotropy: eigenvalues must be the eigenvalues of a 2-D or 3-D tensor field, of shape \[2, rows, cols\] or \[3, planes, rows, cols\]/,
  );
  assert.throws(
    () => fractionalAnisotropy([1, 2, 3] as never),
    /fractionalAnisotropy: eigenvalues must be an ndarray over/,
  );
  assert.throws(
    () => fractionalAnisotropy(stack([[1, 2, 0], [3, 2, 1]])),
    /fractionalAnisotropy: eigenvalues must be sorted in decreasing order along axis 0, as structureTensorEigenvalues returns them \(voxel 0 in C order has 1 at rank 0 below 2 at rank 1\)/,
  );
  assert.throws(
    () => westinMeasures(stack([[3, 1, 2]])),
    /rank 1 below 2 at rank 2/,
  );
  assert.throws(
    () => shapeClass(e3, { ratio: 0.5 }),
    /shapeClass: ratio must be a finite number >= 1, got 0.5/,
  );
  assert.throws(
    () => shapeClass(e3, { ratio: "2" as never }),
    /shapeClass: ratio must be a finite number >= 1, got "2"/,
  );
  assert.throws(
    () => shapeClass(e3, { ratio: NaN }),
    /ratio must be a finite number >= 1, got NaN/,
  );
  assert.throws(
    () => shapeClass(e3, { gap: 2 }),
    /shapeClass: gap must be a finite number > ratio \(2\), got 2/,
  );
  assert.throws(
    () => shapeClass(e3, { ratio: 12 }),
    /gap must be a finite number > ratio \(12\), got 10/,
  );
  assert.throws(
    () => shapeClass(e3, { energy: -1 }),
    /shapeClass: energy must be a finite number >= 0, got -1/,
  );
  assert.throws(
    () => shapeClass(e3, { energy: Infinity }),
    /energy must be a finite number >= 0, got Infinity/,
  );
  const v3 = vectorStack([[[1, 0, 0], [0, 1, 0], [0, 0, 1]]]);
  assert.throws(
    () => orientationAngles(v3, { rank: 3 }),
    /orientationAngles: rank must be an integer from 0 \(the largest eigenvalue's vector\) to 2, got 3/,
  );
  assert.throws(
    () => orientationAngles(v3, { rank: 0.5 }),
    /rank must be an integer from 0 .* to 2, got 0.5/,
  );
  assert.throws(
    () => orientationAngles(vectorStack([[[1, 0], [0, 1]]]), { rank: -1 }),
    /to 1, got -1/,
  );
  assert.throws(
    () => orientationAngles(e2),
    /orientationAngles: vectors must be an ndarray with at least 4 dimension/,
  );
  assert.throws(
    () => orientationAngles(ndarray(new Float64Array(6), [3, 2, 1, 1, 1])),
    /orientationAngles: vectors must be the eigenvectors of a 2-D or 3-D tensor field, of shape \[2, 2, rows, cols\] or \[3, 3, planes, rows, cols\] as structureTensorEigenvectors returns them, got ndarray of shape \[3, 2, 1, 1, 1\]/,
  );
});
